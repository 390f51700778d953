"""The profile page: editing the profile, changing the password, the confirmation banner."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from lms.accounts.categories import Affiliation, FrqSector, ResearchRole
from lms.accounts.models import User
from lms.db import get_session
from tests.support.smtp import Mailbox, links_in, path_of
from tests.web.account_helpers import FormData, post_form, sign_up
from tests.web.conftest import MadeUser
from tests.web.helpers import PASSWORD

NEW_PASSWORD = "another long passphrase"

PROFILE: FormData = {
    "certificate_name": "Grace Hopper",
    "language": "en",
    "research_roles": ["clinician", "academic_leader"],
    "affiliation": "other",
    "affiliation_other": "Unité de soutien SSA",
    "frq_fellowship": "yes",
    "frq_sector": "health",
}


@pytest.fixture
def app(mail_app: Flask) -> Flask:
    return mail_app


@pytest.fixture
def user(
    make_user: Callable[..., MadeUser], login: Callable[..., TestResponse], client: FlaskClient
) -> MadeUser:
    made = make_user(email="grace@example.org", language="en")
    login(made.email)
    return made


def stored(app: Flask, email: str) -> User:
    with app.app_context():
        found = get_session().scalar(select(User).where(User.email == email))
        assert found is not None
        get_session().expunge(found)
        return found


def test_the_profile_needs_signing_in(client: FlaskClient) -> None:
    response = client.get("/accounts/profile")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/sign-in?next=")


def test_the_header_links_to_the_profile_when_signed_in(
    client: FlaskClient, user: MadeUser
) -> None:
    page = client.get("/courses").get_data(as_text=True)
    assert 'href="/accounts/profile"' in page
    assert 'href="/accounts/sign-up"' not in page


def test_editing_the_profile(app: Flask, client: FlaskClient, user: MadeUser) -> None:
    response = post_form(client, "/accounts/profile", PROFILE)

    assert response.status_code == 302
    assert "Your profile is saved." in client.get("/accounts/profile").get_data(as_text=True)
    found = stored(app, user.email)
    assert found.certificate_name == "Grace Hopper"
    assert found.roles_in_research == {ResearchRole.CLINICIAN, ResearchRole.ACADEMIC_LEADER}
    assert (found.affiliation, found.affiliation_other) == (
        Affiliation.OTHER,
        "Unité de soutien SSA",
    )
    assert (found.frq_fellowship, found.frq_sector) == (True, FrqSector.HEALTH)

    # Shown back in the form.
    page = client.get("/accounts/profile").get_data(as_text=True)
    assert 'value="Grace Hopper"' in page
    assert 'value="Unité de soutien SSA"' in page
    assert '<option selected value="health">' in page or 'value="health" selected' in page


def test_switching_the_language_in_the_profile_switches_the_pages(
    client: FlaskClient, user: MadeUser
) -> None:
    post_form(client, "/accounts/profile", {**PROFILE, "language": "fr"})
    assert '<html lang="fr">' in client.get("/accounts/profile").get_data(as_text=True)


def test_a_bad_profile_gets_form_errors(app: Flask, client: FlaskClient, user: MadeUser) -> None:
    data = {**PROFILE, "research_roles": ["wizard"], "frq_sector": "", "certificate_name": ""}
    response = post_form(client, "/accounts/profile", data)

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for field in ("research_roles", "frq_sector", "certificate_name"):
        assert f'id="{field}-error"' in page
    assert stored(app, user.email).certificate_name is None


def test_changing_the_password_needs_the_current_one(
    app: Flask, client: FlaskClient, user: MadeUser, mailbox: Mailbox
) -> None:
    data = {
        "current_password": "not my password",
        "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD,
    }
    response = post_form(client, "/accounts/password", data, page="/accounts/profile")

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert '<p class="field-error" id="current_password-error">' in page
    assert "Your current password is not correct." in page
    assert mailbox.messages == []


def test_changing_the_password_ends_other_sessions_but_not_this_one(
    app: Flask, client: FlaskClient, user: MadeUser, mailbox: Mailbox
) -> None:
    elsewhere = app.test_client()
    post_form(elsewhere, "/accounts/sign-in", {"email": user.email, "password": PASSWORD})
    assert elsewhere.get("/accounts/profile").status_code == 200

    data = {
        "current_password": PASSWORD,
        "new_password": NEW_PASSWORD,
        "confirm_password": NEW_PASSWORD,
    }
    response = post_form(client, "/accounts/password", data, page="/accounts/profile")

    assert response.status_code == 302
    assert client.get("/accounts/profile").status_code == 200
    assert elsewhere.get("/accounts/profile").status_code == 302
    assert mailbox.last(user.email)["Subject"] == "Your Parcours password was changed"


@pytest.mark.parametrize(
    ("new", "confirm", "field"),
    [("short", "short", "new_password"), (NEW_PASSWORD, "other", "confirm_password")],
)
def test_a_bad_new_password_gets_a_form_error(
    client: FlaskClient, user: MadeUser, new: str, confirm: str, field: str
) -> None:
    data = {"current_password": PASSWORD, "new_password": new, "confirm_password": confirm}
    response = post_form(client, "/accounts/password", data, page="/accounts/profile")
    assert response.status_code == 400
    assert f'id="{field}-error"' in response.get_data(as_text=True)


def test_an_unconfirmed_user_can_sign_in_and_ask_for_a_new_link(
    app: Flask, client: FlaskClient, mailbox: Mailbox
) -> None:
    client.set_cookie("lang", "en")
    sign_up(client, language="en")
    first = mailbox.last("ada@example.org")

    signed_in = post_form(
        client, "/accounts/sign-in", {"email": "ada@example.org", "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    assert "not confirmed yet" in client.get("/courses").get_data(as_text=True)
    profile = client.get("/accounts/profile").get_data(as_text=True)
    assert "Confirm your email address" in profile
    assert 'action="/accounts/confirm/resend"' in profile

    response = post_form(client, "/accounts/confirm/resend", {}, page="/accounts/profile")
    assert response.status_code == 302
    assert len(mailbox.to("ada@example.org")) == 2
    second = mailbox.last("ada@example.org")
    assert second["Message-ID"] != first["Message-ID"]

    (link,) = [link for link in links_in(second) if "/confirm/" in link]
    assert client.get(path_of(link)).headers["Location"] == "/courses"
    profile = client.get("/accounts/profile").get_data(as_text=True)
    assert 'action="/accounts/confirm/resend"' not in profile
    assert "(confirmed)" in profile


def test_resending_to_a_confirmed_address_sends_nothing(
    client: FlaskClient, mailbox: Mailbox, app: Flask
) -> None:
    sign_up(client, language="en")
    (link,) = [link for link in links_in(mailbox.last("ada@example.org")) if "/confirm/" in link]
    client.get(path_of(link))
    post_form(client, "/accounts/sign-in", {"email": "ada@example.org", "password": PASSWORD})

    post_form(client, "/accounts/confirm/resend", {}, page="/accounts/profile")

    assert len(mailbox.messages) == 1


def test_the_profile_shows_the_consent_date(client: FlaskClient, mailbox: Mailbox) -> None:
    sign_up(client, language="en")
    post_form(client, "/accounts/sign-in", {"email": "ada@example.org", "password": PASSWORD})

    page = client.get("/accounts/profile").get_data(as_text=True)
    assert "Agreed on" in page
    assert 'href="/privacy"' in page
