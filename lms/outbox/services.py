"""Queuing mails in the caller's transaction, and staff's "retry now"; nothing here commits."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.db import utcnow
from lms.mail import Mail
from lms.outbox.models import QueuedMail

QUEUED_KEY = "lms.outbox.queued"
"""``session.info`` key: ids of the mails queued in the session's transaction."""


def enqueue(session: Session, mails: Mail | Iterable[Mail]) -> list[int]:
    """Write ``mails`` to the outbox in ``session``'s transaction; their ids.

    They leave once that transaction commits (see ``lms.outbox.delivery``): with it, or not
    at all if it rolls back. A crash after the commit loses none: the next drain sends them.
    """
    batch = [mails] if isinstance(mails, Mail) else list(mails)
    rows = [
        QueuedMail(
            recipient=mail.to,
            language=mail.language,
            subject=mail.subject,
            text=mail.text,
            html=mail.html,
            headers=[list(pair) for pair in mail.headers] or None,
        )
        for mail in batch
    ]
    if not rows:
        return []
    session.add_all(rows)
    session.flush()  # the ids, for sending these right after the commit
    ids = [row.id for row in rows]
    queued_in(session).extend(ids)
    return ids


def queued_in(session: Session) -> list[int]:
    """The ids queued in ``session``'s current transaction (still to commit)."""
    queued: list[int] = session.info.setdefault(QUEUED_KEY, [])
    return queued


class MailNotRetriable(LookupError):
    """The mail is gone, or was sent: there is nothing to retry."""


def retry_now(session: Session, mail_id: int, now: datetime | None = None) -> QueuedMail:
    """Make an unsent mail (waiting or failed) due at once, for one more try after commit.

    A failed mail gets one try: if it fails again it is failed again, not retried for hours.
    """
    mail = session.scalar(
        select(QueuedMail).where(QueuedMail.id == mail_id, QueuedMail.sent_at.is_(None))
    )
    if mail is None:
        raise MailNotRetriable(mail_id)
    mail.failed_at = None
    mail.claimed_at = None
    mail.next_attempt_at = now or utcnow()
    session.flush()
    queued_in(session).append(mail.id)
    return mail
