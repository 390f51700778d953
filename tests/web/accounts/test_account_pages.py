"""Account pages: CSRF on every POST, the privacy notice, header links, both languages."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from lms.accounts.models import User
from lms.accounts.services import PRIVACY_NOTICE_VERSION
from lms.db import get_session
from tests.support.smtp import Mailbox
from tests.web.account_helpers import sign_up_data
from tests.web.conftest import MadeUser, MakeApp


@pytest.fixture
def app(mail_app: Flask) -> Flask:
    return mail_app


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/accounts/sign-up", sign_up_data()),
        ("/accounts/reset", {"email": "a@example.org"}),
        ("/accounts/reset/sometoken", {"password": "x" * 20, "confirm_password": "x" * 20}),
        ("/accounts/confirm/resend", {}),
        ("/accounts/profile", {"certificate_name": "Mallory"}),
        ("/accounts/password", {"current_password": "x", "new_password": "y" * 20}),
    ],
)
def test_every_account_post_without_a_csrf_token_is_refused(
    app: Flask,
    client: FlaskClient,
    make_user: Callable[..., MadeUser],
    login: Callable[..., TestResponse],
    mailbox: Mailbox,
    path: str,
    data: dict[str, str | list[str]],
) -> None:
    login(make_user().email)

    response = client.post(path, data=data)

    assert response.status_code == 400
    assert mailbox.messages == []
    with app.app_context():
        assert get_session().scalar(select(func.count(User.id))) == 1
        assert get_session().scalar(select(User.certificate_name)) is None


def test_the_privacy_notice_in_french_and_english(client: FlaskClient) -> None:
    french = client.get("/privacy").get_data(as_text=True)
    assert "<h1>Avis de confidentialité</h1>" in french
    assert "Commission d’accès à l’information du Québec" in french
    assert PRIVACY_NOTICE_VERSION in french

    english = client.get("/privacy", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "<h1>Privacy notice</h1>" in english
    assert "Law 25" in english
    assert PRIVACY_NOTICE_VERSION in english


def test_the_privacy_notice_states_the_retention_and_the_self_service_page(
    make_app: MakeApp,
) -> None:
    french = make_app().test_client().get("/privacy").get_data(as_text=True)
    assert "qui n’a pas servi depuis 3 ans" in french
    assert 'href="/accounts/my-data">Vos données</a>' in french

    english = {"Accept-Language": "en"}
    default = make_app().test_client().get("/privacy", headers=english).get_data(as_text=True)
    assert "used for 3 years is deleted" in default
    assert 'href="/accounts/my-data">Your data</a>' in default

    forever = make_app(retention_years=0).test_client().get("/privacy", headers=english)
    assert "An account that nobody has signed in to" not in forever.get_data(as_text=True)


def test_the_header_offers_sign_up_and_sign_in_when_signed_out(client: FlaskClient) -> None:
    page = client.get("/courses").get_data(as_text=True)
    assert 'href="/accounts/sign-up"' in page
    assert 'href="/accounts/sign-in"' in page
    assert 'href="/accounts/profile"' not in page


def test_the_sign_up_page_in_english(client: FlaskClient) -> None:
    page = client.get("/accounts/sign-up", headers={"Accept-Language": "en"})
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "<legend>Your role(s) in research with and for patients</legend>" in text
    assert "Nature and technologies" in text
    assert '<input checked id="language-1" name="language" type="radio" value="en">' in text


@pytest.mark.parametrize("user_id", ["1:forged", "99999999999999999999999:x", "abc", ""])
def test_a_forged_session_id_is_anonymous(app: Flask, user_id: str) -> None:
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user_id
    response = client.get("/accounts/profile")
    assert response.status_code == 302
