"""Reads of the outbox: what staff see of unsent mail."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.outbox.models import QueuedMail


@dataclass(frozen=True)
class UnsentMail:
    """One mail not (yet) accepted by the SMTP server, as the admin page lists it."""

    id: int
    recipient: str
    subject: str
    created_at: datetime
    attempts: int
    next_attempt_at: datetime
    claimed_at: datetime | None
    failed_at: datetime | None
    last_error: str | None


def unsent_mails(session: Session, limit: int = 200) -> list[UnsentMail]:
    """The mails neither sent nor (for failed ones) given up on by staff, failed first."""
    rows = session.execute(
        select(
            QueuedMail.id,
            QueuedMail.recipient,
            QueuedMail.subject,
            QueuedMail.created_at,
            QueuedMail.attempts,
            QueuedMail.next_attempt_at,
            QueuedMail.claimed_at,
            QueuedMail.failed_at,
            QueuedMail.last_error,
        )
        .where(QueuedMail.sent_at.is_(None))
        .order_by(QueuedMail.failed_at.is_(None), QueuedMail.id)
        .limit(limit)
    )
    return [UnsentMail(*row) for row in rows]


def count_unsent(session: Session) -> int:
    found = session.scalar(
        select(func.count()).select_from(QueuedMail).where(QueuedMail.sent_at.is_(None))
    )
    return int(found or 0)


def count_sent(session: Session, ids: list[int]) -> int:
    """How many of the mails ``ids`` the SMTP server has accepted (or the log received)."""
    if not ids:
        return 0
    found = session.scalar(
        select(func.count())
        .select_from(QueuedMail)
        .where(QueuedMail.id.in_(ids), QueuedMail.sent_at.is_not(None))
    )
    return int(found or 0)
