"""Two-step verification: setting it up, signing in with a code or a recovery code (each good
once), remembering a device, turning it off, and staff pages that ask for it."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from lms.accounts.categories import Role
from lms.accounts.models import RecoveryCode, User
from lms.accounts.sign_in_steps import DEVICE_COOKIE
from lms.audit.models import AuditEvent
from lms.cli import cli
from lms.db import get_session
from tests.support.smtp import Mailbox, links_in, path_of
from tests.web.account_helpers import post_form
from tests.web.conftest import MadeUser, MakeApp
from tests.web.helpers import PASSWORD
from tests.web.staff_helpers import add_user

SECRET = re.compile(r'id="secret-key">([A-Z2-7]+)<')
RECOVERY = re.compile(r"<li><code>([a-z2-9-]{14})</code></li>")
CODE_PAGE = "/accounts/sign-in/code"


def sign_in(client: FlaskClient, email: str, *, remember: bool = False) -> str:
    data = {"email": email, "password": PASSWORD, **({"remember": "y"} if remember else {})}
    response = post_form(client, "/accounts/sign-in", data)
    assert response.status_code == 302
    return response.location


def set_up(client: FlaskClient) -> tuple[str, list[str]]:
    """Turn two-step verification on for the signed-in ``client``: its secret and codes."""
    page = client.get("/accounts/two-step/set-up").get_data(as_text=True)
    found = SECRET.search(page)
    assert found, page
    secret = found.group(1)
    response = post_form(client, "/accounts/two-step/set-up", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200
    codes = RECOVERY.findall(response.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def next_code(secret: str) -> str:
    """A code accepted after ``set_up``'s: the next step's (phones' clocks drift, so it is
    accepted now), as codes of steps already used, or before them, are not."""
    return pyotp.TOTP(secret).at(time.time() + 30)


@pytest.fixture
def enrolled(app: Flask, make_user: Callable[..., MadeUser]) -> tuple[MadeUser, str, list[str]]:
    user = make_user()
    client = app.test_client()
    sign_in(client, user.email)
    secret, codes = set_up(client)
    return user, secret, codes


@pytest.fixture
def app(mail_app: Flask) -> Flask:
    return mail_app


def test_setting_it_up_needs_a_right_code_and_is_audited(
    app: Flask, make_user: Callable[..., MadeUser]
) -> None:
    user = make_user()
    client = app.test_client()
    sign_in(client, user.email)
    client.get("/accounts/two-step/set-up")

    wrong = post_form(client, "/accounts/two-step/set-up", {"code": "000000"})
    assert wrong.status_code == 400
    assert "Ce code n’est pas le bon" in wrong.get_data(as_text=True)
    set_up(client)

    with app.app_context():
        stored = get_session().scalars(select(User).where(User.email == user.email)).one()
        assert stored.has_second_factor
        assert stored.totp_secret is not None
        assert len(stored.totp_secret) > 32  # sealed
        events = get_session().scalars(select(AuditEvent)).all()
        assert [(e.action, e.details.get("change")) for e in events] == [
            ("account.second_factor", "enabled")
        ]


def test_signing_in_asks_for_the_code_before_anything_else(
    app: Flask, enrolled: tuple[MadeUser, str, list[str]]
) -> None:
    user, secret, _codes = enrolled
    client = app.test_client()

    assert sign_in(client, user.email) == CODE_PAGE
    assert client.get("/accounts/profile").status_code == 302  # not signed in yet
    wrong = post_form(client, CODE_PAGE, {"code": "123456"})
    assert wrong.status_code == 400
    right = post_form(client, CODE_PAGE, {"code": next_code(secret)})
    assert right.status_code == 302
    assert client.get("/accounts/profile").status_code == 200


def test_a_code_is_good_once(app: Flask, enrolled: tuple[MadeUser, str, list[str]]) -> None:
    user, secret, _codes = enrolled
    code = next_code(secret)
    first, second = app.test_client(), app.test_client()
    sign_in(first, user.email)
    sign_in(second, user.email)

    assert post_form(first, CODE_PAGE, {"code": code}).status_code == 302
    assert post_form(second, CODE_PAGE, {"code": code}).status_code == 400


def test_a_recovery_code_is_good_once_and_is_audited(
    app: Flask, enrolled: tuple[MadeUser, str, list[str]]
) -> None:
    user, _secret, codes = enrolled
    first, second = app.test_client(), app.test_client()
    sign_in(first, user.email)
    sign_in(second, user.email)

    assert post_form(first, CODE_PAGE, {"code": codes[3].upper()}).status_code == 302
    assert post_form(second, CODE_PAGE, {"code": codes[3]}).status_code == 400
    assert "9 codes de récupération inutilisés" in first.get("/accounts/two-step").get_data(
        as_text=True
    )
    with app.app_context():
        changes = [e.details.get("change") for e in get_session().scalars(select(AuditEvent))]
    assert changes == ["enabled", "recovery_code_used"]


def test_a_remembered_device_skips_the_code_for_that_account_only(
    app: Flask, enrolled: tuple[MadeUser, str, list[str]], make_user: Callable[..., MadeUser]
) -> None:
    user, secret, _codes = enrolled
    client = app.test_client()
    sign_in(client, user.email)
    post_form(client, CODE_PAGE, {"code": next_code(secret), "remember_device": "y"})
    assert client.get_cookie(DEVICE_COOKIE) is not None
    post_form(client, "/accounts/sign-out", {}, page="/accounts/profile")

    assert sign_in(client, user.email) != CODE_PAGE
    assert client.get("/accounts/profile").status_code == 200
    # Elsewhere, the code is asked again.
    assert sign_in(app.test_client(), user.email) == CODE_PAGE


def test_wrong_codes_are_limited_per_account(
    app: Flask, enrolled: tuple[MadeUser, str, list[str]]
) -> None:
    user, _secret, _codes = enrolled
    answers = []
    for _ in range(6):
        client = app.test_client()
        sign_in(client, user.email)
        answers.append(post_form(client, CODE_PAGE, {"code": "000000"}).status_code)

    assert answers == [400] * 5 + [429]


def test_turning_it_off_needs_the_password(
    app: Flask, enrolled: tuple[MadeUser, str, list[str]]
) -> None:
    user, secret, _codes = enrolled
    client = app.test_client()
    sign_in(client, user.email)
    post_form(client, CODE_PAGE, {"code": next_code(secret)})

    wrong = post_form(
        client, "/accounts/two-step/turn-off", {"off-password": "wrong"}, page="/accounts/two-step"
    )
    assert wrong.status_code == 400
    right = post_form(
        client, "/accounts/two-step/turn-off", {"off-password": PASSWORD}, page="/accounts/two-step"
    )
    assert right.status_code == 302
    assert sign_in(app.test_client(), user.email) != CODE_PAGE


def test_new_recovery_codes_replace_the_old_ones(
    app: Flask, enrolled: tuple[MadeUser, str, list[str]]
) -> None:
    user, secret, old = enrolled
    client = app.test_client()
    sign_in(client, user.email)
    post_form(client, CODE_PAGE, {"code": next_code(secret)})
    renewed = post_form(
        client,
        "/accounts/two-step/recovery-codes",
        {"codes-password": PASSWORD},
        page="/accounts/two-step",
    )
    new = RECOVERY.findall(renewed.get_data(as_text=True))
    assert len(new) == 10

    stranger = app.test_client()
    sign_in(stranger, user.email)
    assert post_form(stranger, CODE_PAGE, {"code": old[0]}).status_code == 400
    assert post_form(stranger, CODE_PAGE, {"code": new[0]}).status_code == 302


def test_staff_pages_ask_for_a_second_factor_when_required(
    make_app: MakeApp, make_user: Callable[..., MadeUser]
) -> None:
    app = make_app(require_2fa_for_staff=True)
    staff = _make_staff(app)
    client = app.test_client()
    sign_in(client, staff)

    asked = client.get("/staff/")
    assert asked.status_code == 302
    assert asked.location == "/accounts/two-step"
    assert client.get("/accounts/profile").status_code == 200  # own pages stay open
    secret, _codes = set_up(client)
    assert client.get("/staff/").status_code == 200

    # Kept signed in on another browser by its remember-me cookie alone: asked for a code.
    other = app.test_client()
    sign_in(other, staff, remember=True)
    post_form(other, CODE_PAGE, {"code": next_code(secret)})
    remembered = app.test_client()
    kept = other.get_cookie("remember_token")
    assert kept is not None
    remembered.set_cookie("remember_token", kept.value)
    step_up = remembered.get("/staff/")
    assert step_up.status_code == 302
    assert step_up.location.startswith(CODE_PAGE)


def _make_staff(app: Flask) -> str:
    add_user(app, "staff.2fa@example.org", role=Role.STAFF)
    return "staff.2fa@example.org"


def test_deleting_the_account_deletes_its_secret_and_recovery_codes(
    app: Flask, enrolled: tuple[MadeUser, str, list[str]]
) -> None:
    user, secret, _codes = enrolled
    client = app.test_client()
    sign_in(client, user.email)
    post_form(client, CODE_PAGE, {"code": next_code(secret)})

    deleted = post_form(
        client, "/accounts/my-data/delete", {"confirmation": user.email}, page="/accounts/my-data"
    )

    assert deleted.status_code == 303
    with app.app_context():
        session = get_session()
        stored = session.get(User, user.id)
        assert stored is not None
        assert (stored.totp_secret, stored.totp_enabled_at, stored.totp_last_step) == (
            None,
            None,
            None,
        )
        assert session.scalars(select(RecoveryCode)).all() == []


def test_a_reset_link_sets_the_password_but_still_asks_for_the_code(
    app: Flask, enrolled: tuple[MadeUser, str, list[str]], mailbox: Mailbox
) -> None:
    user, secret, _codes = enrolled
    client = app.test_client()
    post_form(client, "/accounts/reset", {"email": user.email})
    (link,) = [found for found in links_in(mailbox.to(user.email)[-1]) if "/reset/" in found]
    new_password = "another long passphrase for the test"

    chosen = post_form(
        client, path_of(link), {"password": new_password, "confirm_password": new_password}
    )

    assert chosen.status_code == 302
    assert chosen.location == CODE_PAGE
    assert client.get("/accounts/profile").status_code == 302  # not signed in yet
    assert post_form(client, CODE_PAGE, {"code": next_code(secret)}).status_code == 302
    assert client.get("/accounts/profile").status_code == 200


def test_an_operator_removes_the_second_factor_of_a_person_who_lost_everything(
    app: Flask, enrolled: tuple[MadeUser, str, list[str]]
) -> None:
    user, _secret, _codes = enrolled
    runner = app.test_cli_runner()

    done = runner.invoke(cli, ["users", "remove-2fa", user.email])
    again = runner.invoke(cli, ["users", "remove-2fa", user.email])

    assert done.exit_code == 0, done.output
    assert "Two-step verification is off" in done.output
    assert again.exit_code == 1  # nothing left to remove: said, not done twice
    assert sign_in(app.test_client(), user.email) != CODE_PAGE
    with app.app_context():
        changes = [e.details.get("change") for e in get_session().scalars(select(AuditEvent))]
    assert changes == ["enabled", "disabled"]
