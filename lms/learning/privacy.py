"""Learning's part of privacy: a learner's enrolments and completions, for their export.

Erasure keeps these rows: they name a course, an outline item and dates, nothing about the
person, and belong to an account emptied of personal data (lms.accounts.privacy), so that
staff reports still count what was completed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.accounts.privacy import iso
from lms.learning.models import Enrolment, ItemCompletion

if TYPE_CHECKING:
    from lms.accounts.models import User


def learner_data(session: Session, user: User) -> dict[str, Any]:
    """``user``'s enrolments and completed outline items."""
    enrolments = session.scalars(
        select(Enrolment).where(Enrolment.user_id == user.id).order_by(Enrolment.id)
    )
    completions = session.scalars(
        select(ItemCompletion)
        .where(ItemCompletion.user_id == user.id)
        .order_by(ItemCompletion.course_id, ItemCompletion.completed_at, ItemCompletion.id)
    )
    return {
        "enrolments": [
            {
                "course_id": e.course_id,
                "started_at": iso(e.started_at),
                "completed_at": iso(e.completed_at),
                "completed_version": e.completed_version,
                "last_item": e.last_item,
            }
            for e in enrolments
        ],
        "completions": [
            {
                "course_id": c.course_id,
                "item": c.item,
                "content_version": c.content_version,
                "completed_at": iso(c.completed_at),
            }
            for c in completions
        ],
    }
