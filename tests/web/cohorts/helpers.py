"""Shared by the cohort tests (web and browser): a member made blocked on a required quiz."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from lms.db import get_session, utcnow
from lms.quizzes.models import QuizAttempt
from tests.web.staff_helpers import BASICS

QUIZ = "check"
LIMIT = 10
"""The staff content's check.quiz allows ten attempts."""


def fail_every_attempt(app: Flask, user_id: int, attempts: int = LIMIT) -> None:
    """``attempts`` submitted, failed attempts at the basics' quiz: as if taken one by one."""
    with app.app_context():
        session = get_session()
        start = utcnow() - timedelta(hours=attempts)
        for number in range(1, attempts + 1):
            session.add(
                QuizAttempt(
                    user_id=user_id,
                    course_id=BASICS,
                    quiz=QUIZ,
                    number=number,
                    content_version="v",
                    questions=[],
                    answers={},
                    score=0,
                    max_score=4,
                    passed=False,
                    started_at=start + timedelta(hours=number),
                    submitted_at=start + timedelta(hours=number, minutes=5),
                )
            )
        session.commit()
