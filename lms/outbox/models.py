"""The outbox's table: one row per mail, from its queuing to its acceptance by SMTP."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import Base, utcnow

ADDRESS_LENGTH = 320
ERROR_LENGTH = 500


def _token() -> str:
    return secrets.token_hex(8)


class QueuedMail(Base):
    """A mail, rendered in its recipient's language, and how its sending went.

    Waiting: none of ``claimed_at``, ``sent_at``, ``failed_at``. Being sent: ``claimed_at``
    only. Sent: ``sent_at``. Failed (no more automatic tries): ``failed_at``.
    """

    __tablename__ = "outbox_mails"
    __table_args__ = (
        # What a drain looks for: mails neither sent nor failed, by when they are due.
        Index("ix_outbox_mails_due", "sent_at", "failed_at", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(ADDRESS_LENGTH), index=True)
    language: Mapped[str | None] = mapped_column(String(8))
    subject: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    html: Mapped[str | None] = mapped_column(Text)
    headers: Mapped[list[list[str]] | None] = mapped_column(JSON)
    """More header fields, as ``[name, value]`` pairs (``lms.mail.Mail.headers``)."""
    token: Mapped[str] = mapped_column(String(16), default=_token)
    """Makes the Message-ID, the same on every try, so that receivers can spot a repeat."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(ERROR_LENGTH))
    """What the server or the network said, never the mail's body."""
