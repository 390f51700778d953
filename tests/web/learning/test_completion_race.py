"""Completion is exact under any interleaving: two last steps at once, on two app servers.

Each round, one request goes first and stops once it has read what the learner has done; the
other is sent then. The first goes on when the other has read too (both read before either
writes, which loses the completion) or is waiting for the database (it reads only once the
first has committed, which is right). Rounds alternate which request goes first.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import pytest
from flask import Flask, request_started
from flask.testing import FlaskClient
from sqlalchemy import Engine, text
from sqlalchemy.pool import NullPool

from lms.accounts.models import User
from lms.db import create_db_engine, get_session
from lms.learning import queries as learning_queries
from tests.support.apps import FIXTURE_CONTENT
from tests.support.databases import Databases, on_postgresql
from tests.support.smtp import Mailbox
from tests.web.certificate_helpers import (
    CERTIFICATE_CONTENT,
    PART,
    PROGRAM,
    RENEWABLE,
    add_learner,
    certificates_in,
)
from tests.web.conftest import MakeApp
from tests.web.helpers import csrf_token
from tests.web.learning_helpers import record, sign_in

ROUNDS = 20
WAIT_SECONDS = 30
POLL_SECONDS = 0.002
"""How often the first request looks whether the other one waits for a lock."""


class FirstThenSecond:
    """Holds the first request at its first call of a read until the second request has
    made that call too, or cannot make it yet: on PostgreSQL, the second waits for a lock
    (``pg_stat_activity``); on SQLite, it has begun, and waits for the write lock, which a
    POST takes as it begins."""

    def __init__(self, second_app: Flask, engine: Engine | None) -> None:
        self.first_read = threading.Event()
        self.second_read = threading.Event()
        self.second_began = threading.Event()
        self._second_app = second_app
        self._engine = engine
        self._lock = threading.Lock()
        self._arrived = 0

    def hold(self, function: Callable[..., Any]) -> Callable[..., Any]:
        done = threading.local()

        def held(*args: Any, **kwargs: Any) -> Any:
            result = function(*args, **kwargs)
            if threading.current_thread() is threading.main_thread() or getattr(
                done, "arrived", False
            ):
                return result
            done.arrived = True
            with self._lock:
                self._arrived += 1
                first = self._arrived == 1
            if first:
                self.first_read.set()
                self._wait_for_second()
            else:
                self.second_read.set()
            return result

        return held

    def _wait_for_second(self) -> None:
        deadline = WAIT_SECONDS / POLL_SECONDS
        polls = 0
        while not self.second_read.wait(timeout=POLL_SECONDS):
            if self._second_waits():
                return
            polls += 1
            assert polls < deadline, "the second request neither read nor waited"

    def _second_waits(self) -> bool:
        if self._engine is None:
            return self.second_began.is_set()
        with self._engine.connect() as connection:
            waiting = connection.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
                )
            )
        return bool(waiting)

    def _note_start(self, _sender: Flask, **_extra: Any) -> None:
        self.second_began.set()

    @contextmanager
    def armed(self) -> Iterator[None]:
        request_started.connect(self._note_start, self._second_app)
        try:
            yield
        finally:
            request_started.disconnect(self._note_start, self._second_app)


Post = Callable[[], int]


def first_then_second(gate: FirstThenSecond, first: Post, second: Post) -> list[int]:
    """Send ``first``; once it has read, send ``second``; both answers' status codes."""
    with gate.armed(), ThreadPoolExecutor(2) as pool:
        first_future = pool.submit(first)
        assert gate.first_read.wait(timeout=WAIT_SECONDS), "the first request never read"
        second_future = pool.submit(second)
        return [first_future.result(timeout=60), second_future.result(timeout=60)]


def poster(client: FlaskClient, course_id: str, lesson: str) -> Post:
    """The learner's "mark as complete" on a lesson, ready to send (its token read now)."""
    path = f"/courses/{course_id}/{lesson}"
    token = csrf_token(client, path)
    return lambda: client.post(f"{path}/complete", data={"csrf_token": token}).status_code


TwoApps = tuple[Flask, Flask, Engine | None]


@pytest.fixture
def apps_on(
    make_app: MakeApp, mailbox: Mailbox, databases: Databases
) -> Iterator[Callable[[Path], TwoApps]]:
    """Two apps (two servers) on one database, serving a content root, and on PostgreSQL an
    engine to watch the database."""
    url = databases.url("race")
    engines: list[Engine] = []

    def make(content: Path) -> TwoApps:
        one = make_app(content_dir=content, database_url=url, **mailbox.settings)
        two = make_app(content_dir=content, database_url=url, with_schema=False, **mailbox.settings)
        engine = None
        if on_postgresql():
            engine = create_db_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
            engines.append(engine)
        return one, two, engine

    yield make
    for engine in engines:
        engine.dispose()


@pytest.fixture
def two_apps(apps_on: Callable[[Path], TwoApps]) -> TwoApps:
    return apps_on(CERTIFICATE_CONTENT)


Outcome = tuple[frozenset[str], list[str], int]
Prepare = Callable[[int, FlaskClient, FlaskClient], list[Post]]
"""Given a learner's id and their tab on each app, the two requests to race (the first
sent to the first app)."""


class Rounds(Protocol):
    def __call__(
        self, two_apps: TwoApps, prepare: Prepare, meeting_at: str, expected: Outcome
    ) -> None: ...


@pytest.fixture
def race_rounds(mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch) -> Rounds:
    """``lost_rounds`` on the test's mailbox and monkeypatch."""
    return functools.partial(lost_rounds, mailbox=mailbox, monkeypatch=monkeypatch)


def lost_rounds(
    two_apps: TwoApps,
    prepare: Prepare,
    meeting_at: str,
    expected: Outcome,
    *,
    mailbox: Mailbox,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Race ``prepare``'s two requests ``ROUNDS`` times, a new learner each round, held at
    ``meeting_at`` (a function of ``lms.learning.queries``); fail with the rounds whose
    outcome is not ``expected``."""
    one, two, engine = two_apps
    lost = []
    for round_number in range(ROUNDS):
        email = f"lea{round_number}@example.org"
        user_id = add_learner(one, email)
        # Each learner from an address of their own: sign-ins are rate-limited by address.
        tabs = one.test_client(), two.test_client()
        for tab in tabs:
            tab.environ_base["REMOTE_ADDR"] = f"10.14.{round_number}.1"
            sign_in(tab, email)
        posts = prepare(user_id, *tabs)
        second_app = two
        if round_number % 2:
            posts.reverse()
            second_app = one
        gate = FirstThenSecond(second_app, engine)
        with monkeypatch.context() as patch:
            read = getattr(learning_queries, meeting_at)
            patch.setattr(learning_queries, meeting_at, gate.hold(read))
            statuses = first_then_second(gate, *posts)

        assert all(status in (302, 303) for status in statuses), statuses
        found = (
            completed_courses(one, user_id),
            sorted(c.definition_id for c in certificates_in(one) if c.user_id == user_id),
            len(mailbox.to(email)),
        )
        if found != expected:
            lost.append((round_number, found))

    assert lost == [], f"{len(lost)} of {ROUNDS} rounds went wrong: {lost}"


def completed_courses(app: Flask, user_id: int) -> frozenset[str]:
    """The courses the learner completed."""
    with app.app_context():
        session = get_session()
        user = session.get(User, user_id)
        assert user is not None
        return frozenset(learning_queries.completed_enrolments(session, user))


def test_the_last_two_steps_of_a_course_at_once_complete_it_and_issue_its_certificate_once(
    two_apps: TwoApps, race_rounds: Rounds
) -> None:
    def prepare(_user_id: int, one: FlaskClient, two: FlaskClient) -> list[Post]:
        return [poster(one, RENEWABLE, "first"), poster(two, RENEWABLE, "last")]

    # The requests meet once they have read the learner's completed items.
    race_rounds(two_apps, prepare, "completed_items", (frozenset({RENEWABLE}), [RENEWABLE], 1))


def test_the_last_courses_of_a_program_at_once_issue_the_program_certificate_once(
    two_apps: TwoApps, race_rounds: Rounds
) -> None:
    def prepare(user_id: int, one: FlaskClient, two: FlaskClient) -> list[Post]:
        record(two_apps[0], user_id, RENEWABLE, "first")
        return [poster(one, RENEWABLE, "last"), poster(two, PART, "only")]

    # The requests meet once they have read which courses the learner completed, which
    # decides whether the program's certificate is due.
    race_rounds(
        two_apps,
        prepare,
        "completed_enrolments",
        (frozenset({RENEWABLE, PART}), sorted([PROGRAM, RENEWABLE]), 2),
    )


ESSENTIALS = "partnership-essentials"
"""The minimal content's course: lessons ``welcome``, ``first-steps``, then ``final.quiz``,
and its certificate of the same id."""
QUIZ = f"/courses/{ESSENTIALS}/final.quiz"
RIGHT = {"answer-when-to-involve": "0", "answer-lived-experience": "true"}


def passing_quiz(client: FlaskClient) -> Post:
    """The submission of right answers to a new attempt, ready to send."""
    started = client.post(f"{QUIZ}/attempts", data={"csrf_token": csrf_token(client, QUIZ)})
    attempt = started.headers["Location"]
    form = {**RIGHT, "action": "grade", "csrf_token": csrf_token(client, attempt)}
    return lambda: client.post(attempt, data=form).status_code


def test_the_passing_quiz_and_the_last_lesson_at_once_complete_the_course_once(
    apps_on: Callable[[Path], TwoApps], race_rounds: Rounds
) -> None:
    """The case found in production: every step done but the last lesson, then the passing
    quiz submission and "complete the last lesson" within a few milliseconds."""
    two_apps = apps_on(FIXTURE_CONTENT)

    def prepare(user_id: int, one: FlaskClient, two: FlaskClient) -> list[Post]:
        record(two_apps[0], user_id, ESSENTIALS, "welcome")
        return [passing_quiz(one), poster(two, ESSENTIALS, "first-steps")]

    race_rounds(two_apps, prepare, "completed_items", (frozenset({ESSENTIALS}), [ESSENTIALS], 1))
