"""Open Badges 3.0 credentials, checked by two independent verifiers: joserfc, openbadgeslib."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import stat
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from joserfc import jwt
from joserfc.errors import BadSignatureError, ExpiredTokenError
from joserfc.jwk import GuestProtocol, KeySet, RSAKey
from openbadgeslib.ob3 import OB3VerificationError, OB3Verifier

from lms.certificates.badges import (
    STATUS_LIST_BITS,
    Badge,
    BadgeAchievement,
    BadgeHolder,
    BadgeIssuer,
    BadgeStatus,
    build_credential,
    build_status_list_credential,
    encode_status_list,
    generate_signing_key,
    identity_hash,
    issue_badge,
    jwks,
    key_url,
    load_signing_key,
    new_salt,
    public_jwk,
    sign_status_list,
    subject_id_for,
    thumbprint,
)
from tests.unit.certificates.conftest import CODE, VERIFY_URL

JWKS_URL = "https://parcours.example.org/.well-known/jwks.json"
ISSUER_ID = "https://parcours.example.org/issuer"
NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture(scope="module")
def key_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("keys") / "signing" / "badges.pem"
    generate_signing_key(path, key_size=2048)  # 2048 keeps the suite fast; prod uses 3072
    return path


@pytest.fixture(scope="module")
def private_key(key_path: Path) -> rsa.RSAPrivateKey:
    return load_signing_key(key_path)


@pytest.fixture
def badge() -> Badge:
    return Badge(
        id=VERIFY_URL,
        issuer=BadgeIssuer(ISSUER_ID, "Unité de soutien SRAP du Québec", "https://example.org"),
        achievement=BadgeAchievement(
            id="https://parcours.example.org/certificates/por-101",
            name="Module 101 – Les bases du partenariat patient",
            description="Formation en ligne sur les bases du partenariat patient.",
            criteria="Compléter le cours « Module 101 » et réussir son questionnaire final.",
            language="fr",
        ),
        holder=BadgeHolder(
            id=subject_id_for(CODE),
            name="Émilie Grenier",
            email="emilie.grenier@example.org",
            salt="5f2b8c0d9e1a4b7c",
        ),
        valid_from=NOW - timedelta(days=1),
        valid_until=NOW + timedelta(days=365),
    )


def payload_of(token: str) -> dict[str, Any]:
    segment = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def header_of(token: str) -> dict[str, Any]:
    segment = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def dereference(key_set: dict[str, Any]) -> Callable[[GuestProtocol], RSAKey]:
    """What a verifier does with ``kid``: fetch the JWK Set at the URL, pick the key by kid."""
    keys = KeySet.import_key_set(key_set)

    def resolve(token: GuestProtocol) -> RSAKey:
        kid = token.headers()["kid"]
        assert kid.partition("#")[0] == JWKS_URL
        key = keys.get_by_kid(kid)
        assert isinstance(key, RSAKey)
        return key

    return resolve


def joserfc_verify(token: str, private_key: rsa.RSAPrivateKey) -> jwt.Token:
    decoded = jwt.decode(
        token, dereference(jwks(private_key.public_key(), jwks_url=JWKS_URL)), algorithms=["RS256"]
    )
    credential = decoded.claims
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": credential["issuer"]["id"]},
        sub={"essential": True, "value": credential["credentialSubject"]["id"]},
        jti={"essential": True, "value": credential["id"]},
        nbf={"essential": True},
        exp={"essential": "validUntil" in credential},
    ).validate(credential)
    return decoded


def openbadgeslib_verifier(private_key: rsa.RSAPrivateKey) -> OB3Verifier:
    pem = private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return OB3Verifier(pem)


def test_the_credential_has_every_required_field(badge: Badge) -> None:
    credential = build_credential(badge)
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["id"] == VERIFY_URL
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["issuer"] == {
        "id": ISSUER_ID,
        "type": ["Profile"],
        "name": "Unité de soutien SRAP du Québec",
        "url": "https://example.org",
    }
    assert credential["validFrom"] == (NOW - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert credential["validUntil"] == (NOW + timedelta(days=365)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert credential["name"] == badge.achievement.name
    subject = credential["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    assert subject["id"].startswith("urn:uuid:")
    achievement = subject["achievement"]
    assert achievement["id"] == badge.achievement.id
    assert achievement["type"] == ["Achievement"]
    assert achievement["name"] == badge.achievement.name
    assert achievement["description"] == badge.achievement.description
    assert achievement["criteria"] == {"narrative": badge.achievement.criteria}


def test_the_holder_is_identified_by_a_salted_email_hash_and_the_name(badge: Badge) -> None:
    email, name = build_credential(badge)["credentialSubject"]["identifier"]
    digest = hashlib.sha256(b"emilie.grenier@example.org5f2b8c0d9e1a4b7c").hexdigest()
    assert email == {
        "type": "IdentityObject",
        "identityType": "emailAddress",
        "hashed": True,
        "identityHash": f"sha256${digest}",
        "salt": "5f2b8c0d9e1a4b7c",
    }
    assert "emilie.grenier" not in json.dumps(build_credential(badge))
    assert name == {
        "type": "IdentityObject",
        "identityType": "name",
        "hashed": False,
        "identityHash": "Émilie Grenier",
    }


def test_no_email_no_email_identifier_and_no_expiry_no_valid_until(badge: Badge) -> None:
    badge = replace(badge, holder=replace(badge.holder, email=None), valid_until=None)
    credential = build_credential(badge)
    assert [i["identityType"] for i in credential["credentialSubject"]["identifier"]] == ["name"]
    assert "validUntil" not in credential


def test_helpers() -> None:
    assert identity_hash("a@b.c", "s") == "sha256$" + hashlib.sha256(b"a@b.cs").hexdigest()
    assert new_salt() != new_salt()
    assert len(new_salt()) == 32
    assert subject_id_for(CODE) == subject_id_for(CODE) != subject_id_for("PRC-0000-0000-0000-0000")


def test_dates_must_be_timezone_aware(badge: Badge) -> None:
    with pytest.raises(ValueError, match="timezone"):
        build_credential(replace(badge, valid_from=datetime(2026, 11, 21)))


def test_joserfc_verifies_signature_header_and_claims(
    badge: Badge, private_key: rsa.RSAPrivateKey
) -> None:
    token = issue_badge(badge, private_key, jwks_url=JWKS_URL)
    header = header_of(token)
    # OB 3.0 8.2.3: no JOSE header beyond alg, kid, jwk and typ; typ is "JWT" if present.
    assert header == {
        "alg": "RS256",
        "typ": "JWT",
        "kid": f"{JWKS_URL}#{thumbprint(private_key.public_key())}",
    }
    decoded = joserfc_verify(token, private_key)
    credential = build_credential(badge)
    claims = decoded.claims
    assert {key: claims[key] for key in credential} == credential  # the payload is the credential
    assert claims["iss"] == ISSUER_ID
    assert claims["jti"] == VERIFY_URL
    assert claims["sub"] == subject_id_for(CODE)
    assert claims["nbf"] == int((NOW - timedelta(days=1)).timestamp())
    assert claims["exp"] == int((NOW + timedelta(days=365)).timestamp())


def test_openbadgeslib_verifies_the_credential(
    badge: Badge, private_key: rsa.RSAPrivateKey
) -> None:
    token = issue_badge(badge, private_key, jwks_url=JWKS_URL)
    verified = openbadgeslib_verifier(private_key).verify(token)
    assert verified.id == VERIFY_URL
    assert verified.issuer.id == ISSUER_ID
    assert verified.recipient_id == subject_id_for(CODE)
    assert verified.achievement.name == badge.achievement.name
    assert verified.issuance_date == NOW - timedelta(days=1)
    assert verified.expiration_date == NOW + timedelta(days=365)


def tampered(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = payload_of(token)
    claims["credentialSubject"]["identifier"][-1]["identityHash"] = "Mallory"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    assert forged != payload
    return f"{header}.{forged}.{signature}"


def test_a_tampered_credential_fails_both_verifiers(
    badge: Badge, private_key: rsa.RSAPrivateKey
) -> None:
    forged = tampered(issue_badge(badge, private_key, jwks_url=JWKS_URL))
    with pytest.raises(BadSignatureError):
        joserfc_verify(forged, private_key)
    with pytest.raises(OB3VerificationError, match=r"(?i)signature"):
        openbadgeslib_verifier(private_key).verify(forged)


def test_an_expired_credential_is_reported_expired(
    badge: Badge, private_key: rsa.RSAPrivateKey
) -> None:
    expired = replace(
        badge, valid_from=NOW - timedelta(days=800), valid_until=NOW - timedelta(days=1)
    )
    token = issue_badge(expired, private_key, jwks_url=JWKS_URL)
    with pytest.raises(ExpiredTokenError):
        joserfc_verify(token, private_key)
    with pytest.raises(OB3VerificationError, match=r"(?i)expired"):
        openbadgeslib_verifier(private_key).verify(token)


def test_another_key_does_not_verify(badge: Badge, private_key: rsa.RSAPrivateKey) -> None:
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = issue_badge(badge, other, jwks_url=JWKS_URL)
    # Whatever the kid says, the issuer's own public key must not accept it.
    issuer_key = RSAKey.import_key(public_jwk(private_key.public_key(), jwks_url=JWKS_URL))
    with pytest.raises(BadSignatureError):
        jwt.decode(token, issuer_key, algorithms=["RS256"])
    with pytest.raises(OB3VerificationError):
        openbadgeslib_verifier(private_key).verify(token)


def test_signing_is_deterministic(badge: Badge, private_key: rsa.RSAPrivateKey) -> None:
    first = issue_badge(badge, private_key, jwks_url=JWKS_URL)
    assert issue_badge(badge, private_key, jwks_url=JWKS_URL) == first


def test_the_jwk_set_is_public_and_its_kid_is_the_badges_kid(
    private_key: rsa.RSAPrivateKey,
) -> None:
    key_set = jwks(private_key.public_key(), jwks_url=JWKS_URL)
    (jwk,) = key_set["keys"]
    assert set(jwk) == {"kty", "n", "e", "kid", "use", "alg"}  # never "d" or the primes
    assert jwk["alg"] == "RS256"
    assert jwk["use"] == "sig"
    # A URL that dereferences to the key (OB 3.0), its fragment the RFC 7638 thumbprint.
    assert jwk["kid"] == f"{JWKS_URL}#{RSAKey.import_key(jwk).thumbprint()}"
    assert key_url(JWKS_URL, private_key.public_key()) == jwk["kid"]
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    assert len(jwks(private_key.public_key(), other, jwks_url=JWKS_URL)["keys"]) == 2


def test_rfc_7638_example_thumbprint() -> None:
    # The worked example of RFC 7638 section 3.1.
    n = (
        "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECP"
        "ebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY"
        "368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0f"
        "M4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
    )
    numbers = rsa.RSAPublicNumbers(65537, int.from_bytes(base64.urlsafe_b64decode(n + "==")))
    assert thumbprint(numbers.public_key()) == "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


def test_the_key_file_is_private_and_never_overwritten(
    key_path: Path, private_key: rsa.RSAPrivateKey
) -> None:
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    before = key_path.read_bytes()
    with pytest.raises(FileExistsError):
        generate_signing_key(key_path, key_size=2048)
    assert key_path.read_bytes() == before
    assert load_signing_key(key_path).private_numbers() == private_key.private_numbers()


def test_a_key_can_be_protected_by_a_password(tmp_path: Path) -> None:
    path = tmp_path / "locked.pem"
    key = generate_signing_key(path, key_size=2048, password=b"correct horse")
    assert b"ENCRYPTED" in path.read_bytes()
    assert load_signing_key(path, password=b"correct horse").public_key().public_numbers() == (
        key.public_key().public_numbers()
    )


def test_only_rsa_keys_are_loaded(tmp_path: Path) -> None:
    path = tmp_path / "ec.pem"
    path.write_bytes(
        ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    with pytest.raises(ValueError, match="not an RSA private key"):
        load_signing_key(path)


STATUS_LIST_URL = "https://parcours.example.org/issuers/por-101/status/0"


def test_a_badge_names_its_bit_in_a_revocation_status_list(
    badge: Badge, private_key: rsa.RSAPrivateKey
) -> None:
    with_status = replace(badge, status=BadgeStatus(list_url=STATUS_LIST_URL, index=70_001))
    token = issue_badge(with_status, private_key, jwks_url=JWKS_URL)

    assert joserfc_verify(token, private_key).claims["credentialStatus"] == {
        "id": f"{STATUS_LIST_URL}#70001",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "70001",
        "statusListCredential": STATUS_LIST_URL,
    }
    assert openbadgeslib_verifier(private_key).verify(token).id == VERIFY_URL
    assert "credentialStatus" not in build_credential(badge)


def decoded_list(encoded: str) -> bytes:
    assert encoded[0] == "u"  # multibase base64url without padding
    body = encoded[1:]
    assert "=" not in body
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def test_the_encoded_list_sets_each_bit_from_the_left() -> None:
    bitstring = decoded_list(encode_status_list([0, 9, STATUS_LIST_BITS - 1]))

    assert len(bitstring) * 8 == STATUS_LIST_BITS == 131_072
    assert bitstring[0] == 0b1000_0000
    assert bitstring[1] == 0b0100_0000
    assert bitstring[-1] == 0b0000_0001
    assert sum(bin(byte).count("1") for byte in bitstring) == 3
    assert decoded_list(encode_status_list([])) == bytes(STATUS_LIST_BITS // 8)
    assert encode_status_list([5]) == encode_status_list([5])  # no timestamp in the GZIP
    with pytest.raises(ValueError, match="outside"):
        encode_status_list([STATUS_LIST_BITS])


def test_the_status_list_credential_is_signed_like_badges(private_key: rsa.RSAPrivateKey) -> None:
    credential = build_status_list_credential(
        list_url=STATUS_LIST_URL,
        issuer_id=ISSUER_ID,
        valid_from=NOW,
        encoded_list=encode_status_list([3]),
    )
    token = sign_status_list(credential, private_key, jwks_url=JWKS_URL)
    claims = jwt.decode(
        token, dereference(jwks(private_key.public_key(), jwks_url=JWKS_URL)), algorithms=["RS256"]
    ).claims

    assert claims["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert claims["iss"] == claims["issuer"] == ISSUER_ID
    assert claims["jti"] == STATUS_LIST_URL
    assert claims["credentialSubject"]["type"] == "BitstringStatusList"
    assert claims["credentialSubject"]["statusPurpose"] == "revocation"
    assert decoded_list(claims["credentialSubject"]["encodedList"])[0] == 0b0001_0000
