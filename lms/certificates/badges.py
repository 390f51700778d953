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
import gzip
import hashlib
import json
import os
import secrets
import uuid
from collections.abc import Iterable, Mapping
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

STATUS_LIST_BITS = 131_072
"""Entries in one status list: the 16 KB the W3C Bitstring Status List asks as a minimum,
so that a verifier fetching a list learns nothing of which of its many badges it checks."""

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
class BadgeStatus:
    """Where a verifier learns whether the badge was revoked: a bit of a status list."""

    list_url: str
    """URL of the signed BitstringStatusListCredential (``status_list_credential``)."""
    index: int
    """The badge's bit in that list, from 0 (the first byte's most significant bit)."""


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
    status: BadgeStatus | None = None


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
    if badge.status is not None:
        credential["credentialStatus"] = status_entry(badge.status)
    return credential


def status_entry(status: BadgeStatus) -> dict[str, str]:
    """The credential's BitstringStatusListEntry (W3C Bitstring Status List v1.0, 2.1)."""
    return {
        "id": f"{status.list_url}#{status.index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(status.index),
        "statusListCredential": status.list_url,
    }


def encode_status_list(set_bits: Iterable[int], *, bits: int = STATUS_LIST_BITS) -> str:
    """The ``encodedList`` with ``set_bits`` set: multibase base64url (``u``, no padding) of
    the GZIP-compressed bitstring, index 0 its first byte's most significant bit."""
    bitstring = bytearray(bits // 8)
    for index in set_bits:
        if not 0 <= index < bits:
            raise ValueError(f"status list index {index} outside 0..{bits - 1}")
        bitstring[index // 8] |= 0x80 >> (index % 8)
    # mtime=0: the same bits, the same bytes, whenever compressed.
    return "u" + _b64url(gzip.compress(bytes(bitstring), mtime=0))


def build_status_list_credential(
    *, list_url: str, issuer_id: str, valid_from: datetime, encoded_list: str
) -> dict[str, Any]:
    """The BitstringStatusListCredential (purpose revocation) that ``status_entry`` names,
    issued by the badges' own issuer (``issuer_id``), as verifiers expect."""
    return {
        "@context": [CONTEXT[0]],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_id,
        "validFrom": _timestamp(valid_from),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list,
        },
    }


def sign_credential(
    credential: Mapping[str, Any], private_key: rsa.RSAPrivateKey, *, key_url: str
) -> str:
    """The credential as a compact JWS (VC-JWT), its claims read from the credential itself."""
    payload = dict(credential)
    issuer = credential["issuer"]
    # A URL or a Profile with one (VC Data Model 2.0, 4.7): badges use the latter.
    payload["iss"] = issuer if isinstance(issuer, str) else issuer["id"]
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


def sign_status_list(
    credential: Mapping[str, Any], private_key: rsa.RSAPrivateKey, *, jwks_url: str
) -> str:
    """A status list credential signed as the badges are, with the same key and ``kid``."""
    return sign_credential(
        credential, private_key, key_url=key_url(jwks_url, private_key.public_key())
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
