"""Certificates wait for a confirmed address: the badge asserts it, so nobody's unproven one."""

from __future__ import annotations

import hashlib
import json

import jwt as pyjwt
import pytest
from flask import Flask
from flask.testing import FlaskClient

from lms.accounts.links import link_token
from lms.accounts.models import User
from lms.accounts.tokens import Purpose
from lms.cli import cli
from lms.config import current_settings
from lms.db import get_session, utcnow
from tests.web.certificate_helpers import (
    CERTIFICATE_CONTENT,
    RENEWABLE,
    add_learner,
    certificates_in,
    complete_course,
    only_certificate,
)
from tests.web.conftest import MakeApp
from tests.web.helpers import csrf_token
from tests.web.learning_helpers import sign_in

EMAIL = "lea@example.org"


@pytest.fixture
def app(make_app: MakeApp) -> Flask:
    return make_app(content_dir=CERTIFICATE_CONTENT)


@pytest.fixture
def unconfirmed(app: Flask, client: FlaskClient) -> int:
    """A learner with a name, signed in on ``client``, who completed RENEWABLE before
    confirming their address: their id."""
    user_id = add_learner(app, EMAIL, language="en")
    with app.app_context():
        session = get_session()
        session.get_one(User, user_id).email_confirmed_at = None
        session.commit()
    complete_course(app, user_id, RENEWABLE)
    sign_in(client, EMAIL)
    return user_id


def confirmation_link(app: Flask, user_id: int) -> str:
    with app.app_context():
        user = get_session().get_one(User, user_id)
        token = link_token(user, Purpose.CONFIRM_EMAIL, current_settings().secret_key)
    return f"/accounts/confirm/{token}"


def test_no_certificate_is_issued_to_an_unconfirmed_address(
    app: Flask, client: FlaskClient, unconfirmed: int
) -> None:
    assert certificates_in(app) == []

    page = client.get("/certificates").get_data(as_text=True)
    assert "Certificates waiting for you" in page
    assert f"open the link we sent to {EMAIL}, and your certificates will be issued" in page
    assert 'action="/accounts/confirm/resend"' in page  # the way out: the mail again
    assert 'action="/certificates/claim"' not in page
    course = client.get(f"/courses/{RENEWABLE}").get_data(as_text=True)
    assert "Your certificate waits for your confirmed address" in course
    assert 'action="/accounts/confirm/resend"' in course

    token = csrf_token(client, "/certificates")  # a claim sent from a page opened before
    claimed = client.post("/certificates/claim", data={"csrf_token": token}, follow_redirects=True)
    assert certificates_in(app) == []
    assert "Your certificates wait for your confirmed email address." in claimed.get_data(
        as_text=True
    )


def test_the_page_says_why_in_french(app: Flask, client: FlaskClient, unconfirmed: int) -> None:
    with app.app_context():
        session = get_session()
        session.get_one(User, unconfirmed).language = "fr"
        session.commit()

    page = client.get("/certificates").get_data(as_text=True)
    assert "Une attestation est délivrée à une adresse courriel confirmée" in page
    course = client.get(f"/courses/{RENEWABLE}").get_data(as_text=True)
    assert "Votre attestation attend la confirmation de votre adresse" in course


def test_confirming_the_address_issues_the_certificate_that_waited(
    app: Flask, client: FlaskClient, unconfirmed: int
) -> None:
    response = client.get(confirmation_link(app, unconfirmed))

    assert response.status_code == 302
    certificate = only_certificate(app)
    assert certificate.definition_id == RENEWABLE
    # The badge asserts the address now proven, hashed with its salt.
    assert certificate.badge_jwt is not None
    claims = pyjwt.decode(certificate.badge_jwt, options={"verify_signature": False})
    (hashed,) = [
        i for i in claims["credentialSubject"]["identifier"] if i["identityType"] == "emailAddress"
    ]
    expected = hashlib.sha256((EMAIL + hashed["salt"]).encode()).hexdigest()
    assert hashed["identityHash"] == f"sha256${expected}"
    assert EMAIL not in json.dumps(claims)


def test_issue_due_issues_once_the_address_is_confirmed(app: Flask, unconfirmed: int) -> None:
    waiting = app.test_cli_runner().invoke(cli, ["certificates", "issue-due"])
    assert "0 certificate(s) issued." in waiting.output
    with app.app_context():  # confirmed some other way than the link (no signal sent)
        session = get_session()
        session.get_one(User, unconfirmed).email_confirmed_at = utcnow()
        session.commit()

    result = app.test_cli_runner().invoke(cli, ["certificates", "issue-due"])

    assert result.exit_code == 0, result.output
    assert "1 certificate(s) issued." in result.output
    assert only_certificate(app).definition_id == RENEWABLE
