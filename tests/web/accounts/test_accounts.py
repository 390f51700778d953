"""Signing in and out; CSRF protection on every POST."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from lms.accounts import services as accounts
from lms.accounts.categories import Role
from lms.accounts.models import User
from lms.db import get_session
from tests.web.conftest import MadeUser
from tests.web.helpers import submit_form


def test_sign_in_and_out(
    client: FlaskClient, make_user: Callable[..., MadeUser], login: Callable[..., TestResponse]
) -> None:
    user = make_user()

    response = login(user.email, user.password)
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"  # their program and courses
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Connexion réussie." in page
    assert "Se déconnecter" in page

    response = submit_form(client, "/accounts/sign-out", {}, page="/courses")
    assert response.status_code == 302
    page = client.get("/courses").get_data(as_text=True)
    assert "Déconnexion réussie." in page
    assert "Se déconnecter" not in page


def test_email_is_stored_lower_case_and_matched_case_insensitively(
    make_user: Callable[..., MadeUser], login: Callable[..., TestResponse]
) -> None:
    user = make_user(email="  Ada.Lovelace@Example.ORG ")
    assert user.email == "ada.lovelace@example.org"
    assert login("ADA.LOVELACE@example.org", user.password).status_code == 302


@pytest.mark.parametrize("email", ["staff@example.org", "nobody@example.org"])
def test_wrong_credentials_get_one_message_in_french(
    client: FlaskClient,
    make_user: Callable[..., MadeUser],
    login: Callable[..., TestResponse],
    email: str,
) -> None:
    make_user(email="staff@example.org", role=Role.STAFF)

    response = login(email, "not the password")

    assert response.status_code == 400
    assert "L’adresse courriel ou le mot de passe est incorrect." in response.get_data(as_text=True)
    assert "Se déconnecter" not in client.get("/courses").get_data(as_text=True)


def test_sign_in_returns_to_a_local_next_page_only(
    client: FlaskClient, make_user: Callable[..., MadeUser]
) -> None:
    user = make_user()
    data = {"email": user.email, "password": user.password, "next": "https://evil.example/"}
    response = submit_form(client, "/accounts/sign-in", data)
    assert response.headers["Location"] == "/dashboard"


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/accounts/sign-in", {"email": "a@example.org", "password": "x"}),
        ("/accounts/language", {"language": "en", "next": "/courses"}),
        ("/accounts/sign-out", {}),
    ],
)
def test_post_without_csrf_token_is_refused(
    client: FlaskClient, path: str, data: dict[str, str]
) -> None:
    response = client.post(path, data=data)

    assert response.status_code == 400
    assert "Requête invalide" in response.get_data(as_text=True)
    assert client.get_cookie("lang") is None


def test_post_with_a_forged_csrf_token_is_refused(client: FlaskClient) -> None:
    client.get("/accounts/sign-in")
    response = client.post(
        "/accounts/language", data={"language": "en", "csrf_token": "forged.token.value"}
    )
    assert response.status_code == 400
    assert client.get_cookie("lang") is None


def test_a_racing_duplicate_email_is_stopped_by_the_unique_constraint(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    with app.app_context():
        session = get_session()
        first = accounts.create_user(session, "race@example.org", "pw-one-two-three")
        # As if a concurrent request had passed the look-up before this one's insert.
        monkeypatch.setattr(accounts, "find_user_by_email", lambda *_args: None)

        with pytest.raises(accounts.EmailAlreadyRegistered):
            accounts.create_user(session, "Race@example.org", "pw-four-five-six")

        # Only the savepoint was rolled back: the first user is still there to commit.
        session.commit()
        assert session.scalars(select(User.email)).all() == [first.email]
