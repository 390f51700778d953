"""A quiz round trip over HTTP, as one learner's browser makes it, one request at a time.

Open the quiz's page; start an attempt (the POST, then the attempt's form it leads to);
submit every answer for grading (the POST, then the graded result it leads to). The learner
knows the answers, so the attempt passes and completes the course: the heaviest submission.
Between rounds the attempt, the completion and the course's completion are removed (not
timed), so that every round is the same; reading the attempt's questions from the database
to answer them is not timed either.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask

from bench.web import LEARNER, _right_answers, _snapshot, _undo_pass
from lms.content import Course, ItemKind
from tests.support.servers import Client, Response

ROUNDS = 20
WARM_ROUNDS = 10
"""Untimed round trips first: 50 requests, shared by the server's 4 workers."""
STEPS = ("open", "start", "submit")


@dataclass(frozen=True)
class Trip:
    """Milliseconds of each step of one round trip."""

    open: float
    start: float
    submit: float

    @property
    def total(self) -> float:
        return self.open + self.start + self.submit


def _timed(requests: Callable[[], Response]) -> tuple[float, Response]:
    start = time.perf_counter()
    response = requests()
    return (time.perf_counter() - start) * 1000, response


def _followed(client: Client, url: str, response: Response) -> Response:
    """The page a 303 leads to, as a browser follows it."""
    assert response.status == 303, (response.status, response.body[:300])
    return client.get(url, response.headers["Location"])


def one_trip(app: Flask, url: str, client: Client, token: str, course: Course) -> Trip:
    quiz_item = next(i for i in course.items() if i.kind is ItemKind.QUIZ)
    quiz_path = f"/courses/{course.id}/{quiz_item.key}"
    opened_ms, opened = _timed(lambda: client.get(url, quiz_path))
    assert opened.status == 200, opened.status
    started: list[Response] = []

    def start() -> Response:
        started.append(client.post(url, f"{quiz_path}/attempts", {"csrf_token": token}))
        return _followed(client, url, started[0])

    start_ms, form_page = _timed(start)
    assert form_page.status == 200, form_page.status
    attempt_path = started[0].headers["Location"]
    number = int(attempt_path.rsplit("/", 1)[1])
    form: dict[str, str | list[str]] = {
        **_right_answers(_snapshot(app, course, number, LEARNER)),
        "action": "grade",
        "csrf_token": token,
    }
    submit_ms, result = _timed(lambda: _followed(client, url, client.post(url, attempt_path, form)))
    # Passed: the graded result, not a form shown again.
    assert result.status == 200, result.status
    assert "verdict-right" in result.body, result.body[:300]
    _undo_pass(app, course, quiz_item.key, number, LEARNER)
    return Trip(opened_ms, start_ms, submit_ms)


def round_trips(app: Flask, url: str, client: Client, course: Course) -> dict[str, float]:
    """The median round trip of ``ROUNDS``, and the median of each step, in ms."""
    token = client.csrf_token(url, "/accounts/profile")
    # Warm, as a server that has run a while is: each worker has rendered these pages, and
    # on PostgreSQL prepared their statements (psycopg does at a statement's sixth run on a
    # connection, and each worker has its own).
    for _ in range(WARM_ROUNDS):
        one_trip(app, url, client, token, course)
    trips = [one_trip(app, url, client, token, course) for _ in range(ROUNDS)]
    figures = {"quiz_round_trip_ms": statistics.median(t.total for t in trips)}
    for step in STEPS:
        figures[f"quiz_round_trip_{step}_ms"] = statistics.median(getattr(t, step) for t in trips)
    return figures
