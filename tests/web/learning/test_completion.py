"""Completion recorded once, the dashboard, and each learner's progress kept to themselves."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from lms.accounts.models import User
from lms.catalog import current_catalog
from lms.content import Course
from lms.db import get_session
from lms.learning import queries, services
from lms.learning.models import Enrolment, ItemCompletion
from tests.web.conftest import MadeUser, MakeApp
from tests.web.helpers import csrf_token
from tests.web.learning_helpers import (
    BASICS,
    RESEARCH,
    continue_link,
    learning_app,
    progress_bar,
    record,
    sign_in,
)

TIMEZONE = ZoneInfo("America/Toronto")
"""Dates are shown in the app's time zone (lms.i18n)."""


@pytest.fixture
def app(make_app: MakeApp) -> Flask:
    return learning_app(make_app)


@pytest.fixture
def context(app: Flask) -> Iterator[Session]:
    """An app context and its session, for calling the services directly."""
    with app.app_context():
        yield get_session()


def load(session: Session, user: MadeUser, course_id: str) -> tuple[User, Course]:
    found = session.get(User, user.id)
    course = current_catalog().course(course_id)
    assert found is not None
    assert course is not None
    return found, course


def enrolment_of(session: Session, user: MadeUser, course_id: str) -> Enrolment:
    return session.scalars(
        select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.course_id == course_id)
    ).one()


def test_completion_is_recorded_once_with_its_date_and_version(
    make_user: Callable[..., MadeUser], context: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = make_user()
    session = context
    user, course = load(session, made, BASICS)

    assert services.record_item_completed(session, user, course, "welcome") is False
    assert services.record_item_completed(session, user, course, "first-steps") is False
    assert services.record_item_completed(session, user, course, "final.quiz") is True
    session.commit()
    enrolment = enrolment_of(session, made, BASICS)
    first_date = enrolment.completed_at
    assert first_date is not None
    assert enrolment.completed_version == course.version

    # Later calls, even with the clock moved on, are no-ops.
    monkeypatch.setattr(services, "utcnow", lambda: datetime.now(UTC) + timedelta(days=30))
    assert services.record_item_completed(session, user, course, "final.quiz") is False
    assert services.record_item_completed(session, user, course, "welcome") is False
    session.commit()
    session.expire_all()

    enrolment = enrolment_of(session, made, BASICS)
    assert enrolment.completed_at == first_date
    assert enrolment.completed_version == course.version
    rows = session.scalars(select(ItemCompletion.item).order_by(ItemCompletion.id)).all()
    assert rows == ["welcome", "first-steps", "final.quiz"]
    assert {r.content_version for r in session.scalars(select(ItemCompletion))} == {course.version}


def test_a_racing_duplicate_completion_is_stopped_by_the_unique_constraint(
    make_user: Callable[..., MadeUser], context: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = make_user()
    session = context
    user, course = load(session, made, BASICS)
    services.record_item_completed(session, user, course, "welcome")
    # As if a concurrent request had read the completions before this one's insert.
    monkeypatch.setattr(queries, "completed_items", lambda *_args: frozenset())

    assert services.record_item_completed(session, user, course, "welcome") is False

    session.commit()
    assert session.scalar(select(func.count()).select_from(ItemCompletion)) == 1


def test_a_racing_first_step_reuses_the_other_requests_enrolment(
    make_user: Callable[..., MadeUser], context: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = make_user()
    session = context
    user, course = load(session, made, BASICS)
    first = services.ensure_enrolment(session, user, course)
    monkeypatch.setattr(queries, "find_enrolment", lambda *_args: None)

    assert services.ensure_enrolment(session, user, course) is first
    session.commit()
    assert session.scalar(select(func.count()).select_from(Enrolment)) == 1


def test_services_refuse_unknown_items_and_locked_courses(
    make_user: Callable[..., MadeUser], context: Session
) -> None:
    made = make_user()
    session = context
    user, basics = load(session, made, BASICS)
    _user, research = load(session, made, RESEARCH)

    with pytest.raises(services.ItemNotFound):
        services.record_item_completed(session, user, basics, "no-such-lesson")
    with pytest.raises(services.ItemNotFound):
        services.complete_lesson(session, user, basics, "final.quiz")
    with pytest.raises(services.CourseLocked) as locked:
        services.open_item(session, user, research, "introduction")
    assert locked.value.missing == (BASICS,)
    with pytest.raises(services.CourseLocked):
        services.record_item_completed(session, user, research, "introduction")
    assert session.scalar(select(func.count()).select_from(ItemCompletion)) == 0


def test_course_progress_and_open_item_through_the_services(
    make_user: Callable[..., MadeUser], context: Session
) -> None:
    made = make_user()
    session = context
    user, course = load(session, made, BASICS)

    item = services.open_item(session, user, course, "final.quiz")
    services.record_item_completed(session, user, course, "welcome")
    progress = services.course_progress(session, user, course)

    assert item.key == "final.quiz"
    assert enrolment_of(session, made, BASICS).last_item == "final.quiz"
    assert (progress.done, progress.total, progress.percent) == (1, 3, 33)
    assert progress.next_item == "final.quiz"


def test_dashboard_lists_courses_in_progress_and_completed(
    app: Flask,
    client: FlaskClient,
    make_user: Callable[..., MadeUser],
    login: Callable[..., TestResponse],
) -> None:
    learner = make_user(language="en")
    record(app, learner.id, BASICS, "welcome", "first-steps", "final.quiz")
    record(app, learner.id, RESEARCH, "introduction")
    login(learner.email)

    page = client.get("/dashboard").get_data(as_text=True)
    in_progress, completed, certificates = page.split('<section class="dashboard-section"')[1:]

    assert "<h1>Dashboard</h1>" in page
    assert '<a href="/dashboard" aria-current="page">Dashboard</a>' in page
    assert "Le partenariat en recherche" in in_progress
    assert progress_bar(in_progress, f"progress-{RESEARCH}") == ("50", "50%")
    assert continue_link(in_progress) == (
        f"/courses/{RESEARCH}/roles",
        "Continue where you left off",
    )
    assert "Patient partnership basics" in completed
    assert progress_bar(completed, f"progress-{BASICS}") == ("100", "100%")
    with app.app_context():
        completed_at = enrolment_of(get_session(), learner, BASICS).completed_at
    assert completed_at is not None
    day = completed_at.astimezone(TIMEZONE).date()
    assert f"Completed on {format_date(day, 'long', locale='en')}" in completed
    assert '<h2 id="certificates-title">Certificates</h2>' in certificates
    assert "Your certificates will appear here once you earn them." in certificates


def test_dashboard_dates_follow_the_locale(
    app: Flask,
    client: FlaskClient,
    make_user: Callable[..., MadeUser],
    login: Callable[..., TestResponse],
) -> None:
    learner = make_user(language="fr")
    record(app, learner.id, BASICS, "welcome", "first-steps", "final.quiz")
    login(learner.email)

    page = client.get("/dashboard").get_data(as_text=True)

    with app.app_context():
        completed_at = enrolment_of(get_session(), learner, BASICS).completed_at
    assert completed_at is not None
    french_date = format_date(completed_at.astimezone(TIMEZONE).date(), "long", locale="fr")
    assert french_date in page
    assert '<html lang="fr">' in page


def test_an_empty_dashboard_says_so(
    client: FlaskClient, make_user: Callable[..., MadeUser], login: Callable[..., TestResponse]
) -> None:
    login(make_user(language="en").email)

    page = client.get("/dashboard").get_data(as_text=True)

    assert "You have no course in progress." in page
    assert "You have not completed a course yet." in page
    assert "<progress" not in page


def test_the_dashboard_needs_sign_in(client: FlaskClient) -> None:
    response = client.get("/dashboard")
    assert response.status_code == 302
    assert response.headers["Location"] == "/accounts/sign-in?next=%2Fdashboard"


def test_two_learners_progress_stays_separate(
    app: Flask,
    client: FlaskClient,
    make_user: Callable[..., MadeUser],
    login: Callable[..., TestResponse],
) -> None:
    ana = make_user(email="ana@example.org", language="en")
    ben = make_user(email="ben@example.org", language="en")
    login(ana.email)
    client.get(f"/courses/{BASICS}/first-steps")
    client.post(
        f"/courses/{BASICS}/welcome/complete",
        data={"csrf_token": csrf_token(client, f"/courses/{BASICS}/welcome")},
    )
    ben_client = app.test_client()
    sign_in(ben_client, ben.email)

    # Ben sees none of Ana's progress, anywhere...
    course_page = ben_client.get(f"/courses/{BASICS}").get_data(as_text=True)
    assert progress_bar(course_page, "course-progress") == ("0", "0%")
    assert continue_link(course_page) == (f"/courses/{BASICS}/welcome", "Start the course")
    assert "state-done" not in course_page
    assert "You have no course in progress." in ben_client.get("/dashboard").get_data(as_text=True)
    lesson = ben_client.get(f"/courses/{BASICS}/welcome").get_data(as_text=True)
    assert "You have completed this lesson." not in lesson

    # ...and what Ben does changes nothing of Ana's.
    ben_client.post(
        f"/courses/{BASICS}/first-steps/complete",
        data={"csrf_token": csrf_token(ben_client, f"/courses/{BASICS}/first-steps")},
    )
    ana_page = client.get(f"/courses/{BASICS}").get_data(as_text=True)
    assert progress_bar(ana_page, "course-progress") == ("33", "33%")
    first_steps = ana_page.split('<li class="outline-item')[2]
    assert "state-open" in first_steps
    with app.app_context():
        rows = get_session().execute(
            select(ItemCompletion.user_id, ItemCompletion.item).order_by(ItemCompletion.id)
        )
        assert [tuple(row) for row in rows] == [(ana.id, "welcome"), (ben.id, "first-steps")]
