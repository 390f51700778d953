"""Admins give and take roles, in the interface and with `lms users set-role`; each is audited."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from lms.accounts.categories import Role
from lms.accounts.models import User
from lms.admin.services import set_role
from lms.cli import cli
from lms.db import get_session
from tests.web.account_helpers import post_form
from tests.web.conftest import MakeApp
from tests.web.helpers import hidden_fields
from tests.web.learning_helpers import sign_in
from tests.web.staff_helpers import add_user, audit_events, staff_app, user_by_email


@pytest.fixture
def app(make_app: MakeApp) -> Flask:
    return staff_app(make_app)


@pytest.fixture
def admin(app: Flask, client: FlaskClient) -> int:
    admin_id = add_user(app, "admin@example.org", role=Role.ADMIN)
    sign_in(client, "admin@example.org")
    return admin_id


def role_of(app: Flask, email: str) -> Role:
    user = user_by_email(app, email)
    assert user is not None
    return user.role


def test_an_admin_makes_a_learner_staff_and_back(
    app: Flask, client: FlaskClient, admin: int
) -> None:
    learner = add_user(app, "lea@example.org")
    page = client.get("/admin/users?q=lea").get_data(as_text=True)
    assert "lea@example.org" in page
    assert f'action="/admin/users/{learner}/role"' in page
    assert f'<label for="role-{learner}"' in page

    confirm = f"/admin/users/{learner}/role?role=staff"
    page = client.get(confirm).get_data(as_text=True)
    assert "Make lea@example.org: Staff?" in page
    assert "see every learner’s record" in page
    response = post_form(client, f"/admin/users/{learner}/role", {}, confirm)

    assert response.status_code == 303
    assert role_of(app, "lea@example.org") is Role.STAFF
    [event] = audit_events(app)
    assert (event.actor_id, event.action, event.target) == (admin, "role.change", f"user:{learner}")
    assert event.details == {"email": "lea@example.org", "previous": "learner", "role": "staff"}

    post_form(
        client, f"/admin/users/{learner}/role", {}, f"/admin/users/{learner}/role?role=learner"
    )
    assert role_of(app, "lea@example.org") is Role.LEARNER
    assert len(audit_events(app)) == 2


def test_the_new_role_takes_effect_on_the_next_request(
    app: Flask, client: FlaskClient, admin: int
) -> None:
    learner = add_user(app, "lea@example.org")
    other = app.test_client()
    sign_in(other, "lea@example.org")
    assert other.get("/staff/").status_code == 403

    post_form(client, f"/admin/users/{learner}/role", {}, f"/admin/users/{learner}/role?role=staff")

    assert other.get("/staff/").status_code == 200


def test_the_last_admin_cannot_lose_the_role(app: Flask, client: FlaskClient, admin: int) -> None:
    response = post_form(
        client, f"/admin/users/{admin}/role", {}, f"/admin/users/{admin}/role?role=learner"
    )

    assert response.status_code == 409
    assert "last administrator" in response.get_data(as_text=True)
    assert role_of(app, "admin@example.org") is Role.ADMIN
    assert audit_events(app) == []


def test_an_unknown_role_is_refused(app: Flask, client: FlaskClient, admin: int) -> None:
    learner = add_user(app, "lea@example.org")

    confirm = client.get(f"/admin/users/{learner}/role?role=owner")
    assert confirm.status_code == 303
    post_form(
        client,
        f"/admin/users/{learner}/role",
        {"role": "owner"},
        f"/admin/users/{learner}/role?role=staff",
    )

    assert role_of(app, "lea@example.org") is Role.LEARNER
    assert audit_events(app) == []


def test_a_role_change_posted_twice_acts_once(app: Flask, client: FlaskClient, admin: int) -> None:
    learner = add_user(app, "lea@example.org")
    confirm = f"/admin/users/{learner}/role?role=staff"
    page = client.get(confirm).get_data(as_text=True)
    data = {**hidden_fields(page, f"/admin/users/{learner}/role")}
    assert data["role"] == "staff"
    first = client.post(f"/admin/users/{learner}/role", data=data)
    # Meanwhile another admin makes her a learner again; the repeated post must not undo it.
    with app.app_context():
        session = get_session()
        set_role(session, session.get(User, learner), Role.LEARNER, actor=None)
        session.commit()
    second = client.post(f"/admin/users/{learner}/role", data=data, follow_redirects=True)

    assert first.status_code == 303
    assert "This was done already: nothing more happened." in second.get_data(as_text=True)
    assert role_of(app, "lea@example.org") is Role.LEARNER
    assert [e.details["role"] for e in audit_events(app)] == ["staff", "learner"]


def test_the_role_page_needs_a_key(app: Flask, client: FlaskClient, admin: int) -> None:
    learner = add_user(app, "lea@example.org")
    page = client.get(f"/admin/users/{learner}/role?role=staff").get_data(as_text=True)
    data = hidden_fields(page, f"/admin/users/{learner}/role")
    del data["action_key"]

    client.post(f"/admin/users/{learner}/role", data=data)

    assert role_of(app, "lea@example.org") is Role.LEARNER


def test_the_users_list_filters_by_role(app: Flask, client: FlaskClient, admin: int) -> None:
    add_user(app, "lea@example.org")
    add_user(app, "sam@example.org", role=Role.STAFF)

    page = client.get("/admin/users?role=staff").get_data(as_text=True)

    assert "sam@example.org" in page
    assert "lea@example.org" not in page


def test_set_role_on_the_command_line(app: Flask) -> None:
    add_user(app, "lea@example.org")
    runner = app.test_cli_runner()

    result = runner.invoke(cli, ["users", "set-role", "LEA@example.org", "admin"])

    assert result.exit_code == 0, result.output
    assert "lea@example.org is now admin." in result.output
    assert role_of(app, "lea@example.org") is Role.ADMIN
    [event] = audit_events(app)
    assert event.actor_id is None
    assert event.details["via"] == "cli"

    again = runner.invoke(cli, ["users", "set-role", "lea@example.org", "admin"])
    assert "already admin" in again.output
    assert len(audit_events(app)) == 1


def test_set_role_refuses_unknown_accounts_roles_and_the_last_admin(app: Flask) -> None:
    add_user(app, "solo@example.org", role=Role.ADMIN)
    runner = app.test_cli_runner()

    assert runner.invoke(cli, ["users", "set-role", "nobody@example.org", "staff"]).exit_code == 1
    assert runner.invoke(cli, ["users", "set-role", "solo@example.org", "owner"]).exit_code == 2
    last = runner.invoke(cli, ["users", "set-role", "solo@example.org", "staff"])
    assert last.exit_code == 1
    assert "last administrator" in last.output
    assert role_of(app, "solo@example.org") is Role.ADMIN
