"""Attempt limits: when a learner may no longer attempt a quiz, told to learning's progress.

A quiz failed as often as it allows is a closed door that only staff can open again; the
course page and the dashboard must say so rather than lead back to it ("Continue"). Learning
may not read attempts, so it asks through ``lms.learning.signals.quizzes_out_of_attempts``,
and ``connect_receivers`` (called by the app factory) answers from here.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from lms.content import Course, ItemKind
from lms.learning.signals import quizzes_out_of_attempts
from lms.quizzes import queries

if TYPE_CHECKING:
    from lms.accounts.models import User


def allowed_attempts(max_attempts: int | None, granted: int) -> int | None:
    """How many attempts a learner may start: the quiz's limit plus what staff granted them;
    None when the quiz has no limit."""
    return None if max_attempts is None else max_attempts + granted


def is_out_of_attempts(
    max_attempts: int | None, started: int, *, unfinished: bool, passed: bool
) -> bool:
    """Whether a learner who ``started`` that many attempts may start no other, without a pass.

    An unfinished attempt is still open to them, and a pass ends the matter either way.
    """
    return not passed and not unfinished and max_attempts is not None and started >= max_attempts


def out_of_attempts(
    session: Session, user: User, courses: Collection[Course]
) -> dict[str, frozenset[str]]:
    """By course id, the outline keys of the quizzes of ``courses`` that ``user`` failed as
    often as each allows; courses with none are left out."""
    limited = [c for c in courses if any(q.max_attempts is not None for q in c.quizzes.values())]
    if not limited:
        return {}  # No quiz with a limit: no question to ask the database.
    tallies = queries.attempt_tallies(session, user, [c.id for c in limited])
    found: dict[str, frozenset[str]] = {}
    for course in limited:
        keys = frozenset(
            item.key
            for item in course.items()
            if item.kind is ItemKind.QUIZ
            and _used_up(course, item.stem, tallies.get((course.id, item.stem)))
        )
        if keys:
            found[course.id] = keys
    return found


def blocked_learners(
    session: Session, user_ids: Any, courses: Collection[Course]
) -> dict[int, frozenset[tuple[str, str]]]:
    """By user id, the (course id, quiz stem) of the quizzes of ``courses`` that each of
    ``user_ids`` (a collection or an id subquery) failed as often as allowed; learners with
    none are left out. Two queries, whatever the number of learners: a cohort's dashboard."""
    limited = {
        c.id: c for c in courses if any(q.max_attempts is not None for q in c.quizzes.values())
    }
    if not limited:
        return {}
    found: dict[int, set[tuple[str, str]]] = {}
    for (user_id, course_id, stem), tally in queries.attempt_tallies_of(
        session, user_ids, list(limited)
    ).items():
        if stem in limited[course_id].quizzes and _used_up(limited[course_id], stem, tally):
            found.setdefault(user_id, set()).add((course_id, stem))
    return {user_id: frozenset(quizzes) for user_id, quizzes in found.items()}


def _used_up(course: Course, stem: str, tally: queries.AttemptTally | None) -> bool:
    return tally is not None and is_out_of_attempts(
        allowed_attempts(course.quizzes[stem].max_attempts, tally.granted),
        tally.started,
        unfinished=tally.unfinished,
        passed=tally.passed,
    )


def _on_out_of_attempts_asked(session: Session, **values: Any) -> dict[str, frozenset[str]]:
    return out_of_attempts(session, values["user"], values["courses"])


def connect_receivers() -> None:
    # One receiver for every app, connected once however many apps a process builds.
    quizzes_out_of_attempts.connect(_on_out_of_attempts_asked, weak=False)
