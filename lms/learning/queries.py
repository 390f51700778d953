"""Reads of learners' enrolments and completions, for learning and for the features above it.

Reads over many learners take a set of user ids (a collection, or a subquery selecting
them): a cohort of any size costs the same few queries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from lms.learning.models import Enrolment, ItemCompletion

if TYPE_CHECKING:
    from lms.accounts.models import User


_ENROLMENT = select(Enrolment).where(
    Enrolment.user_id == bindparam("user_id"), Enrolment.course_id == bindparam("course_id")
)
"""Built once: opening a quiz, starting and submitting an attempt each read it."""


def find_enrolment(session: Session, user: User, course_id: str) -> Enrolment | None:
    return session.scalar(_ENROLMENT, {"user_id": user.id, "course_id": course_id})


def enrolments_by_course(session: Session, user: User) -> dict[str, Enrolment]:
    """Every enrolment of ``user``, by course id."""
    rows = session.scalars(select(Enrolment).where(Enrolment.user_id == user.id))
    return {enrolment.course_id: enrolment for enrolment in rows}


def completed_enrolments(session: Session, user: User) -> dict[str, Enrolment]:
    """``user``'s completed enrolments, by course id."""
    rows = session.scalars(
        select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.completed_at.is_not(None))
    )
    return {enrolment.course_id: enrolment for enrolment in rows}


def completed_courses(session: Session, user: User, course_ids: Collection[str]) -> frozenset[str]:
    """Which of ``course_ids`` ``user`` completed."""
    rows = session.scalars(
        select(Enrolment.course_id).where(
            Enrolment.user_id == user.id,
            Enrolment.course_id.in_(course_ids),
            Enrolment.completed_at.is_not(None),
        )
    )
    return frozenset(rows)


_COMPLETED_ITEMS = select(ItemCompletion.item).where(
    ItemCompletion.user_id == bindparam("user_id"),
    ItemCompletion.course_id == bindparam("course_id"),
)


def completed_items(session: Session, user_id: int, course_id: str) -> frozenset[str]:
    """The outline keys ``user_id`` completed in ``course_id``."""
    return frozenset(
        session.scalars(_COMPLETED_ITEMS, {"user_id": user_id, "course_id": course_id})
    )


def completed_items_by_course(session: Session, user: User) -> dict[str, set[str]]:
    """Every outline key ``user`` completed, by course id: one query for the catalogue."""
    completed: defaultdict[str, set[str]] = defaultdict(set)
    rows = session.execute(
        select(ItemCompletion.course_id, ItemCompletion.item).where(
            ItemCompletion.user_id == user.id
        )
    )
    for course_id, item in rows:
        completed[course_id].add(item)
    return dict(completed)


_ENROLMENT_AND_COMPLETIONS = (
    select(Enrolment, ItemCompletion.item)
    .outerjoin(
        ItemCompletion,
        and_(
            ItemCompletion.user_id == Enrolment.user_id,
            ItemCompletion.course_id == Enrolment.course_id,
        ),
    )
    .where(Enrolment.user_id == bindparam("user_id"), Enrolment.course_id == bindparam("course_id"))
)
"""Built once, not per request: for the lesson page, building this statement anew took
longer than the database took to run it (bench/web.py)."""


def enrolment_and_completions(
    session: Session, user: User, course_id: str
) -> tuple[Enrolment | None, frozenset[str]]:
    """``user``'s enrolment in ``course_id`` and the outline keys they completed there, in one
    query: the lesson page, read most, pays one round trip for both.

    Completions are only recorded under an enrolment, so a learner with no enrolment in the
    course has none.
    """
    rows = session.execute(
        _ENROLMENT_AND_COMPLETIONS, {"user_id": user.id, "course_id": course_id}
    ).all()
    if not rows:
        return None, frozenset()
    return rows[0][0], frozenset(item for _, item in rows if item is not None)


def uncompleted_with_every_item_done(
    session: Session, outlines: Mapping[str, Collection[str]]
) -> list[tuple[int, str]]:
    """(user id, course id) of each enrolment without a completion date although every item
    of its course's outline (``outlines``: course id -> outline keys) is done, by user: what
    a lost completion leaves. One query; courses with an empty outline are left out.
    """
    conditions = []
    for course_id, keys in outlines.items():
        if not keys:
            continue
        done = (
            select(func.count())
            .where(
                ItemCompletion.user_id == Enrolment.user_id,
                ItemCompletion.course_id == course_id,
                ItemCompletion.item.in_(list(keys)),
            )
            .scalar_subquery()
        )
        # The unique (user, course, item) makes the count one per item done.
        conditions.append(and_(Enrolment.course_id == course_id, done == len(set(keys))))
    if not conditions:
        return []
    rows = session.execute(
        select(Enrolment.user_id, Enrolment.course_id)
        .where(Enrolment.completed_at.is_(None), or_(*conditions))
        .order_by(Enrolment.user_id, Enrolment.course_id)
    )
    return [(user_id, course_id) for user_id, course_id in rows]


def learners_with_a_completed_course(session: Session) -> list[int]:
    """The ids of the learners who completed at least one course."""
    rows = session.scalars(
        select(Enrolment.user_id).where(Enrolment.completed_at.is_not(None)).distinct()
    )
    return list(rows)


@dataclass(frozen=True)
class CourseActivity:
    """One learner's record in one course, as reports count it."""

    started_at: datetime | None
    completed_at: datetime | None
    items_done: int
    """Completed items among those of the course's outline as it is now."""


def course_records(
    session: Session, user_ids: Any, outlines: Mapping[str, Collection[str]]
) -> dict[tuple[int, str], CourseActivity]:
    """Each learner's record in each course of ``outlines`` (course id -> its outline keys,
    empty for a course no longer in the catalogue), by (user id, course id): two queries
    whatever the number of learners. ``user_ids``: a collection, or a subquery of ids.

    Only the items of each outline as it is now count, as on the learner's pages.
    """
    if not outlines:
        return {}
    enrolments = session.execute(
        select(
            Enrolment.user_id, Enrolment.course_id, Enrolment.started_at, Enrolment.completed_at
        ).where(Enrolment.user_id.in_(user_ids), Enrolment.course_id.in_(list(outlines)))
    )
    in_outlines = [
        and_(ItemCompletion.course_id == course_id, ItemCompletion.item.in_(list(keys)))
        for course_id, keys in outlines.items()
        if keys
    ]
    done: dict[tuple[int, str], int] = {}
    if in_outlines:
        counted = session.execute(
            select(ItemCompletion.user_id, ItemCompletion.course_id, func.count())
            .where(ItemCompletion.user_id.in_(user_ids), or_(*in_outlines))
            .group_by(ItemCompletion.user_id, ItemCompletion.course_id)
        )
        done = {(user_id, course_id): count for user_id, course_id, count in counted}
    records = {
        (user_id, course_id): CourseActivity(
            started_at, completed_at, done.get((user_id, course_id), 0)
        )
        for user_id, course_id, started_at, completed_at in enrolments
    }
    for key, count in done.items():
        records.setdefault(key, CourseActivity(None, None, count))
    return records


@dataclass(frozen=True)
class LearnerHistory:
    """Everything one learner did in courses: enrolments and completed items, with dates."""

    enrolments: dict[str, tuple[datetime, datetime | None]]
    """Course id -> (started, completed)."""
    completions: dict[str, dict[str, datetime]]
    """Course id -> outline key -> when completed."""


def learner_history(session: Session, user: User) -> LearnerHistory:
    """``user``'s enrolments and completions with their dates: two queries."""
    enrolments = {
        course_id: (started_at, completed_at)
        for course_id, started_at, completed_at in session.execute(
            select(Enrolment.course_id, Enrolment.started_at, Enrolment.completed_at).where(
                Enrolment.user_id == user.id
            )
        )
    }
    completions: defaultdict[str, dict[str, datetime]] = defaultdict(dict)
    for course_id, item, done_at in session.execute(
        select(ItemCompletion.course_id, ItemCompletion.item, ItemCompletion.completed_at).where(
            ItemCompletion.user_id == user.id
        )
    ):
        completions[course_id][item] = done_at
    return LearnerHistory(enrolments, dict(completions))
