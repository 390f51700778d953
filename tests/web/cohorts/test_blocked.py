"""Members who used every attempt at a required quiz without passing: flagged on the cohort's
dashboard, counted, filterable, and given more attempts several at once, each grant audited."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from lms.accounts.categories import Role
from tests.web.cohorts.helpers import LIMIT, QUIZ, fail_every_attempt
from tests.web.conftest import MakeApp
from tests.web.helpers import hidden_fields
from tests.web.learning_helpers import record, sign_in
from tests.web.staff_helpers import (
    BASICS,
    add_cohort,
    add_member,
    add_user,
    audit_events,
    staff_app,
)


@pytest.fixture
def app(make_app: MakeApp) -> Flask:
    return staff_app(make_app)


@pytest.fixture
def staff(app: Flask, client: FlaskClient) -> FlaskClient:
    add_user(app, "sam@example.org", role=Role.STAFF)
    sign_in(client, "sam@example.org")
    return client


@pytest.fixture
def cohort(app: Flask) -> dict[str, int]:
    """Ann and Ben used every attempt; Cat used nine of ten; Dan has not begun."""
    cohort_id = add_cohort(app, "FRQ 2026")
    people = {"cohort": cohort_id}
    for first in ("Ann", "Ben", "Cat", "Dan"):
        email = f"{first.lower()}@example.org"
        people[first] = add_user(app, email, name=f"{first} Lee")
        add_member(app, cohort_id, email, first, "Lee", user_id=people[first])
        record(app, people[first], BASICS, "welcome")
    fail_every_attempt(app, people["Ann"])
    fail_every_attempt(app, people["Ben"])
    fail_every_attempt(app, people["Cat"], LIMIT - 1)
    return people


def names_in_table(page: str) -> list[str]:
    table = page[page.index('id="members-caption"') :] if 'id="members-caption"' in page else ""
    return re.findall(r'<th scope="row">\s*(?:<a [^>]*>)?([^<,]+),\s*(\w+)', table)


def test_blocked_members_are_flagged_counted_and_filtered(
    staff: FlaskClient, cohort: dict[str, int]
) -> None:
    page = staff.get(f"/staff/cohorts/{cohort['cohort']}").get_data(as_text=True)

    totals = dict(re.findall(r"<div><dt>([^<]+)</dt><dd>(\d+)</dd></div>", page))
    assert totals["Blocked: attempts used up"] == "2"
    assert page.count('status-overdue">Blocked: attempts used up') == 2
    assert "Grant more attempts to the 2 blocked members" in page

    filtered = staff.get(f"/staff/cohorts/{cohort['cohort']}?status=blocked").get_data(as_text=True)

    assert [first for _last, first in names_in_table(filtered)] == ["Ann", "Ben"]


def test_the_dashboard_export_says_who_is_blocked(
    staff: FlaskClient, cohort: dict[str, int]
) -> None:
    lines = (
        staff.get(f"/staff/cohorts/{cohort['cohort']}/export.csv?dialect=en")
        .get_data(as_text=True)
        .lstrip("\ufeff")
        .splitlines()
    )
    header = lines[0].split(",")
    column = header.index("Blocked: attempts used up")

    blocked = {line.split(",")[1]: line.split(",")[column] for line in lines[1:]}

    assert blocked == {"Ann": "Yes", "Ben": "Yes", "Cat": "No", "Dan": "No"}


def test_staff_grant_attempts_to_several_blocked_members_at_once_and_only_once(
    app: Flask, staff: FlaskClient, cohort: dict[str, int]
) -> None:
    grants = f"/staff/cohorts/{cohort['cohort']}/grants"
    page = staff.get(grants).get_data(as_text=True)
    assert "Ann Lee" in page
    assert "Ben Lee" in page
    assert "Cat Lee" not in page  # one attempt left: not blocked
    assert "Blocked at: Check (Basics)" in page
    form = {
        **hidden_fields(page, grants),
        "members": [str(cohort["Ann"]), str(cohort["Ben"])],
        "extra": "2",
        "reason": "The answer key was wrong.",
    }

    first = staff.post(grants, data=form)
    second = staff.post(grants, data=form)

    assert (first.status_code, second.status_code) == (303, 303)
    events = [e for e in audit_events(app) if e.action == "quiz.attempts_grant"]
    assert sorted((e.details["user"], e.details["extra"], e.details["reason"]) for e in events) == [
        (cohort["Ann"], 2, "The answer key was wrong."),
        (cohort["Ben"], 2, "The answer key was wrong."),
    ]
    assert {e.target for e in events} == {f"quiz:{BASICS}/{QUIZ}"}
    dashboard = staff.get(f"/staff/cohorts/{cohort['cohort']}").get_data(as_text=True)
    assert "Blocked: attempts used up</span>" not in dashboard
    # The learner may start an attempt at once.
    learner = app.test_client()
    sign_in(learner, "ann@example.org")
    quiz = f"/courses/{BASICS}/check.quiz"
    token = hidden_fields(learner.get(quiz).get_data(as_text=True), f"{quiz}/attempts")
    assert learner.post(f"{quiz}/attempts", data=token).status_code == 303


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"members": []}, "Choose at least one member."),
        ({"extra": "9"}, "Give from 1 to 5 attempts."),
        ({"extra": "two"}, "Enter a whole number"),
        ({"reason": " "}, "Give the reason"),
    ],
)
def test_a_bad_grant_is_refused_with_a_message_and_grants_nothing(
    app: Flask,
    staff: FlaskClient,
    cohort: dict[str, int],
    change: dict[str, object],
    message: str,
) -> None:
    grants = f"/staff/cohorts/{cohort['cohort']}/grants"
    form = {
        **hidden_fields(staff.get(grants).get_data(as_text=True), grants),
        "members": [str(cohort["Ann"])],
        "extra": "1",
        "reason": "Why not.",
        **change,
    }

    response = staff.post(grants, data=form)

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert "quiz.attempts_grant" not in [e.action for e in audit_events(app)]


def test_a_member_not_blocked_cannot_be_chosen(
    app: Flask, staff: FlaskClient, cohort: dict[str, int]
) -> None:
    grants = f"/staff/cohorts/{cohort['cohort']}/grants"
    form = {
        **hidden_fields(staff.get(grants).get_data(as_text=True), grants),
        "members": [str(cohort["Cat"])],
        "extra": "1",
        "reason": "Why not.",
    }

    response = staff.post(grants, data=form)

    assert response.status_code == 400
    assert "quiz.attempts_grant" not in [e.action for e in audit_events(app)]


def test_with_nobody_blocked_the_page_says_so_and_leads_back(
    app: Flask, staff: FlaskClient
) -> None:
    cohort_id = add_cohort(app, "Calm")

    page = staff.get(f"/staff/cohorts/{cohort_id}/grants").get_data(as_text=True)

    assert "No member is blocked" in page
    assert f'href="/staff/cohorts/{cohort_id}"' in page
