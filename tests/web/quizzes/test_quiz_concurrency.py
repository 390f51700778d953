"""Two tabs racing on one attempt: two apps, one database, real threads, no sleeps."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from lms.accounts import services as accounts
from lms.accounts.models import User
from lms.catalog import catalog_store
from lms.db import database, get_session
from lms.learning.models import ItemCompletion
from lms.quizzes import services
from lms.quizzes.models import QuizAttempt
from tests.support.databases import Databases
from tests.web.conftest import MakeApp
from tests.web.helpers import PASSWORD, csrf_token, submit_form
from tests.web.quiz_helpers import EVERY_TYPE, QUIZ_CONTENT, RIGHT
from tests.web.races import Race, at_once

MAX_ATTEMPTS = 2
"""``every-type.quiz`` allows two attempts."""
WRONG = {"answer-lived-experience": "false"}
GRADE = {"action": "grade"}
"""What the button under the summary before grading sends."""


@dataclass(frozen=True)
class Tabs:
    app: Flask
    second_app: Flask
    first: FlaskClient
    second: FlaskClient
    """Each on its own app (own engine, own sessions) over the same database."""


@pytest.fixture
def tabs(make_app: MakeApp, databases: Databases) -> Tabs:
    url = databases.url("race")
    one = make_app(content_dir=QUIZ_CONTENT, database_url=url)
    two = make_app(content_dir=QUIZ_CONTENT, database_url=url, with_schema=False)
    with one.app_context():
        session = get_session()
        accounts.create_user(session, "racer@example.org", PASSWORD, language="en")
        session.commit()
    clients = one.test_client(), two.test_client()
    for client in clients:
        credentials = {"email": "racer@example.org", "password": PASSWORD}
        assert submit_form(client, "/accounts/sign-in", credentials).status_code == 302
    return Tabs(one, two, *clients)


def rows(app: Flask) -> Iterator[QuizAttempt]:
    with app.app_context():
        session = get_session()
        found = list(session.scalars(select(QuizAttempt).order_by(QuizAttempt.number)))
        session.expunge_all()
    yield from found


def start(client: FlaskClient) -> TestResponse:
    return client.post(
        f"{EVERY_TYPE}/attempts", data={"csrf_token": csrf_token(client, EVERY_TYPE)}
    )


def test_two_tabs_submitting_at_once_grade_the_attempt_once(
    tabs: Tabs, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first attempt, used up; the second and last, started and open in both tabs.
    assert start(tabs.first).status_code == 303
    first = f"{EVERY_TYPE}/attempts/1"
    tabs.first.post(first, data={**WRONG, **GRADE, "csrf_token": csrf_token(tabs.first, first)})
    assert start(tabs.first).headers["Location"] == f"{EVERY_TYPE}/attempts/{MAX_ATTEMPTS}"
    last = f"{EVERY_TYPE}/attempts/{MAX_ATTEMPTS}"
    tokens = [csrf_token(tabs.first, last), csrf_token(tabs.second, last)]
    race = Race((tabs.app, tabs.second_app))
    monkeypatch.setattr(services.grading, "grade", race.hold(services.grading.grade))

    right, wrong = at_once(
        race,
        lambda: tabs.first.post(last, data={**RIGHT, **GRADE, "csrf_token": tokens[0]}),
        lambda: tabs.second.post(last, data={**WRONG, **GRADE, "csrf_token": tokens[1]}),
    )

    assert right.status_code == wrong.status_code == 303
    assert right.headers["Location"] == wrong.headers["Location"] == last
    messages = [tab.get(last).get_data(as_text=True) for tab in (tabs.first, tabs.second)]
    refused = ["already submitted" in page for page in messages]
    assert sorted(refused) == [False, True], "exactly one submission is refused"
    attempts = list(rows(tabs.app))
    assert [a.number for a in attempts] == [1, MAX_ATTEMPTS]
    winner_was_first = refused == [False, True]
    counted = attempts[-1]
    assert counted.submitted_at is not None
    assert counted.answers is not None
    if winner_was_first:
        assert (counted.score, counted.passed) == (5, True)
        assert counted.answers["lived-experience"] is True
    else:
        assert (counted.score, counted.passed) == (0, False)
        assert counted.answers["lived-experience"] is False
    with tabs.app.app_context():
        completions = get_session().scalars(select(ItemCompletion)).all()
        assert len(completions) == (1 if winner_was_first else 0)


def test_two_tabs_starting_at_once_share_one_attempt_and_the_limit_holds(
    tabs: Tabs, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert start(tabs.first).status_code == 303
    first = f"{EVERY_TYPE}/attempts/1"
    tabs.first.post(first, data={**WRONG, **GRADE, "csrf_token": csrf_token(tabs.first, first)})
    tokens = [csrf_token(tabs.first, EVERY_TYPE), csrf_token(tabs.second, EVERY_TYPE)]
    race = Race((tabs.app, tabs.second_app))
    monkeypatch.setattr(services, "draw_questions", race.hold(services.draw_questions))

    one, two = at_once(
        race,
        lambda: tabs.first.post(f"{EVERY_TYPE}/attempts", data={"csrf_token": tokens[0]}),
        lambda: tabs.second.post(f"{EVERY_TYPE}/attempts", data={"csrf_token": tokens[1]}),
    )

    last = f"{EVERY_TYPE}/attempts/{MAX_ATTEMPTS}"
    assert one.status_code == two.status_code == 303
    assert one.headers["Location"] == two.headers["Location"] == last
    assert [a.number for a in rows(tabs.app)] == [1, MAX_ATTEMPTS]

    # The limit: with the last attempt submitted, neither tab may start one more.
    tabs.second.post(last, data={**WRONG, **GRADE, "csrf_token": tokens[1]})
    race = Race((tabs.app, tabs.second_app))
    monkeypatch.setattr(services, "_attempts", race.hold(services._attempts))
    refused = at_once(
        race,
        lambda: tabs.first.post(f"{EVERY_TYPE}/attempts", data={"csrf_token": tokens[0]}),
        lambda: tabs.second.post(f"{EVERY_TYPE}/attempts", data={"csrf_token": tokens[1]}),
    )
    assert [r.status_code for r in refused] == [409, 409]
    assert len(list(rows(tabs.app))) == MAX_ATTEMPTS


def test_a_submission_resting_on_a_stale_read_is_refused(tabs: Tabs) -> None:
    """The conditional UPDATE itself, as PostgreSQL exercises it: a read made before the
    other tab's submission, then a write after it, must not grade the attempt twice."""
    assert start(tabs.first).status_code == 303
    path = f"{EVERY_TYPE}/attempts/1"
    token = csrf_token(tabs.second, path)
    with tabs.app.app_context():
        ref = services.find_quiz(catalog_store(tabs.app).catalog, "quiz-lab", "every-type.quiz")
        # A session that keeps what it read after its transaction ends, as a stale read does.
        stale = database(tabs.app).sessions(expire_on_commit=False)
        try:
            user = stale.scalars(select(User)).one()
            # Held, so that the session's identity map keeps the row as read now.
            read_before = stale.scalars(select(QuizAttempt)).one()
            assert read_before.submitted_at is None
            stale.commit()

            assert (
                tabs.second.post(path, data={**RIGHT, **GRADE, "csrf_token": token}).status_code
                == 303
            )

            with pytest.raises(services.AttemptAlreadySubmitted):
                services.submit_attempt(stale, user, ref, 1, {"answer-lived-experience": ["false"]})
        finally:
            stale.rollback()
            stale.close()
    (attempt,) = rows(tabs.app)
    assert (attempt.score, attempt.passed) == (5, True)
