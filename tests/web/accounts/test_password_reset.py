"""Password reset by mail: the same answer for every address, links that expire and work once."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner
from sqlalchemy import select
from werkzeug.test import TestResponse

from lms.accounts.models import User
from lms.db import get_session
from tests.support.smtp import Mailbox, links_in, path_of, text_of
from tests.web.account_helpers import post_form
from tests.web.conftest import MadeUser
from tests.web.helpers import CSRF_INPUT

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def app(mail_app: Flask) -> Flask:
    return mail_app


@pytest.fixture
def user(make_user: Callable[..., MadeUser]) -> MadeUser:
    return make_user(email="grace@example.org", language="en")


def request_reset(client: FlaskClient, email: str) -> TestResponse:
    return post_form(client, "/accounts/reset", {"email": email})


def reset_path(mailbox: Mailbox, email: str) -> str:
    (link,) = [link for link in links_in(mailbox.last(email)) if "/accounts/reset/" in link]
    return path_of(link)


def choose(client: FlaskClient, path: str, password: str = NEW_PASSWORD) -> TestResponse:
    return post_form(client, path, {"password": password, "confirm_password": password})


def sign_in(client: FlaskClient, email: str, password: str) -> TestResponse:
    return post_form(client, "/accounts/sign-in", {"email": email, "password": password})


def test_a_reset_link_sets_a_new_password_once(
    app: Flask, client: FlaskClient, user: MadeUser, mailbox: Mailbox
) -> None:
    client.set_cookie("lang", "en")
    response = request_reset(client, "GRACE@example.org")
    assert response.headers["Location"] == "/accounts/reset/sent"
    message = mailbox.last(user.email)
    assert message["Subject"] == "Choose a new password for Parcours"
    assert "works once, within 1 hour" in text_of(message)
    path = reset_path(mailbox, user.email)

    form = client.get(path)
    assert form.status_code == 200
    assert form.headers["Referrer-Policy"] == "no-referrer"
    response = choose(client, path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/courses"
    assert "Your new password is saved" in client.get("/courses").get_data(as_text=True)
    assert mailbox.last(user.email)["Subject"] == "Your Parcours password was changed"

    # Used: the link no longer works, for showing the form or for sending it.
    assert client.get(path).status_code == 404
    assert choose(client, path, "yet another passphrase").status_code == 404

    other = app.test_client()
    assert sign_in(other, user.email, user.password).status_code == 400
    assert sign_in(other, user.email, NEW_PASSWORD).status_code == 302


def test_following_a_reset_link_confirms_the_address(
    app: Flask, client: FlaskClient, user: MadeUser, mailbox: Mailbox
) -> None:
    request_reset(client, user.email)
    choose(client, reset_path(mailbox, user.email))

    with app.app_context():
        found = get_session().scalar(select(User).where(User.email == user.email))
        assert found is not None
        assert found.email_confirmed_at is not None


def test_an_expired_reset_link_is_refused(
    client: FlaskClient, user: MadeUser, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    request_reset(client, user.email)
    path = reset_path(mailbox, user.email)
    later = int(time.time()) + 3600 + 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda _self: later)

    shown = client.get(path, headers={"Accept-Language": "en"})
    assert shown.status_code == 410
    assert "has expired" in shown.get_data(as_text=True)
    assert 'href="/accounts/reset"' in shown.get_data(as_text=True)


def test_an_expired_reset_link_cannot_be_used_even_with_a_form(
    app: Flask,
    client: FlaskClient,
    user: MadeUser,
    mailbox: Mailbox,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    request_reset(client, user.email)
    path = reset_path(mailbox, user.email)
    page = client.get(path).get_data(as_text=True)
    token = CSRF_INPUT.search(page)
    assert token
    later = int(time.time()) + 2 * 3600
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda _self: later)

    data = {"password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD, "csrf_token": token[1]}
    assert client.post(path, data=data).status_code == 410
    assert sign_in(app.test_client(), user.email, user.password).status_code == 302


def test_an_older_link_stops_working_once_the_password_changes(
    client: FlaskClient, user: MadeUser, mailbox: Mailbox
) -> None:
    request_reset(client, user.email)
    first = reset_path(mailbox, user.email)
    request_reset(client, user.email)
    second = reset_path(mailbox, user.email)

    assert choose(client, second).status_code == 302
    assert client.get(first).status_code == 404


@pytest.mark.parametrize("token", ["nonsense", "a.b.c", "x" * 4000])
def test_a_made_up_reset_link_is_refused(client: FlaskClient, token: str) -> None:
    response = client.get(f"/accounts/reset/{token}", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert "is not valid, or it has already been used" in response.get_data(as_text=True)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(
    app: Flask, client: FlaskClient, user: MadeUser, mailbox: Mailbox
) -> None:
    known = request_reset(client, user.email)
    unknown = request_reset(app.test_client(), "nobody@example.org")

    assert (unknown.status_code, unknown.headers["Location"]) == (
        known.status_code,
        known.headers["Location"],
    )
    assert unknown.get_data() == known.get_data()
    assert [m["To"] for m in mailbox.messages] == [user.email]


def test_the_reset_sent_page_says_the_same_for_everyone(client: FlaskClient) -> None:
    page = client.get("/accounts/reset/sent", headers={"Accept-Language": "en"})
    assert "If an account uses this address" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"password": "short", "confirm_password": "short"}, "password"),
        ({"password": NEW_PASSWORD, "confirm_password": "different"}, "confirm_password"),
        ({"password": "p" * 2000, "confirm_password": "p" * 2000}, "password"),
    ],
)
def test_a_bad_new_password_gets_a_form_error(
    client: FlaskClient, user: MadeUser, mailbox: Mailbox, data: dict[str, str], field: str
) -> None:
    request_reset(client, user.email)
    path = reset_path(mailbox, user.email)

    response = post_form(client, path, data)

    assert response.status_code == 400
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    # The link still works: nothing was used up.
    assert client.get(path).status_code == 200


@pytest.mark.parametrize("email", ["not an email", "x" * 300 + "@example.org", ""])
def test_a_bad_address_gets_a_form_error(client: FlaskClient, mailbox: Mailbox, email: str) -> None:
    response = request_reset(client, email)
    assert response.status_code == 400
    assert 'id="email-error"' in response.get_data(as_text=True)
    assert mailbox.messages == []


def test_the_sign_in_page_links_to_the_reset(client: FlaskClient) -> None:
    page = client.get("/accounts/sign-in").get_data(as_text=True)
    assert 'href="/accounts/reset"' in page
    assert 'href="/accounts/sign-up"' in page


def test_a_reset_link_opened_elsewhere_shows_in_its_owners_language(
    app: Flask, client: FlaskClient, user: MadeUser, mailbox: Mailbox
) -> None:
    """Grace reads English; her phone's browser asks for French and has never been here."""
    request_reset(client, user.email)
    path = reset_path(mailbox, user.email)
    phone = app.test_client()
    french = {"Accept-Language": "fr-CA,fr"}

    assert "Choose a new password" in phone.get(path, headers=french).get_data(as_text=True)
    chosen = app.test_client()
    chosen.set_cookie("lang", "fr")  # a visitor who chose French with the language switch
    assert "Choisir un nouveau mot de passe" in chosen.get(path).get_data(as_text=True)
    choose(phone, path)
    landing = phone.get("/courses", headers=french).get_data(as_text=True)
    assert "Your new password is saved" in landing
