"""The outbox's part of privacy: the mails to a person, listed in their export, erased with them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from lms.db import rows_changed
from lms.outbox.models import QueuedMail


def learner_data(session: Session, email: str) -> list[dict[str, Any]]:
    """The mails to ``email`` still in the outbox: subject and dates, not the bodies, whose
    links (a reset, an invitation) must not live on in a downloaded file."""
    rows = session.scalars(
        select(QueuedMail).where(QueuedMail.recipient == email).order_by(QueuedMail.id)
    )
    return [
        {
            "subject": row.subject,
            "queued_at": row.created_at.isoformat(),
            "sent_at": row.sent_at.isoformat() if row.sent_at else None,
            "failed_at": row.failed_at.isoformat() if row.failed_at else None,
        }
        for row in rows
    ]


def erase_recipient(session: Session, email: str) -> int:
    """Delete every mail to ``email``, sent or not: a deleted account is mailed nothing more,
    and sent mails keep no copy of its name or links. How many were deleted."""
    erased = delete(QueuedMail).where(QueuedMail.recipient == email)
    return rows_changed(session, erased.execution_options(synchronize_session=False))
