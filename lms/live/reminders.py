"""The reminders the day and the hour before a session, queued in the outbox by a chore
(``lms worker`` runs it every few minutes), each sent once to each registrant."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from lms import jobs
from lms.accounts import queries as account_queries
from lms.db import get_session, rows_changed, utcnow
from lms.live import mails
from lms.live.models import LiveSession, Registration, RegistrationStatus
from lms.outbox import services as outbox

CHORE = "live.remind"
EVERY_MINUTES = 5
DAY_BEFORE = timedelta(hours=24)
HOUR_BEFORE = timedelta(hours=1)


def _due(
    session: Session, now: datetime, ahead: timedelta, sent: object
) -> list[tuple[Registration, LiveSession]]:
    """Seats at sessions starting within ``ahead`` whose reminder (column ``sent``) has not
    gone, held since before that window opened: someone seated later just had their mail."""
    rows = session.execute(
        select(Registration, LiveSession)
        .join(LiveSession, LiveSession.id == Registration.session_id)
        .where(
            LiveSession.cancelled_at.is_(None),
            LiveSession.starts_at > now,
            LiveSession.starts_at <= now + ahead,
            Registration.status == RegistrationStatus.REGISTERED,
            sent.is_(None),  # type: ignore[attr-defined]
        )
        .order_by(LiveSession.starts_at, Registration.id)
    )
    # In Python, not SQL: date arithmetic is each engine's own; the rows are a day's seats.
    return [
        (registration, live)
        for registration, live in rows
        if registration.seated_at is not None and registration.seated_at <= live.starts_at - ahead
    ]


def _claim(session: Session, registration: Registration, column: str, now: datetime) -> bool:
    """Mark ``registration``'s reminder as sent, unless another run did first."""
    sent = getattr(Registration, column)
    return bool(
        rows_changed(
            session,
            update(Registration)
            .where(Registration.id == registration.id, sent.is_(None))
            .values({column: now})
            .execution_options(synchronize_session=False),
        )
    )


def send_due_reminders(session: Session, now: datetime) -> int:
    """Queue every reminder due at ``now``; how many. The hour's reminder stands for the
    day's when both are due (the chore stopped for a day): nobody gets two at once."""
    queued = []
    for registration, live in _due(session, now, HOUR_BEFORE, Registration.hour_reminder_at):
        if _claim(session, registration, "hour_reminder_at", now):
            _claim(session, registration, "day_reminder_at", now)
            queued.append((registration.user_id, live, 1))
    for registration, live in _due(session, now, DAY_BEFORE, Registration.day_reminder_at):
        if live.starts_at - now > HOUR_BEFORE and _claim(
            session, registration, "day_reminder_at", now
        ):
            queued.append((registration.user_id, live, 24))
    people = account_queries.users_by_id(session, {user_id for user_id, _live, _h in queued})
    outbox.enqueue(
        session,
        [
            mails.reminder_mail(people[user_id], live, hours=hours)
            for user_id, live, hours in queued
            if user_id in people and people[user_id].deleted_at is None
        ],
    )
    return len(queued)


def _chore() -> None:
    session = get_session()
    send_due_reminders(session, utcnow())
    session.commit()


def init_app(app: Flask) -> None:
    jobs.register_chore(app, CHORE, _chore, every_minutes=EVERY_MINUTES)
