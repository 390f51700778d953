"""A cohort member's program atop their dashboard: the certificate it leads to, the due date,
each required course with its state and link, progress toward it, and the next step."""

from __future__ import annotations

import re
from datetime import date

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import MakeApp
from tests.web.learning_helpers import record, sign_in
from tests.web.staff_helpers import (
    BASICS,
    PRACTICE,
    add_cohort,
    add_member,
    add_user,
    staff_app,
)


@pytest.fixture
def app(make_app: MakeApp) -> Flask:
    return staff_app(make_app)


@pytest.fixture
def fellow(app: Flask, client: FlaskClient) -> int:
    """An invited FRQ fellow, signed in, in a cohort due on 31 March 2027."""
    user_id = add_user(app, "fellow@example.org", name="Félix Fellow")
    cohort = add_cohort(app, "FRQ fellows 2026", due_date=date(2027, 3, 31))
    add_member(app, cohort, "fellow@example.org", "Félix", "Fellow", user_id=user_id)
    sign_in(client, "fellow@example.org")
    return user_id


def program_section(client: FlaskClient) -> str:
    page = client.get("/dashboard").get_data(as_text=True)
    found = re.search(r'<section class="dashboard-section program".*?</section>', page, re.S)
    assert found, "no program on the dashboard"
    return found.group(0)


def test_a_new_fellow_sees_their_program_before_anything_else(
    client: FlaskClient, fellow: int
) -> None:
    page = client.get("/dashboard").get_data(as_text=True)
    assert page.index("Your program: FRQ fellows 2026") < page.index("Courses in progress")

    section = program_section(client)
    assert "Complementary training program" in section
    assert "March 31, 2027" in section
    assert "Courses completed: 0 of 2" in section
    assert f'<a href="/courses/{BASICS}">Partnership basics</a>' in section
    assert f'<a href="/courses/{PRACTICE}">Partnership in practice</a>' in section
    assert section.count("Not started") == 2
    assert re.search(
        rf'<a class="button" href="/courses/{BASICS}"[^>]*>Start: Partnership basics', section
    )


def test_progress_toward_the_certificate_follows_each_course(
    app: Flask, client: FlaskClient, fellow: int
) -> None:
    record(app, fellow, BASICS, "welcome")
    record(app, fellow, PRACTICE, "apply")

    section = program_section(client)

    assert "Courses completed: 1 of 2" in section
    assert re.search(r"Partnership in practice</a>\s*<span[^>]*>Completed</span>", section)
    assert re.search(r"Partnership basics</a>\s*<span[^>]*>In progress \(33", section)
    assert re.search(
        rf'<a class="button" href="/courses/{BASICS}"[^>]*>Continue: Partnership basics', section
    )


def test_a_learner_in_no_cohort_has_no_program_panel(app: Flask, client: FlaskClient) -> None:
    add_user(app, "solo@example.org")
    sign_in(client, "solo@example.org")

    page = client.get("/dashboard").get_data(as_text=True)

    assert "Your program" not in page
    assert "You have no course in progress." in page
