"""Badges checked as outside verifiers check them: keys fetched over HTTP from a running server."""

from __future__ import annotations

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
from werkzeug.serving import BaseWSGIServer, make_server

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
