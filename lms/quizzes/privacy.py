"""Quizzes' part of privacy: a learner's attempts (questions and answers), and erasing them."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from lms.accounts.privacy import iso
from lms.db import rows_changed
from lms.quizzes.models import AttemptGrant, QuizAttempt

if TYPE_CHECKING:
    from lms.accounts.models import User


def learner_data(session: Session, user: User) -> list[dict[str, Any]]:
    """Every attempt of ``user``: the questions as asked and the answers, reflections too."""
    attempts = session.scalars(
        select(QuizAttempt)
        .where(QuizAttempt.user_id == user.id)
        .order_by(QuizAttempt.course_id, QuizAttempt.quiz, QuizAttempt.number)
    )
    return [
        {
            "course_id": a.course_id,
            "quiz": a.quiz,
            "number": a.number,
            "content_version": a.content_version,
            "started_at": iso(a.started_at),
            "submitted_at": iso(a.submitted_at),
            "score": _json_number(a.score),
            "max_score": a.max_score,
            "passed": a.passed,
            "questions": a.questions,
            "answers": a.answers,
        }
        for a in attempts
    ]


def erase_learner(session: Session, user: User) -> int:
    """Delete ``user``'s attempts: free-text answers and reflections are personal data.

    A passed quiz stays counted, in learning's item completions. Attempts staff granted go
    too: their reasons are free text about the person. Returns how many attempts went.
    """
    session.execute(delete(AttemptGrant).where(AttemptGrant.user_id == user.id))
    return rows_changed(session, delete(QuizAttempt).where(QuizAttempt.user_id == user.id))


def _json_number(value: Decimal | None) -> int | float | None:
    """A score for JSON: whole points stay integers, partial credit has its two places."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)
