"""Every staff and admin page refuses learners (403) and sends anonymous visitors to sign in."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.routing import Rule

from lms.accounts.categories import Role
from tests.web.conftest import MakeApp
from tests.web.helpers import csrf_token
from tests.web.learning_helpers import sign_in
from tests.web.staff_helpers import add_cohort, add_user, staff_app


@pytest.fixture
def app(make_app: MakeApp) -> Flask:
    return staff_app(make_app)


def protected_rules(app: Flask) -> list[Rule]:
    rules = [r for r in app.url_map.iter_rules() if r.rule.startswith(("/staff", "/admin"))]
    # A floor, so that a broken prefix cannot make the walk below pass on nothing.
    assert len(rules) >= 15
    return rules


def sample_path(app: Flask, rule: Rule) -> str:
    """The rule's URL with 1 for each variable, whatever it names (existing or not: the role
    check comes before the view looks anything up)."""
    adapter = app.url_map.bind("localhost")
    return adapter.build(rule.endpoint, dict.fromkeys(rule.arguments, 1), force_external=False)


def requests_for(app: Flask) -> list[tuple[str, str]]:
    found = []
    for rule in protected_rules(app):
        path = sample_path(app, rule)
        found += [(method, path) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return found


def send(client: FlaskClient, method: str, path: str) -> int:
    if method == "GET":
        return client.get(path).status_code
    # A valid CSRF token, so that the refusal comes from the role check, not from CSRF.
    token = csrf_token(client, "/courses")
    return client.post(path, data={"csrf_token": token}).status_code


def test_a_learner_is_refused_every_staff_and_admin_url(app: Flask, client: FlaskClient) -> None:
    add_cohort(app)
    add_user(app, "learner@example.org")
    sign_in(client, "learner@example.org")

    answers = {(method, path): send(client, method, path) for method, path in requests_for(app)}

    assert answers
    assert {key: status for key, status in answers.items() if status != 403} == {}


def test_an_anonymous_visitor_is_sent_to_sign_in_from_every_staff_and_admin_url(
    app: Flask, client: FlaskClient
) -> None:
    for method, path in requests_for(app):
        if method == "GET":
            response = client.get(path)
        else:
            token = csrf_token(client, "/courses")
            response = client.post(path, data={"csrf_token": token})
        assert response.status_code == 302, (method, path)
        assert response.headers["Location"].startswith("/accounts/sign-in?next="), (method, path)


def test_staff_are_refused_the_admin_pages_but_not_the_staff_pages(
    app: Flask, client: FlaskClient
) -> None:
    add_user(app, "staff@example.org", role=Role.STAFF)
    sign_in(client, "staff@example.org")

    admin = [(m, p) for m, p in requests_for(app) if p.startswith("/admin")]
    assert admin
    assert all(send(client, m, p) == 403 for m, p in admin)
    for path in ("/staff/", "/staff/learners/", "/staff/quizzes/", "/staff/cohorts/new"):
        assert client.get(path).status_code == 200, path


def test_admins_see_both(app: Flask, client: FlaskClient) -> None:
    add_user(app, "admin@example.org", role=Role.ADMIN)
    sign_in(client, "admin@example.org")

    for path in ("/staff/", "/admin/users", "/admin/audit"):
        assert client.get(path).status_code == 200, path


def test_the_staff_link_shows_for_staff_only(app: Flask, client: FlaskClient) -> None:
    add_user(app, "learner@example.org")
    add_user(app, "staff@example.org", role=Role.STAFF)

    sign_in(client, "learner@example.org")
    assert 'href="/staff/"' not in client.get("/courses").get_data(as_text=True)

    other = app.test_client()
    sign_in(other, "staff@example.org")
    assert 'href="/staff/"' in other.get("/courses").get_data(as_text=True)
