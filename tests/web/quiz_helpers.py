"""Shared by the quiz web tests: the quiz fixture content, its answers, and a learner's moves."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from lms.db import get_session
from lms.quizzes.models import QuizAttempt
from tests.support.apps import TESTS

from .helpers import csrf_token

QUIZ_CONTENT = TESTS / "fixtures" / "content" / "quizzes"
EVERY_TYPE = "/courses/quiz-lab/every-type.quiz"
AFTER_PASS = "/courses/quiz-lab/after-pass.quiz"
NEVER = "/courses/quiz-lab/never.quiz"
AFTER_PASS_OR_LAST = "/courses/quiz-lab/after-pass-or-last.quiz"
DRAWN = "/courses/quiz-lab/drawn.quiz"
PARTIAL = "/courses/quiz-lab/partial.quiz"
CHECK = "/courses/quiz-next/check.quiz"

RIGHT = {
    "answer-when-to-involve": "1",
    "answer-partner-roles": ["0", "2"],
    "answer-lived-experience": "true",
    "answer-key-posture": "CO–CONSTRUCTION ",
    "answer-your-experience": "My years of living with diabetes.\nAnd patience.",
}
"""Every answer right in ``every-type.quiz`` (shown unshuffled: positions are file indices)."""

HIDDEN_BEFORE_SUBMIT = (
    "Too late to shape the question.",
    "Right: from the very first step.",
    "Partners shape the research question itself.",
    "Experiential knowledge comes from living with a condition.",
    "co-construction",
    "coconstruction",
)


def post(client: FlaskClient, path: str, data: dict[str, Any], page: str) -> TestResponse:
    """POST ``data`` to ``path`` with the CSRF token of ``page``, as its form would."""
    return client.post(path, data={**data, "csrf_token": csrf_token(client, page)})


def start(client: FlaskClient, quiz: str = EVERY_TYPE) -> TestResponse:
    return post(client, f"{quiz}/attempts", {}, page=quiz)


def submit(
    client: FlaskClient, number: int, answers: dict[str, Any], quiz: str = EVERY_TYPE
) -> TestResponse:
    path = f"{quiz}/attempts/{number}"
    return post(client, path, {**answers, "action": "grade"}, page=path)


def take(client: FlaskClient, answers: dict[str, Any], quiz: str = EVERY_TYPE) -> int:
    """Start (or resume) an attempt and submit ``answers``; its number."""
    location = start(client, quiz).headers["Location"]
    number = int(location.rsplit("/", 1)[1])
    assert submit(client, number, answers, quiz).status_code == 303
    return number


def text_of(response: TestResponse) -> str:
    return response.get_data(as_text=True)


def attempts(app: Flask) -> list[QuizAttempt]:
    with app.app_context():
        session = get_session()
        found = list(session.scalars(select(QuizAttempt).order_by(QuizAttempt.id)))
        session.expunge_all()
        return found


def questions_section(page: str) -> str:
    """The attempt form's questions, without the CSRF token that changes per page."""
    found = re.search(r'<form method="post" action="[^"]*/attempts/\d+".*?</form>', page, re.S)
    assert found
    return re.sub(r'name="csrf_token" value="[^"]*"', "", found.group(0))
