"""Live sessions' part of privacy: a person's registrations, attendance and calendar feed,
and what deleting their account does to them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from lms.accounts.privacy import iso
from lms.live import registrations
from lms.live.models import Attendance, CalendarFeed, LiveSession, Registration, RegistrationStatus

if TYPE_CHECKING:
    from datetime import datetime

    from lms.accounts.models import User


def learner_data(session: Session, user: User) -> dict[str, Any]:
    """``user``'s registrations and attendance, by session, and whether they have a feed
    (not its address: a secret, and theirs to see on their page)."""
    registered = session.execute(
        select(Registration, LiveSession.slug)
        .join(LiveSession, LiveSession.id == Registration.session_id)
        .where(Registration.user_id == user.id)
        .order_by(Registration.id)
    )
    attended = session.execute(
        select(Attendance, LiveSession.slug)
        .join(LiveSession, LiveSession.id == Attendance.session_id)
        .where(Attendance.user_id == user.id)
        .order_by(Attendance.id)
    )
    feed = session.get(CalendarFeed, user.id)
    return {
        "registrations": [
            {
                "session": slug,
                "status": r.status.value,
                "requested_at": iso(r.requested_at),
                "seated_at": iso(r.seated_at) if r.seated_at else None,
                "cancelled_at": iso(r.cancelled_at) if r.cancelled_at else None,
            }
            for r, slug in registered
        ],
        "attendance": [
            {
                "session": slug,
                "present": a.present,
                "minutes": a.minutes,
                "source": a.source.value,
                "recorded_at": iso(a.recorded_at),
            }
            for a, slug in attended
        ],
        "calendar_feed": (
            {
                "created_at": iso(feed.created_at),
                "last_read_at": iso(feed.last_read_at) if feed.last_read_at else None,
            }
            if feed is not None
            else None
        ),
    }


def erase_learner(session: Session, user: User, now: datetime) -> None:
    """Give up ``user``'s seats and places at sessions to come (the waiting list moves up),
    and delete their feed, whose address would otherwise still answer.

    Registrations and attendance stay, linked to the emptied account: they hold nothing
    about the person, and a session's numbers still count them.
    """
    upcoming = session.scalars(
        select(LiveSession)
        .join(Registration, Registration.session_id == LiveSession.id)
        .where(
            Registration.user_id == user.id,
            Registration.status.in_((RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)),
            LiveSession.starts_at > now,
        )
    )
    for live in list(upcoming):
        registrations.cancel(session, live, user, now=now)
    session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
