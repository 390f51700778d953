"""Seats and the waiting list: registering, cancelling, the first waiting moving up.

Every change to who holds a seat at a session locks the session's row first (``FOR
UPDATE`` on PostgreSQL; on SQLite every write already holds the database's lock), then
counts the seats taken: two learners asking for the last seat at once get it one after the
other, the second a place on the waiting list, at READ COMMITTED as on SQLite. Services:
they never commit.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.accounts import queries as account_queries
from lms.errors import DomainError
from lms.live import mails
from lms.live.models import LiveSession, Registration, RegistrationStatus
from lms.outbox import services as outbox

if TYPE_CHECKING:
    from lms.accounts.models import User


class SessionCancelled(DomainError):
    status_code = 409
    message = lazy_gettext("This session is cancelled: nobody can register for it.")


class RegistrationClosed(DomainError):
    status_code = 409
    message = lazy_gettext("This session is over: registration is closed.")


class NotRegistered(DomainError):
    status_code = 409
    message = lazy_gettext("You are not registered for this session, nor on its waiting list.")


class AlreadyCancelled(NotRegistered):
    """Cancelled before: a second click, or a second tab."""


class SessionStarted(DomainError):
    status_code = 409
    message = lazy_gettext("This session has started: your registration can no longer change.")


def lock_session(session: Session, live: LiveSession) -> None:
    """Hold ``live``'s row until the transaction ends: who holds a seat, and who attended,
    change one request at a time."""
    session.execute(select(LiveSession.id).where(LiveSession.id == live.id).with_for_update())


def seats_taken(session: Session, live: LiveSession) -> int:
    return (
        session.scalar(
            select(func.count(Registration.id)).where(
                Registration.session_id == live.id,
                Registration.status == RegistrationStatus.REGISTERED,
            )
        )
        or 0
    )


def own_registration(session: Session, live: LiveSession, user: User) -> Registration | None:
    return session.scalar(
        select(Registration).where(
            Registration.session_id == live.id, Registration.user_id == user.id
        )
    )


def register(session: Session, live: LiveSession, user: User, *, now: datetime) -> Registration:
    """A seat for ``user`` at ``live``, or a place on its waiting list when it is full; mailed.

    Asking again while registered or waiting changes nothing (two tabs, a double click).
    """
    if live.cancelled_at is not None:
        raise SessionCancelled
    if now >= live.ends_at:
        raise RegistrationClosed
    lock_session(session, live)
    registration = own_registration(session, live, user)
    if registration is not None and registration.status is not RegistrationStatus.CANCELLED:
        return registration
    seated = seats_taken(session, live) < live.capacity
    if registration is None:
        registration = Registration(session_id=live.id, user_id=user.id)
        session.add(registration)
    registration.status = RegistrationStatus.REGISTERED if seated else RegistrationStatus.WAITING
    registration.requested_at = now
    registration.seated_at = now if seated else None
    registration.cancelled_at = None
    registration.day_reminder_at = registration.hour_reminder_at = None
    session.flush()
    mail = mails.registered_mail if seated else mails.waiting_mail
    outbox.enqueue(session, mail(user, live))
    return registration


def cancel(session: Session, live: LiveSession, user: User, *, now: datetime) -> Registration:
    """Give up ``user``'s seat (the first waiting moves up, mailed) or place on the list."""
    if now >= live.starts_at and live.cancelled_at is None:
        raise SessionStarted
    lock_session(session, live)
    registration = own_registration(session, live, user)
    if registration is None:
        raise NotRegistered
    if registration.status is RegistrationStatus.CANCELLED:
        raise AlreadyCancelled
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.seated_at = None
    session.flush()
    if live.cancelled_at is None:
        fill_free_seats(session, live, now=now, locked=True)
    return registration


def fill_free_seats(
    session: Session, live: LiveSession, *, now: datetime, locked: bool = False
) -> list[Registration]:
    """Seat the first on the waiting list, by the time they asked, while seats are free (a
    cancellation, a larger room); each is mailed. Nobody moves up once the session started:
    a seat is no use to someone told too late."""
    if live.cancelled_at is not None or now >= live.starts_at:
        return []
    if not locked:
        lock_session(session, live)
    free = live.capacity - seats_taken(session, live)
    if free <= 0:
        return []
    moving = list(
        session.scalars(
            select(Registration)
            .where(
                Registration.session_id == live.id,
                Registration.status == RegistrationStatus.WAITING,
            )
            .order_by(Registration.requested_at, Registration.id)
            .limit(free)
        )
    )
    for registration in moving:
        registration.status = RegistrationStatus.REGISTERED
        registration.seated_at = now
    session.flush()
    people = account_queries.users_by_id(session, {r.user_id for r in moving})
    outbox.enqueue(
        session,
        [mails.moved_up_mail(people[r.user_id], live) for r in moving if r.user_id in people],
    )
    return moving


def waiting_position(session: Session, registration: Registration) -> int:
    """``registration``'s place on its session's waiting list, from 1."""
    ahead = session.scalar(
        select(func.count(Registration.id)).where(
            Registration.session_id == registration.session_id,
            Registration.status == RegistrationStatus.WAITING,
            (Registration.requested_at < registration.requested_at)
            | (
                (Registration.requested_at == registration.requested_at)
                & (Registration.id < registration.id)
            ),
        )
    )
    return (ahead or 0) + 1
