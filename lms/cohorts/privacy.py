"""Cohorts' part of privacy: a person's roster lines and reminders, and anonymising them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from lms.accounts.privacy import iso, placeholder_email
from lms.cohorts.models import Cohort, CohortMembership, Reminder

if TYPE_CHECKING:
    from lms.accounts.models import User


def learner_data(session: Session, user: User) -> dict[str, Any]:
    """``user``'s cohort memberships, as the staff's roster recorded them, and reminders."""
    memberships = session.execute(
        select(CohortMembership, Cohort.name)
        .join(Cohort, CohortMembership.cohort_id == Cohort.id)
        .where(_own_membership(user))
        .order_by(CohortMembership.id)
    )
    reminders = session.execute(
        select(Reminder, Cohort.name)
        .join(Cohort, Reminder.cohort_id == Cohort.id)
        .where(or_(Reminder.user_id == user.id, Reminder.email == user.email))
        .order_by(Reminder.sent_at, Reminder.id)
    )
    return {
        "cohort_memberships": [
            {
                "cohort": cohort_name,
                "email": m.email,
                "first_name": m.first_name,
                "last_name": m.last_name,
                "sector": m.sector,
                "fellowship_number": m.fellowship_number,
                "notes": m.notes,
                "own_due_date": m.due_date.isoformat() if m.due_date else None,
                "added_at": iso(m.added_at),
            }
            for m, cohort_name in memberships
        ],
        "reminders_received": [
            {"cohort": cohort_name, "sent_to": r.email, "sent_at": iso(r.sent_at)}
            for r, cohort_name in reminders
        ],
    }


def _own_membership(user: User) -> Any:
    return or_(CohortMembership.user_id == user.id, CohortMembership.email == user.email)


def erase_learner(session: Session, user: User) -> None:
    """Anonymise ``user``'s roster lines and reminders.

    Call it before the account's email is replaced. Roster lines stay, linked to the
    emptied account, so that cohort totals still count the person; each keeps only its
    cohort and date.
    """
    for membership in session.scalars(select(CohortMembership).where(_own_membership(user))):
        membership.user_id = user.id
        membership.email = f"deleted-m{membership.id}@invalid"
        membership.first_name = None
        membership.last_name = None
        membership.sector = None
        membership.fellowship_number = None
        membership.notes = None
        membership.due_date = None  # an extension says something of the person's life
    session.execute(
        update(Reminder)
        .where(or_(Reminder.user_id == user.id, Reminder.email == user.email))
        .values(email=placeholder_email(user.id), user_id=user.id)
        .execution_options(synchronize_session=False)
    )
