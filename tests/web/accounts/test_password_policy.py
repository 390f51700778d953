"""The password policy everywhere a password is chosen: sign-up, change, reset, invitation."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from lms.accounts import links, services
from lms.accounts.categories import Affiliation, ResearchRole
from lms.accounts.models import User
from lms.accounts.tokens import Purpose
from lms.config import current_settings
from lms.db import get_session
from tests.support.smtp import Mailbox, links_in, path_of
from tests.web.account_helpers import post_form, sign_up
from tests.web.conftest import MadeUser
from tests.web.helpers import PASSWORD

COMMON = "password1234"
COMMON_MESSAGE = "among the most common ones"
PERSONAL_MESSAGE = "must not be your email address or your name"


@pytest.fixture
def app(mail_app: Flask) -> Flask:
    return mail_app


def _users(app: Flask) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count(User.id))) or 0


@pytest.mark.parametrize(
    ("password", "message"),
    [
        (COMMON, COMMON_MESSAGE),
        ("Sunshine2026!", COMMON_MESSAGE),
        ("ada@example.org", PERSONAL_MESSAGE),
        ("Ada Lovelace-Côté", PERSONAL_MESSAGE),
    ],
)
def test_sign_up_refuses_common_and_personal_passwords(
    app: Flask, client: FlaskClient, password: str, message: str
) -> None:
    client.set_cookie("lang", "en")
    response = sign_up(client, password=password, confirm_password=password)

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page
    assert 'id="password-error"' in page
    assert _users(app) == 0


def test_changing_to_a_common_password_is_refused(
    client: FlaskClient, make_user: Callable[..., MadeUser]
) -> None:
    user = make_user(email="grace@example.org", language="en")
    post_form(client, "/accounts/sign-in", {"email": user.email, "password": PASSWORD})
    for new, message in ((COMMON, COMMON_MESSAGE), ("grace@example.org", PERSONAL_MESSAGE)):
        data = {"current_password": PASSWORD, "new_password": new, "confirm_password": new}
        response = post_form(client, "/accounts/password", data, page="/accounts/profile")
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)


def test_a_reset_refuses_a_common_password(
    client: FlaskClient, make_user: Callable[..., MadeUser], mailbox: Mailbox
) -> None:
    user = make_user(email="grace@example.org", language="en")
    client.set_cookie("lang", "en")
    post_form(client, "/accounts/reset", {"email": user.email})
    (link,) = [x for x in links_in(mailbox.last(user.email)) if "/accounts/reset/" in x]

    response = post_form(client, path_of(link), {"password": COMMON, "confirm_password": COMMON})

    assert response.status_code == 400
    assert COMMON_MESSAGE in response.get_data(as_text=True)


def test_the_services_refuse_what_the_forms_refuse(app: Flask) -> None:
    """The rule lives in the services: a caller that skips the forms is held to it too."""
    profile = services.Profile(
        certificate_name="Ada Lovelace",
        language="fr",
        research_roles=frozenset({ResearchRole.TRAINEE}),
        affiliation=Affiliation.UNIVERSITY,
        affiliation_other=None,
        frq_fellowship=False,
        frq_sector=None,
    )
    with app.test_request_context():
        session = get_session()
        with pytest.raises(services.PasswordTooCommon):
            services.check_sign_up("ada@example.org", COMMON, profile, privacy_consent=True)
        with pytest.raises(services.PasswordTooPersonal):
            services.check_sign_up("ada@example.org", "ada lovelace", profile, privacy_consent=True)

        invited = services.create_user(session, "zoe@example.org", None)
        session.flush()
        token = services.link_token(
            invited, Purpose.ACCEPT_INVITATION, current_settings().secret_key
        )
        with pytest.raises(services.PasswordTooCommon):
            links.accept_invitation(
                session,
                token,
                COMMON,
                profile,
                privacy_consent=True,
                secret_key=current_settings().secret_key,
            )
        with pytest.raises(services.PasswordTooPersonal):
            links.accept_invitation(
                session,
                token,
                "zoe@example.org",
                profile,
                privacy_consent=True,
                secret_key=current_settings().secret_key,
            )
        assert links.accept_invitation(
            session,
            token,
            PASSWORD,
            profile,
            privacy_consent=True,
            secret_key=current_settings().secret_key,
        ).password_hash
        session.rollback()
