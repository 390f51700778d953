"""Reads of quiz attempts, for quizzes and for the features above it."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from lms.quizzes.item_analysis import SubmittedAttempt
from lms.quizzes.models import AttemptGrant, QuizAttempt
from lms.quizzes.snapshot import snapshot_from_json

if TYPE_CHECKING:
    from lms.accounts.models import User


def submitted_attempts(
    session: Session,
    course_id: str,
    quiz: str,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Iterator[SubmittedAttempt]:
    """What every attempt at ``quiz`` submitted in [since, until) asked and was answered,
    oldest first: what item analysis counts."""
    query = select(QuizAttempt.questions, QuizAttempt.answers).where(
        QuizAttempt.course_id == course_id,
        QuizAttempt.quiz == quiz,
        QuizAttempt.submitted_at.is_not(None),
    )
    if since is not None:
        query = query.where(QuizAttempt.submitted_at >= since)
    if until is not None:
        query = query.where(QuizAttempt.submitted_at < until)
    rows = session.execute(query.order_by(QuizAttempt.submitted_at, QuizAttempt.id))
    return (
        SubmittedAttempt(snapshot_from_json(questions), answers or {})
        for questions, answers in rows
    )


@dataclass(frozen=True)
class AttemptState:
    """One of a learner's attempts at a quiz, without what it asked nor what was answered."""

    number: int
    started_at: datetime
    submitted_at: datetime | None
    score: Decimal | None
    max_score: int | None
    passed: bool | None


# The quiz pages' reads, each built once: building a statement took longer than SQLite took
# to run it, and a quiz round trip runs a dozen (bench/profile_quiz.py).
_LEARNER_QUIZ = (
    (QuizAttempt.user_id == bindparam("user_id"))
    & (QuizAttempt.course_id == bindparam("course_id"))
    & (QuizAttempt.quiz == bindparam("quiz"))
)
_GRANTED = (
    select(func.coalesce(func.sum(AttemptGrant.extra), 0).label("granted"))
    .where(
        AttemptGrant.user_id == bindparam("user_id"),
        AttemptGrant.course_id == bindparam("course_id"),
        AttemptGrant.quiz == bindparam("quiz"),
    )
    .subquery()
)
# The one row of the grants' total, joined to each attempt (or to none): on PostgreSQL each
# statement is a round trip, and the quiz's pages read both every time.
_ATTEMPTS_AND_GRANTED = (
    select(
        _GRANTED.c.granted,
        QuizAttempt.number,
        QuizAttempt.started_at,
        QuizAttempt.submitted_at,
        QuizAttempt.score,
        QuizAttempt.max_score,
        QuizAttempt.passed,
    )
    .select_from(_GRANTED)
    .outerjoin(QuizAttempt, _LEARNER_QUIZ)
    .order_by(QuizAttempt.number)
)
_ATTEMPT = select(QuizAttempt).where(_LEARNER_QUIZ, QuizAttempt.number == bindparam("number"))


@dataclass(frozen=True)
class LearnerAttempts:
    """A learner's attempts at a quiz, by number, and the attempts staff granted them."""

    attempts: tuple[AttemptState, ...]
    granted: int


def learner_attempts(session: Session, user: User, course_id: str, quiz: str) -> LearnerAttempts:
    """``user``'s attempts at ``quiz`` (what the quiz's pages list and count: not their
    questions and answers, which only the attempt's own page reads) and their grants."""
    values = {"user_id": user.id, "course_id": course_id, "quiz": quiz}
    rows = session.execute(_ATTEMPTS_AND_GRANTED, values).all()
    return LearnerAttempts(
        attempts=tuple(AttemptState(*row[1:]) for row in rows if row.number is not None),
        granted=int(rows[0].granted) if rows else 0,
    )


def find_attempt(
    session: Session, user: User, course_id: str, quiz: str, number: int
) -> QuizAttempt | None:
    """``user``'s attempt ``number`` at ``quiz``; never another learner's."""
    values = {"user_id": user.id, "course_id": course_id, "quiz": quiz, "number": number}
    return session.scalar(_ATTEMPT, values)


@dataclass(frozen=True)
class AttemptRecord:
    """One attempt as staff may see it: its score, never its questions nor answers."""

    course_id: str
    quiz: str
    number: int
    started_at: datetime
    submitted_at: datetime | None
    score: Decimal | None
    max_score: int | None
    passed: bool | None


def attempt_records(session: Session, user: User) -> list[AttemptRecord]:
    """``user``'s attempts, the latest first. Not the questions nor the answers: reflections
    stay the learner's own, and no page can show them by mistake."""
    rows = session.execute(
        select(
            QuizAttempt.course_id,
            QuizAttempt.quiz,
            QuizAttempt.number,
            QuizAttempt.started_at,
            QuizAttempt.submitted_at,
            QuizAttempt.score,
            QuizAttempt.max_score,
            QuizAttempt.passed,
        )
        .where(QuizAttempt.user_id == user.id)
        .order_by(QuizAttempt.started_at.desc(), QuizAttempt.id.desc())
    )
    return [AttemptRecord(*row) for row in rows]


@dataclass(frozen=True)
class AttemptTally:
    """A learner's attempts at one quiz, counted."""

    started: int
    """Attempts begun, submitted or not (numbers are consecutive from 1)."""
    unfinished: bool
    passed: bool
    granted: int = 0
    """Attempts staff added beyond the quiz's limit."""


_GRANTED_FOR_QUIZ = (
    select(func.sum(AttemptGrant.extra))
    .where(
        AttemptGrant.user_id == QuizAttempt.user_id,
        AttemptGrant.course_id == QuizAttempt.course_id,
        AttemptGrant.quiz == QuizAttempt.quiz,
    )
    .scalar_subquery()
)
_LEARNER_TALLIES = (
    select(
        QuizAttempt.course_id,
        QuizAttempt.quiz,
        func.max(QuizAttempt.number),
        func.count(QuizAttempt.id).filter(QuizAttempt.submitted_at.is_(None)),
        func.count(QuizAttempt.id).filter(QuizAttempt.passed.is_(True)),
        _GRANTED_FOR_QUIZ,
    )
    .where(
        QuizAttempt.user_id == bindparam("user_id"),
        QuizAttempt.course_id.in_(bindparam("course_ids", expanding=True)),
    )
    .group_by(QuizAttempt.user_id, QuizAttempt.course_id, QuizAttempt.quiz)
)
"""One learner's tallies with their grants, in one statement built once: every lesson and
course page asks it, and building it took longer than running it (bench/profile_lesson.py)."""


def attempt_tallies(
    session: Session, user: User, course_ids: Collection[str]
) -> dict[tuple[str, str], AttemptTally]:
    """``user``'s attempts at each quiz of these courses, by (course id, quiz stem): as
    ``attempt_tallies_of`` counts them, for one learner."""
    rows = session.execute(_LEARNER_TALLIES, {"user_id": user.id, "course_ids": list(course_ids)})
    return {
        (course_id, quiz): AttemptTally(started, unfinished > 0, passed > 0, int(granted or 0))
        for course_id, quiz, started, unfinished, passed, granted in rows
    }


def attempt_tallies_of(
    session: Session, user_ids: Any, course_ids: Collection[str]
) -> dict[tuple[int, str, str], AttemptTally]:
    """The attempts of each of ``user_ids`` (a collection, or a subquery selecting ids) at each
    quiz of these courses, by (user id, course id, stem): two queries for a whole cohort."""
    unfinished = func.count(QuizAttempt.id).filter(QuizAttempt.submitted_at.is_(None))
    passed = func.count(QuizAttempt.id).filter(QuizAttempt.passed.is_(True))
    rows = session.execute(
        select(
            QuizAttempt.user_id,
            QuizAttempt.course_id,
            QuizAttempt.quiz,
            func.max(QuizAttempt.number),
            unfinished,
            passed,
        )
        .where(QuizAttempt.user_id.in_(user_ids), QuizAttempt.course_id.in_(course_ids))
        .group_by(QuizAttempt.user_id, QuizAttempt.course_id, QuizAttempt.quiz)
    )
    grants = session.execute(
        select(
            AttemptGrant.user_id,
            AttemptGrant.course_id,
            AttemptGrant.quiz,
            func.sum(AttemptGrant.extra),
        )
        .where(AttemptGrant.user_id.in_(user_ids), AttemptGrant.course_id.in_(course_ids))
        .group_by(AttemptGrant.user_id, AttemptGrant.course_id, AttemptGrant.quiz)
    )
    granted = {(u, c, q): int(extra) for u, c, q, extra in grants}
    return {
        (user_id, course_id, quiz): AttemptTally(
            started, unfinished > 0, passed > 0, granted.get((user_id, course_id, quiz), 0)
        )
        for user_id, course_id, quiz, started, unfinished, passed in rows
    }
