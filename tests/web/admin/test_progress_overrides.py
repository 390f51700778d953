"""Staff override a learner's progress: a step marked as done, a course reset after a
confirmation that says what is lost; each audited with its reason, each acting once however
often (or from however many servers) its form is posted."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from lms.accounts.categories import Role
from lms.admin.views import progress
from lms.db import get_session
from lms.learning.models import Enrolment, ItemCompletion
from lms.quizzes.models import QuizAttempt
from tests.support.databases import Databases
from tests.web.certificate_helpers import certificates_in
from tests.web.conftest import MakeApp
from tests.web.helpers import hidden_fields, submit_form
from tests.web.learning_helpers import record, sign_in
from tests.web.quiz_helpers import take
from tests.web.races import Race, at_once
from tests.web.staff_helpers import (
    BASICS,
    BASICS_QUIZ,
    PRACTICE,
    STAFF_CONTENT,
    add_user,
    audit_events,
    basics_answers,
)

ALREADY_DONE = "This was done already: nothing more happened."


def lea_in_basics(app: Flask) -> int:
    """Léa: Partnership basics complete (two lessons and its quiz), Practice opened only."""
    lea = add_user(app, "lea@example.org", name="Léa Tremblay")
    own = app.test_client()
    sign_in(own, "lea@example.org")
    record(app, lea, BASICS, "welcome", "partners")
    take(own, basics_answers(), quiz=BASICS_QUIZ)
    assert own.get(f"/courses/{PRACTICE}/apply").status_code == 200
    return lea


def staff_on(app: Flask) -> FlaskClient:
    client = app.test_client()
    sign_in(client, "sam@example.org")
    return client


@pytest.fixture
def app(make_app: MakeApp) -> Flask:
    app = make_app(content_dir=STAFF_CONTENT)
    add_user(app, "sam@example.org", role=Role.STAFF)
    return app


@pytest.fixture
def lea(app: Flask) -> int:
    return lea_in_basics(app)


@pytest.fixture
def staff(app: Flask) -> FlaskClient:
    return staff_on(app)


def completions(app: Flask, user_id: int, course_id: str) -> set[str]:
    with app.app_context():
        rows = get_session().scalars(
            select(ItemCompletion.item).where(
                ItemCompletion.user_id == user_id, ItemCompletion.course_id == course_id
            )
        )
        return set(rows)


def enrolment(app: Flask, user_id: int, course_id: str) -> Enrolment | None:
    with app.app_context():
        return get_session().scalar(
            select(Enrolment).where(Enrolment.user_id == user_id, Enrolment.course_id == course_id)
        )


def test_marking_the_last_step_done_completes_the_course_and_issues_the_certificate(
    app: Flask, staff: FlaskClient, lea: int
) -> None:
    record_page = f"/staff/learners/{lea}"
    mark = f"{record_page}/courses/{PRACTICE}/mark-done"
    assert f'action="{mark}"' in staff.get(record_page).get_data(as_text=True)
    assert certificates_in(app) == []

    form = {
        **hidden_fields(staff.get(record_page).get_data(as_text=True), mark),
        "item": "apply",
        "reason": "Done at the workshop of 3 December.",
    }
    done = staff.post(mark, data=form, follow_redirects=True)
    again = staff.post(mark, data=form, follow_redirects=True)

    assert "the course is complete" in done.get_data(as_text=True)
    assert ALREADY_DONE in again.get_data(as_text=True)
    assert completions(app, lea, PRACTICE) == {"apply"}
    practice = enrolment(app, lea, PRACTICE)
    assert practice is not None
    assert practice.completed_at is not None
    [certificate] = certificates_in(app)
    assert certificate.user_id == lea
    [event] = [e for e in audit_events(app) if e.action == "progress.mark_done"]
    assert event.target == f"course:{PRACTICE}"
    assert event.details == {
        "user": lea,
        "step": "apply",
        "reason": "Done at the workshop of 3 December.",
    }


def test_the_audit_trail_names_the_course_and_the_step(
    app: Flask, staff: FlaskClient, lea: int
) -> None:
    mark = f"/staff/learners/{lea}/courses/{PRACTICE}/mark-done"
    submit_form(staff, mark, {"item": "apply", "reason": "On paper."}, f"/staff/learners/{lea}")
    add_user(app, "root@example.org", role=Role.ADMIN)
    admin = app.test_client()
    sign_in(admin, "root@example.org")

    page = admin.get("/admin/audit?action=progress.mark_done").get_data(as_text=True)

    assert "Step marked as done" in page
    assert "Partnership in practice" in page  # the course, by its title
    assert "Apply" in page  # the step, by its title
    assert "Léa Tremblay (lea@example.org)" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"item": "apply", "reason": "  "}, "Give the reason"),
        ({"item": "welcome", "reason": "Done."}, "Not a valid choice"),
        ({"item": "nope", "reason": "Done."}, "Not a valid choice"),
    ],
)
def test_a_step_marked_needs_a_reason_and_a_step_still_to_do(
    app: Flask, staff: FlaskClient, lea: int, data: dict[str, str], message: str
) -> None:
    course = BASICS if data["item"] == "welcome" else PRACTICE
    mark = f"/staff/learners/{lea}/courses/{course}/mark-done"
    before = completions(app, lea, course)

    response = submit_form(staff, mark, data, f"/staff/learners/{lea}")

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert completions(app, lea, course) == before
    assert [e for e in audit_events(app) if e.action == "progress.mark_done"] == []


def test_the_reset_page_says_what_is_lost_and_what_stays_before_anything_is_done(
    app: Flask, staff: FlaskClient, lea: int
) -> None:
    record_page = f"/staff/learners/{lea}"
    confirm = f"{record_page}/courses/{BASICS}/reset"
    assert f'href="{confirm}"' in staff.get(record_page).get_data(as_text=True)

    page = staff.get(confirm).get_data(as_text=True)

    assert "What is lost" in page
    assert "3 steps done are forgotten" in page
    assert "Welcome" in page
    assert "Partners" in page
    assert "completion on" in page
    assert "Quiz attempts and their scores stay" in page
    assert completions(app, lea, BASICS) == {"welcome", "partners", "check.quiz"}


def test_a_reset_forgets_the_steps_keeps_the_attempts_and_acts_once(
    app: Flask, staff: FlaskClient, lea: int
) -> None:
    confirm = f"/staff/learners/{lea}/courses/{BASICS}/reset"
    refused = submit_form(staff, confirm, {"reason": ""})
    assert refused.status_code == 400
    assert "Give the reason" in refused.get_data(as_text=True)
    assert len(completions(app, lea, BASICS)) == 3

    form = {
        **hidden_fields(staff.get(confirm).get_data(as_text=True), confirm),
        "reason": "She asked to start again.",
    }
    done = staff.post(confirm, data=form, follow_redirects=True)
    again = staff.post(confirm, data=form, follow_redirects=True)

    assert "3 steps done before are forgotten" in done.get_data(as_text=True)
    assert ALREADY_DONE in again.get_data(as_text=True)
    assert completions(app, lea, BASICS) == set()
    basics = enrolment(app, lea, BASICS)
    assert basics is not None
    assert basics.completed_at is None
    with app.app_context():
        assert get_session().scalar(select(QuizAttempt.id)) is not None
    [event] = [e for e in audit_events(app) if e.action == "progress.reset"]
    assert event.details == {"user": lea, "steps": 3, "reason": "She asked to start again."}


def test_a_course_begun_without_a_step_done_loses_only_its_place(
    staff: FlaskClient, lea: int
) -> None:
    page = staff.get(f"/staff/learners/{lea}/courses/{PRACTICE}/reset").get_data(as_text=True)

    assert "No step is done yet: only the place where the learner stopped is forgotten." in page


def test_a_course_never_begun_has_nothing_to_reset(staff: FlaskClient, lea: int) -> None:
    assert staff.get(f"/staff/learners/{lea}/courses/nope/reset").status_code == 404


def test_a_form_without_its_key_is_refused(app: Flask, staff: FlaskClient, lea: int) -> None:
    confirm = f"/staff/learners/{lea}/courses/{BASICS}/reset"
    form = hidden_fields(staff.get(confirm).get_data(as_text=True), confirm)
    del form["action_key"]

    response = staff.post(confirm, data={**form, "reason": "Again."})

    assert response.status_code == 400
    assert len(completions(app, lea, BASICS)) == 3


def test_the_same_reset_posted_to_two_servers_at_once_acts_once(
    make_app: MakeApp, databases: Databases, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = databases.url("overrides")
    one = make_app(content_dir=STAFF_CONTENT, database_url=url)
    two = make_app(content_dir=STAFF_CONTENT, database_url=url, with_schema=False)
    add_user(one, "sam@example.org", role=Role.STAFF)
    lea = lea_in_basics(one)
    clients = [staff_on(one), staff_on(two)]
    confirm = f"/staff/learners/{lea}/courses/{BASICS}/reset"
    # The same form (one key) sent by both: each server checks its own session's CSRF token.
    key = hidden_fields(clients[0].get(confirm).get_data(as_text=True), confirm)["action_key"]
    forms = [
        {**hidden_fields(c.get(confirm).get_data(as_text=True), confirm), "action_key": key}
        for c in clients
    ]
    # Both have found the learner before either claims the form's key.
    race = Race((one, two))
    monkeypatch.setattr(progress, "find_user", race.hold(progress.find_user))

    responses = at_once(
        race,
        *(
            lambda c=client, f=form: c.post(confirm, data={**f, "reason": "Double click."})
            for client, form in zip(clients, forms, strict=True)
        ),
    )

    assert [r.status_code for r in responses] == [303, 303]
    assert [e.action for e in audit_events(one)].count("progress.reset") == 1
    assert completions(one, lea, BASICS) == set()
