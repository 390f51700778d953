"""Badges checked as outside verifiers check them: keys fetched over HTTP from a running server."""

from __future__ import annotations

import base64
import gzip
import json
import threading
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import jwt as pyjwt
import pytest
from flask import Flask
from joserfc import jwt
from joserfc.jwk import KeySet
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.serving import BaseWSGIServer, make_server

from lms.accounts.categories import Role
from lms.accounts.models import User
from lms.catalog import current_catalog
from lms.certificates import corrections
from lms.certificates.models import Certificate
from lms.certificates.privacy import withdraw_certificates
from lms.db import get_session
from tests.web.certificate_helpers import (
    CERTIFICATE_CONTENT,
    RENEWABLE,
    add_learner,
    complete_course,
)
from tests.web.conftest import MakeApp
from tests.web.learning_helpers import sign_in


@dataclass(frozen=True)
class Running:
    app: Flask
    url: str


@pytest.fixture
def running(make_app: MakeApp) -> Iterator[Running]:
    """The app on a loopback port, its ``LMS_BASE_URL`` that address: the URLs it puts in
    badges (``kid``, status lists) are the ones a verifier fetches."""
    apps: list[Flask] = []

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        return apps[0](environ, start_response)

    server: BaseWSGIServer = make_server("127.0.0.1", 0, wsgi, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    apps.append(make_app(content_dir=CERTIFICATE_CONTENT, base_url=url))
    thread = threading.Thread(target=server.serve_forever, name="badge-server", daemon=True)
    thread.start()
    yield Running(apps[0], url)
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


def badge_token(running: Running) -> str:
    """A learner's badge, as they download it."""
    user_id = add_learner(running.app, language="en")
    complete_course(running.app, user_id, RENEWABLE)
    client = running.app.test_client()
    sign_in(client, "lea@example.org")
    certificates = client.get("/certificates").get_data(as_text=True)
    code = certificates.split("/verify/", 1)[1].split('"', 1)[0]
    return client.get(f"/certificates/{code}/badge.jwt").get_data(as_text=True)


def fetch_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def test_pyjwt_finds_the_key_by_kid_over_http(running: Running) -> None:
    token = badge_token(running)
    kid = pyjwt.get_unverified_header(token)["kid"]
    jwks_url = kid.partition("#")[0]
    assert jwks_url == f"{running.url}/.well-known/jwks.json"

    signing_key = pyjwt.PyJWKClient(jwks_url, cache_keys=False).get_signing_key_from_jwt(token)
    claims = pyjwt.decode(token, signing_key.key, algorithms=["RS256"])

    assert signing_key.key_id == kid
    assert claims["jti"].startswith(f"{running.url}/verify/PRC-")
    assert claims["credentialSubject"]["achievement"]["name"] == "Partnership refresher"


def test_joserfc_finds_the_key_in_the_key_set_over_http(running: Running) -> None:
    token = badge_token(running)
    jwks_url = pyjwt.get_unverified_header(token)["kid"].partition("#")[0]
    keys = KeySet.import_key_set(fetch_json(jwks_url))

    # Given the whole set, joserfc picks the key whose kid is the header's, or fails.
    claims = jwt.decode(token, keys, algorithms=["RS256"]).claims

    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]


def revocation_bit(token: str) -> int:
    """What a verifier checking status does (W3C Bitstring Status List v1.0, 3.2): fetch the
    list the badge names, check its signature and issuer, read the badge's bit."""
    entry = pyjwt.decode(token, options={"verify_signature": False})["credentialStatus"]
    assert entry["type"] == "BitstringStatusListEntry"
    assert entry["statusPurpose"] == "revocation"
    with urllib.request.urlopen(entry["statusListCredential"], timeout=30) as response:
        assert response.headers["Content-Type"] == "application/jwt"
        assert "no-cache" in response.headers["Cache-Control"]
        listed = response.read().decode()
    jwks_url = pyjwt.get_unverified_header(listed)["kid"].partition("#")[0]
    key = pyjwt.PyJWKClient(jwks_url, cache_keys=False).get_signing_key_from_jwt(listed)
    status_list = pyjwt.decode(listed, key.key, algorithms=["RS256"])
    badge_issuer = pyjwt.decode(token, options={"verify_signature": False})["issuer"]["id"]
    assert status_list["issuer"] == badge_issuer
    assert status_list["id"] == entry["statusListCredential"]
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    subject = status_list["credentialSubject"]
    assert subject["type"] == "BitstringStatusList"
    assert subject["statusPurpose"] == "revocation"
    encoded = subject["encodedList"]
    assert encoded.startswith("u")  # multibase base64url, no padding
    body = encoded[1:]
    bitstring = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    assert len(bitstring) >= 16 * 1024  # herd privacy: at least 131,072 entries
    index = int(entry["statusListIndex"])
    return (bitstring[index // 8] >> (7 - index % 8)) & 1


def staff_acts(running: Running, act: Callable[[Session, Certificate, User], object]) -> None:
    with running.app.app_context():
        session = get_session()
        staff = session.get(User, add_learner(running.app, "staff@example.org", role=Role.STAFF))
        (certificate,) = session.scalars(select(Certificate)).all()
        assert staff is not None
        act(session, certificate, staff)
        session.commit()


def test_a_revoked_badge_reads_revoked_to_a_verifier_checking_status(running: Running) -> None:
    token = badge_token(running)
    assert revocation_bit(token) == 0

    staff_acts(
        running,
        lambda session, certificate, staff: corrections.revoke_certificate(
            session, certificate, reason="Identity fraud.", actor=staff
        ),
    )

    assert revocation_bit(token) == 1  # the badge downloaded before, checked again
    assert pyjwt.decode(token, options={"verify_signature": False})["jti"]  # still signed


def test_a_badge_superseded_by_a_reissue_reads_revoked_and_its_replacement_not(
    running: Running,
) -> None:
    token = badge_token(running)
    replaced: list[Certificate] = []
    staff_acts(
        running,
        lambda session, certificate, staff: replaced.append(
            corrections.reissue_certificate(
                session, certificate, actor=staff, catalog=current_catalog()
            )
        ),
    )

    assert revocation_bit(token) == 1
    (replacement,) = replaced
    assert replacement.badge_jwt is not None
    assert revocation_bit(replacement.badge_jwt) == 0


def test_a_badge_its_holder_withdrew_reads_revoked(running: Running) -> None:
    token = badge_token(running)
    with running.app.app_context():
        session = get_session()
        withdraw_certificates(session, session.scalars(select(User)).one())
        session.commit()

    assert revocation_bit(token) == 1
