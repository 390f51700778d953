"""Open Badges 3.0: a certificate as an OpenBadgeCredential, signed as a VC-JWT (RS256).

Follows OB 3.0 section 8.2 (JSON Web Token Proof Format): the JWT payload *is* the
credential, with the registered claims iss, jti, nbf, sub (and exp when it expires)
mirroring issuer.id, id, validFrom, credentialSubject.id and validUntil; the JOSE header
holds only alg (RS256), typ ("JWT") and kid, a URL that dereferences to the public key:
the issuer's JWK Set with the key's RFC 7638 thumbprint as fragment. The key in that set
has the very same URL as its ``kid``, so that verifiers which match ``kid`` exactly (PyJWT's
``PyJWKClient``, joserfc's ``KeySet``) find it, and badges signed before this held too.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

CONTEXT = (
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
)
ALGORITHM = "RS256"
"""The one algorithm OB 3.0 requires every verifier to support."""
KEY_SIZE = 3072
"""RSA modulus bits: NIST SP 800-57 deems 2048 enough only until 2030; badges outlive that."""

# Fixed, so that subject_id_for gives the same URN for the same certificate forever.
_SUBJECT_NAMESPACE = uuid.UUID("5b0f3c1e-6f4e-4d3a-9a57-2f1c8e0d7a61")


@dataclass(frozen=True)
class BadgeIssuer:
    id: str
    """URL of the issuer's Profile document (also the JWT ``iss``)."""
    name: str
    url: str
    """The issuing organisation's home page."""


@dataclass(frozen=True)
class BadgeAchievement:
    id: str
    """URL naming what was achieved: one per certificate definition, not per learner."""
    name: str
    description: str
    criteria: str
    """Narrative of what earns it, e.g. the courses to complete."""
    language: str
    """BCP 47 code of the texts above (``fr``, ``en``)."""
    image_url: str | None = None


@dataclass(frozen=True)
class BadgeHolder:
    id: str
    """URI of the subject (the JWT ``sub``); see ``subject_id_for``."""
    name: str
    email: str | None
    """Published only salted and hashed: enough for the holder to prove it is theirs."""
    salt: str
    """Random per credential (``new_salt``), so equal emails give unequal hashes."""


@dataclass(frozen=True)
class Badge:
    """One learner's certificate, as the credential states it."""

    id: str
    """The credential's id (the JWT ``jti``): its public verification URL."""
    issuer: BadgeIssuer
    achievement: BadgeAchievement
    holder: BadgeHolder
    valid_from: datetime
    valid_until: datetime | None


def new_salt() -> str:
    return secrets.token_hex(16)


def subject_id_for(code: str) -> str:
    """A ``urn:uuid`` for the holder of certificate ``code``: stable, and naming nobody.

    Learners have no DID of their own; an opaque URN per certificate satisfies the
    ``sub`` claim without linking a learner's badges to each other or to an account.
    """
    return f"urn:uuid:{uuid.uuid5(_SUBJECT_NAMESPACE, code)}"


def identity_hash(identity: str, salt: str) -> str:
    """OB 3.0 IdentityHash: ``sha256$`` and the hex SHA-256 of the UTF-8 identity + salt."""
    return "sha256$" + hashlib.sha256((identity + salt).encode()).hexdigest()


def build_credential(badge: Badge) -> dict[str, Any]:
    """The OpenBadgeCredential (VC Data Model 2.0) as a JSON-ready dict."""
    holder, achievement, issuer = badge.holder, badge.achievement, badge.issuer
    identifiers: list[dict[str, Any]] = []
    if holder.email:
        identifiers.append(
            {
                "type": "IdentityObject",
                "identityType": "emailAddress",
                "hashed": True,
                "identityHash": identity_hash(holder.email, holder.salt),
                "salt": holder.salt,
            }
        )
    # The name is printed on the certificate and shown at /verify: no secret to keep,
    # and what a wallet or a reader needs to see whose badge this is.
    identifiers.append(
        {
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": False,
            "identityHash": holder.name,
        }
    )
    achievement_json: dict[str, Any] = {
        "id": achievement.id,
        "type": ["Achievement"],
        "achievementType": "CertificateOfCompletion",
        "name": achievement.name,
        "description": achievement.description,
        "criteria": {"narrative": achievement.criteria},
        "inLanguage": achievement.language,
    }
    if achievement.image_url:
        achievement_json["image"] = {"id": achievement.image_url, "type": "Image"}
    credential: dict[str, Any] = {
        "@context": list(CONTEXT),
        "id": badge.id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": issuer.id, "type": ["Profile"], "name": issuer.name, "url": issuer.url},
        "validFrom": _timestamp(badge.valid_from),
        "name": achievement.name,
        "credentialSubject": {
            "id": holder.id,
            "type": ["AchievementSubject"],
            "identifier": identifiers,
            "achievement": achievement_json,
        },
    }
    if badge.valid_until is not None:
        credential["validUntil"] = _timestamp(badge.valid_until)
    return credential


def sign_credential(
    credential: Mapping[str, Any], private_key: rsa.RSAPrivateKey, *, key_url: str
) -> str:
    """The credential as a compact JWS (VC-JWT), its claims read from the credential itself."""
    payload = dict(credential)
    payload["iss"] = credential["issuer"]["id"]
    payload["jti"] = credential["id"]
    payload["sub"] = credential["credentialSubject"]["id"]
    payload["nbf"] = _numeric_date(credential["validFrom"])
    if "validUntil" in credential:
        payload["exp"] = _numeric_date(credential["validUntil"])
    # RS256 (PKCS #1 v1.5) is deterministic: the same credential and key, the same token.
    return jwt.encode(
        payload, private_key, algorithm=ALGORITHM, headers={"kid": key_url, "typ": "JWT"}
    )


def issue_badge(badge: Badge, private_key: rsa.RSAPrivateKey, *, jwks_url: str) -> str:
    """Builds and signs in one step; ``jwks_url`` is where ``jwks`` is served."""
    return sign_credential(
        build_credential(badge), private_key, key_url=key_url(jwks_url, private_key.public_key())
    )


def generate_signing_key(
    path: Path, *, key_size: int = KEY_SIZE, password: bytes | None = None
) -> rsa.RSAPrivateKey:
    """A new RSA key, written to ``path`` as PKCS #8 PEM, readable by its owner only.

    Refuses to overwrite: replacing the key would leave every badge already issued
    unverifiable. Rotate by adding a key and publishing both in ``jwks``.
    """
    key = rsa.generate_private_key(public_exponent=65537, key_size=key_size)
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as file:
        file.write(pem)
    return key


def load_signing_key(path: Path, *, password: bytes | None = None) -> rsa.RSAPrivateKey:
    """The RSA private key in the PEM file at ``path``; ValueError for any other key."""
    key = serialization.load_pem_private_key(path.read_bytes(), password=password)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError(f"{path}: not an RSA private key (RS256 needs one)")
    if key.key_size < 2048:
        raise ValueError(f"{path}: RSA key of {key.key_size} bits; RS256 needs 2048 or more")
    return key


def public_jwk(public_key: rsa.RSAPublicKey, *, jwks_url: str) -> dict[str, str]:
    """The public key as a JWK (RFC 7517), its ``kid`` the one badges name (``key_url``)."""
    jwk = _required_members(public_key)
    return {**jwk, "kid": key_url(jwks_url, public_key), "use": "sig", "alg": ALGORITHM}


def jwks(*public_keys: rsa.RSAPublicKey, jwks_url: str) -> dict[str, list[dict[str, str]]]:
    """The JWK Set to serve at ``jwks_url``: the current key, and retired ones still in use."""
    return {"keys": [public_jwk(key, jwks_url=jwks_url) for key in public_keys]}


def thumbprint(public_key: rsa.RSAPublicKey) -> str:
    """RFC 7638: base64url SHA-256 of the required members, sorted, without whitespace."""
    canonical = json.dumps(_required_members(public_key), sort_keys=True, separators=(",", ":"))
    return _b64url(hashlib.sha256(canonical.encode()).digest())


def key_url(jwks_url: str, public_key: rsa.RSAPublicKey) -> str:
    """The JOSE ``kid``, in badges and in the JWK Set alike: a URL that dereferences to the
    key (OB 3.0 8.2.3 asks for one), its fragment the key's thumbprint."""
    return f"{jwks_url}#{thumbprint(public_key)}"


def _required_members(public_key: rsa.RSAPublicKey) -> dict[str, str]:
    numbers = public_key.public_numbers()
    return {"e": _b64url_uint(numbers.e), "kty": "RSA", "n": _b64url_uint(numbers.n)}


def _b64url_uint(value: int) -> str:
    return _b64url(value.to_bytes((value.bit_length() + 7) // 8, "big"))


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _timestamp(moment: datetime) -> str:
    """UTC to the second, so that nbf/exp equal validFrom/validUntil exactly, as 8.2.6 asks."""
    if moment.tzinfo is None:
        raise ValueError("badge dates must be timezone-aware")
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def _numeric_date(timestamp: str) -> int:
    return int(datetime.fromisoformat(timestamp).timestamp())
