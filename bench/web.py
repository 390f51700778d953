"""Web figures: server time and SQL statements of a lesson page and of a quiz submission.

A learner with a long history (about 200 quiz attempts, every lesson of every other course
done) and many other learners' records, on the shipped catalogue and on 50 generated
courses: the statement counts must be the same small constants in both.

``python bench/web.py -v`` also prints the statements of one request of each kind.
"""

from __future__ import annotations

import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, event, select, update
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from bench.content import generate_root
from lms.accounts import hashing
from lms.accounts.categories import Role
from lms.accounts.models import User
from lms.catalog import current_catalog
from lms.content import Catalog, Course, ItemKind, QuestionType
from lms.db import database, utcnow
from lms.learning.models import Enrolment, ItemCompletion
from lms.quizzes.models import QuizAttempt
from lms.quizzes.pages import field_name
from lms.quizzes.questions import draw_questions
from lms.quizzes.snapshot import AskedQuestion, snapshot_from_json, snapshot_to_json
from tests.support.apps import PROJECT, build_app, compile_translations

ROUNDS = 200
"""Requests timed per figure; the median is reported."""
TRIP_ROUNDS = 20
"""Quiz round trips whose statements are counted (each must count the same)."""
LEARNER_ATTEMPTS = 200
"""The measured learner's prior attempts, spread over the other courses' quizzes: on the
shipped catalogue, more per quiz than ``max_attempts`` lets a learner start (volume is what
matters here, and the table holds them all the same)."""
OTHER_LEARNERS = 100
COURSES_PER_OTHER_LEARNER = 4
PASSWORD = "a long benchmark passphrase"
LEARNER = "bench@example.org"
"""The measured learner, with a long history."""
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def production_hash(password: str) -> str:
    """A hash at production's cost, as a production server makes and checks them: the apps
    that fill the benchmarks' databases run in testing mode, where hashing is cheapest."""
    return PasswordHasher.from_parameters(hashing.PRODUCTION).hash(password)


@dataclass
class StatementLog:
    """The SQL statements the app's engine runs while ``recording``."""

    recording: bool = False
    statements: list[str] = field(default_factory=list)

    def listen(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if self.recording:
            self.statements.append(statement)

    @contextmanager
    def record(self) -> Iterator[list[str]]:
        self.statements = []
        self.recording = True
        try:
            yield self.statements
        finally:
            self.recording = False


@dataclass(frozen=True)
class Figures:
    lesson_ms: float
    lesson_statements: list[str]
    submit_ms: float
    submit_statements: list[str]
    trip_statements: dict[str, list[str]]
    """The statements of each step of a quiz round trip (bench/round_trip.py), by step."""


def _attempt_row(
    user_id: int, course: Course, number: int, rng: random.Random, *, passed: bool
) -> QuizAttempt:
    quiz = next(iter(course.quizzes.values()))
    questions = draw_questions(quiz, rng)
    graded = [q for q in questions if q.type is not QuestionType.REFLECTION]
    score = len(graded) if passed else len(graded) // 2
    started = utcnow() - timedelta(days=30 - number)
    return QuizAttempt(
        user_id=user_id,
        course_id=course.id,
        quiz=quiz.stem,
        number=number,
        content_version=course.version,
        questions=snapshot_to_json(questions),
        answers=_answers(questions, correct=passed),
        score=score,
        max_score=len(graded),
        passed=passed,
        started_at=started,
        submitted_at=started + timedelta(minutes=12),
    )


def _answers(questions: tuple[AskedQuestion, ...], *, correct: bool) -> dict[str, Any]:
    """Stored answers (original choice indices), as grading keeps them."""
    answers: dict[str, Any] = {}
    for q in questions:
        right = [c.index for c in q.choices if c.correct == correct]
        if q.type is QuestionType.SINGLE:
            answers[q.id] = right[0]
        elif q.type is QuestionType.MULTIPLE:
            answers[q.id] = sorted(right)
        elif q.type is QuestionType.TRUE_FALSE:
            answers[q.id] = q.answer if correct else not q.answer
        else:
            answers[q.id] = "une réponse"
    return answers


def _history(
    session: Session, user: User, courses: list[Course], attempts: int, rng: random.Random
) -> None:
    """Every lesson of ``courses`` done, their quizzes attempted ``attempts`` times in all."""
    for course in courses:
        session.add(Enrolment(user_id=user.id, course_id=course.id, completed_at=utcnow()))
        for item in course.items():
            session.add(
                ItemCompletion(
                    user_id=user.id, course_id=course.id, item=item.key, content_version="v"
                )
            )
    quizzes = [c for c in courses if c.quizzes]
    per_course = -(-attempts // len(quizzes))
    made = 0
    for course in quizzes:
        for number in range(1, per_course + 1):
            if made == attempts:
                return
            session.add(_attempt_row(user.id, course, number, rng, passed=number == per_course))
            made += 1


def _populate(app: Flask, measured: Course) -> None:
    """The learner ``LEARNER`` and everyone else's records."""
    rng = random.Random(2026)
    catalog = _catalog(app)
    others = [c for c in catalog.courses.values() if c.id != measured.id]
    password_hash = production_hash(PASSWORD)
    with app.app_context():
        session = database(app).sessions()
        learner = add_ready_learner(session, LEARNER, password_hash, measured)
        _history(session, learner, others, LEARNER_ATTEMPTS, rng)
        # Two failed attempts at the measured quiz.
        for number in (1, 2):
            session.add(_attempt_row(learner.id, measured, number, rng, passed=False))
        everyone = list(catalog.courses.values())
        for index in range(OTHER_LEARNERS):
            other = User(
                email=f"other{index}@example.org", password_hash=password_hash, role=Role.LEARNER
            )
            session.add(other)
            session.flush()
            courses = rng.sample(everyone, min(COURSES_PER_OTHER_LEARNER, len(everyone)))
            _history(session, other, courses, len(courses) * 2, rng)
        session.commit()
        session.close()


def add_ready_learner(session: Session, email: str, password_hash: str, course: Course) -> User:
    """A confirmed learner who did every lesson of ``course`` and has its quiz to pass."""
    learner = User(
        email=email,
        password_hash=password_hash,
        role=Role.LEARNER,
        language="fr",
        email_confirmed_at=utcnow(),
    )
    session.add(learner)
    session.flush()
    session.add(Enrolment(user_id=learner.id, course_id=course.id))
    for item in course.items():
        if item.kind is ItemKind.LESSON:
            session.add(
                ItemCompletion(
                    user_id=learner.id, course_id=course.id, item=item.key, content_version="v"
                )
            )
    return learner


def _catalog(app: Flask) -> Catalog:
    with app.app_context():
        return current_catalog()


def _csrf(client: FlaskClient, path: str) -> str:
    found = CSRF.search(client.get(path).get_data(as_text=True))
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def _sign_in(client: FlaskClient) -> str:
    token = _csrf(client, "/accounts/sign-in")
    data = {"email": LEARNER, "password": PASSWORD, "csrf_token": token}
    response = client.post("/accounts/sign-in", data=data)
    assert response.status_code == 302, response.status_code
    # Flask-WTF's token is tied to the session, not to a page: one serves every form.
    return _csrf(client, "/accounts/profile")


def _right_answers(questions: tuple[AskedQuestion, ...]) -> dict[str, list[str]]:
    """The form a learner who knows every answer sends (choices by their shown position)."""
    form: dict[str, list[str]] = {}
    for q in questions:
        name = field_name(q.id)
        if q.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            form[name] = [str(position) for position, c in enumerate(q.choices) if c.correct]
        elif q.type is QuestionType.TRUE_FALSE:
            form[name] = ["true" if q.answer else "false"]
        elif q.type is QuestionType.TEXT:
            form[name] = [q.all_accepted_answers()[0]]
        else:
            form[name] = ["Une réflexion."]
    return form


def _timed(
    request: Callable[[], TestResponse], status: int, log: StatementLog
) -> tuple[float, list[str]]:
    """Milliseconds the app takes to answer ``request``, and the SQL it runs meanwhile."""
    with log.record() as statements:
        start = time.perf_counter()
        response = request()
        elapsed = (time.perf_counter() - start) * 1000
    _ok(response, status)
    return elapsed, list(statements)


def _one_count(rounds: Sequence[list[str]], what: str) -> list[str]:
    """The statements of every round, which must number the same each time."""
    sizes = sorted({len(statements) for statements in rounds})
    assert len(sizes) == 1, f"{what}: statement counts vary between rounds: {sizes}"
    return rounds[0]


def measure(content_dir: Path, database_file: Path, measured_id: str) -> Figures:
    app = build_app(database_file, content_dir=content_dir, secret_key="bench-" * 8)
    catalog = _catalog(app)
    measured = catalog.courses[measured_id]
    _populate(app, measured)
    engine = database(app).engine
    log = StatementLog()
    event.listen(engine, "before_cursor_execute", log.listen)
    client = app.test_client()
    token = _sign_in(client)

    # Lesson pages: the learner goes back and forth between two lessons, so that each view
    # also records the new place (an UPDATE), as reading on does.
    lessons = [i.key for i in measured.items() if i.kind is ItemKind.LESSON][:2]
    lesson_times: list[float] = []
    lesson_rounds: list[list[str]] = []
    for round_number in range(ROUNDS):
        path = f"/courses/{measured.id}/{lessons[round_number % len(lessons)]}"
        elapsed, statements = _timed(partial(client.get, path), 200, log)
        lesson_times.append(elapsed)
        lesson_rounds.append(statements)

    # Quiz submissions: each round starts attempt 3 (untimed), then submits right answers,
    # which passes the quiz and completes the course; the round's records are then removed,
    # so that every round is that same, heaviest, submission.
    quiz_item = next(i for i in measured.items() if i.kind is ItemKind.QUIZ)
    quiz_url = f"/courses/{measured.id}/{quiz_item.key}"
    submit_times: list[float] = []
    submit_rounds: list[list[str]] = []
    for _round in range(ROUNDS):
        started = client.post(f"{quiz_url}/attempts", data={"csrf_token": token})
        attempt_url = _ok(started, 303).headers["Location"]
        number = int(attempt_url.rsplit("/", 1)[1])
        form = {**_right_answers(_snapshot(app, measured, number)), "action": ["grade"]}
        form["csrf_token"] = [token]
        elapsed, statements = _timed(partial(client.post, attempt_url, data=form), 303, log)
        submit_times.append(elapsed)
        submit_rounds.append(statements)
        _undo_pass(app, measured, quiz_item.key, number)

    trip_rounds: dict[str, list[list[str]]] = {"open": [], "start": [], "submit": []}
    for _round in range(TRIP_ROUNDS):
        for step, statements in _trip(app, client, log, token, measured).items():
            trip_rounds[step].append(statements)

    engine.dispose()
    return Figures(
        lesson_ms=statistics.median(lesson_times),
        lesson_statements=_one_count(lesson_rounds, "lesson view"),
        submit_ms=statistics.median(submit_times),
        submit_statements=_one_count(submit_rounds, "quiz submission"),
        trip_statements={
            step: _one_count(rounds, f"quiz round trip, {step}")
            for step, rounds in trip_rounds.items()
        },
    )


def _trip(
    app: Flask, client: FlaskClient, log: StatementLog, token: str, course: Course
) -> dict[str, list[str]]:
    """The statements of each step of bench/round_trip.py's quiz round trip, in process:
    open the quiz; start an attempt and follow to its form; grade it and follow to its result.
    """
    quiz_item = next(i for i in course.items() if i.kind is ItemKind.QUIZ)
    quiz_url = f"/courses/{course.id}/{quiz_item.key}"
    steps: dict[str, list[str]] = {}
    with log.record() as steps["open"]:
        _ok(client.get(quiz_url), 200)
    with log.record() as steps["start"]:
        attempt_url = _ok(client.post(f"{quiz_url}/attempts", data={"csrf_token": token}), 303)
        attempt_url = attempt_url.headers["Location"]
        _ok(client.get(attempt_url), 200)
    number = int(attempt_url.rsplit("/", 1)[1])
    form = {**_right_answers(_snapshot(app, course, number)), "action": ["grade"]}
    form["csrf_token"] = [token]
    with log.record() as steps["submit"]:
        _ok(client.post(attempt_url, data=form), 303)
        _ok(client.get(attempt_url), 200)
    _undo_pass(app, course, quiz_item.key, number)
    return {step: list(statements) for step, statements in steps.items()}


def _ok(response: TestResponse, status: int) -> TestResponse:
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True))
    return response


def _snapshot(
    app: Flask, course: Course, number: int, email: str = LEARNER
) -> tuple[AskedQuestion, ...]:
    with app.app_context():
        session = database(app).sessions()
        learner = session.scalar(select(User.id).where(User.email == email))
        questions = session.scalar(
            select(QuizAttempt.questions).where(
                QuizAttempt.user_id == learner,
                QuizAttempt.course_id == course.id,
                QuizAttempt.number == number,
            )
        )
        # Committed, not rolled back: on PostgreSQL a rollback would drop the prepared
        # statements of the connection that the app's requests use next (lms.db).
        session.commit()
        session.close()
    assert questions is not None
    return snapshot_from_json(questions)


def _undo_pass(
    app: Flask, course: Course, quiz_key: str, number: int, email: str = LEARNER
) -> None:
    with app.app_context():
        session = database(app).sessions()
        learner = session.scalar(select(User.id).where(User.email == email))
        mine = (QuizAttempt.user_id == learner) & (QuizAttempt.course_id == course.id)
        session.execute(delete(QuizAttempt).where(mine, QuizAttempt.number == number))
        session.execute(
            delete(ItemCompletion).where(
                ItemCompletion.user_id == learner,
                ItemCompletion.course_id == course.id,
                ItemCompletion.item == quiz_key,
            )
        )
        session.execute(
            update(Enrolment)
            .where(Enrolment.user_id == learner, Enrolment.course_id == course.id)
            .values(completed_at=None, completed_version=None)
        )
        session.commit()
        session.close()


def run(verbose: bool = False) -> dict[str, float]:
    compile_translations()
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as scratch:
        large = Path(scratch, "content")
        generate_root(large, courses=50, lessons=20)
        cases = [
            ("shipped", PROJECT, "por-101"),
            ("50_courses", large, "course-000"),
        ]
        for name, content_dir, course_id in cases:
            result = measure(content_dir, Path(scratch, f"{name}.db"), course_id)
            figures[f"lesson_view_ms_p50_{name}"] = result.lesson_ms
            figures[f"lesson_view_queries_{name}"] = len(result.lesson_statements)
            figures[f"quiz_submit_ms_p50_{name}"] = result.submit_ms
            figures[f"quiz_submit_queries_{name}"] = len(result.submit_statements)
            for step, statements in result.trip_statements.items():
                figures[f"quiz_round_trip_{step}_queries_{name}"] = len(statements)
            if verbose:
                for what, statements in (
                    ("lesson view", result.lesson_statements),
                    ("quiz submission", result.submit_statements),
                    *((f"quiz round trip, {s}", q) for s, q in result.trip_statements.items()),
                ):
                    print(f"-- {name}: {what}, {len(statements)} statements")
                    for statement in statements:
                        print("   " + " ".join(statement.split())[:150])
    return figures


if __name__ == "__main__":
    for key, value in run(verbose="-v" in sys.argv).items():
        print(f"{key:<32} {value:>10.1f}")
