"""Quizzes' tables: attempts, each with a snapshot of what was asked and answered."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import COURSE_ID_LENGTH, STEM_LENGTH, VERSION_LENGTH, Base, Hundredths, utcnow

if TYPE_CHECKING:
    from lms.accounts.models import User


class QuizAttempt(Base):
    """One attempt at one quiz; ``number`` counts from 1 per learner and quiz.

    The unique (user, course, quiz, number) makes two concurrent starts collide, so the
    attempt limit holds without a lock.
    """

    __tablename__ = "quiz_attempts"
    __table_args__ = (
        UniqueConstraint("user_id", "course_id", "quiz", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_id: Mapped[str] = mapped_column(String(COURSE_ID_LENGTH))
    quiz: Mapped[str] = mapped_column(String(STEM_LENGTH))
    """The quiz's stem (``final`` for ``final.quiz.yaml``)."""
    number: Mapped[int]
    content_version: Mapped[str] = mapped_column(String(VERSION_LENGTH))
    questions: Mapped[list[Any]]
    """What was asked, in the order shown: ids, prompts, choices, so the record outlives edits."""
    answers: Mapped[dict[str, Any] | None]
    """Answers by question id: those saved to finish later, then those submitted; None until
    the learner saves or submits."""
    score: Mapped[Decimal | None] = mapped_column("score_hundredths", Hundredths())
    """Points earned, to the hundredth (partial credit); stored as hundredths, exactly."""
    max_score: Mapped[int | None]
    passed: Mapped[bool | None]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class AttemptGrant(Base):
    """Attempts staff added, beyond the quiz's ``max_attempts``, for one learner and quiz.

    Rows are only ever added: the learner may make the quiz's attempts plus the sum of
    ``extra`` over their grants, and each grant keeps who gave it and why.
    """

    __tablename__ = "quiz_attempt_grants"
    __table_args__ = (CheckConstraint("extra >= 1", name="extra_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    course_id: Mapped[str] = mapped_column(String(COURSE_ID_LENGTH))
    quiz: Mapped[str] = mapped_column(String(STEM_LENGTH))
    extra: Mapped[int]
    reason: Mapped[str] = mapped_column(Text)
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
