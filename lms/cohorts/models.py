"""Cohorts' tables: cohorts and their rosters, and the reminders sent to members."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import Base, utcnow

if TYPE_CHECKING:
    from lms.accounts.models import User


class Cohort(Base):
    """A group followed together (e.g. FRQ fellows 2026), towards one certificate."""

    __tablename__ = "cohorts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    certificate_id: Mapped[str | None] = mapped_column(String(64))
    """The certificate definition the cohort works towards."""
    due_date: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    archived_at: Mapped[datetime | None]
    """Set when staff archive it: off the default list and reminders, kept in reports."""

    memberships: Mapped[list[CohortMembership]] = relationship(
        back_populates="cohort", cascade="all, delete-orphan", passive_deletes=True
    )


class CohortMembership(Base):
    """One roster line; ``user`` is set once someone with that email has an account."""

    __tablename__ = "cohort_memberships"
    __table_args__ = (UniqueConstraint("cohort_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    sector: Mapped[str | None] = mapped_column(String(100))
    fellowship_number: Mapped[str | None] = mapped_column(String(64))
    notes: Mapped[str | None] = mapped_column(Text)
    due_date: Mapped[date | None]
    """This member's own due date (an extension staff gave), over the cohort's."""
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    invited_at: Mapped[datetime | None]
    """When this line's invitation was handed to the mail server; None while one is owed
    (the account has no password yet): a later import of the roster invites them again."""

    cohort: Mapped[Cohort] = relationship(back_populates="memberships")

    @property
    def name(self) -> str:
        """The member's name as the roster gives it."""
        return f"{self.first_name or ''} {self.last_name or ''}".strip()

    user: Mapped[User | None] = relationship()


class Reminder(Base):
    """A reminder mailed to a cohort member, so that nobody gets two within the interval."""

    __tablename__ = "reminders"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    email: Mapped[str] = mapped_column(String(254), index=True)
    """The address it went to: the interval holds by address, across cohorts."""
    sent_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    """The staff member who sent it; None for the scheduled command."""


class RosterImport(Base):
    """A roster import run as a job: its file until it is done, then its progress and outcome,
    read by the progress page from any server."""

    __tablename__ = "roster_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    cohort_id: Mapped[int] = mapped_column(ForeignKey("cohorts.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    filename: Mapped[str] = mapped_column(String(255))
    data: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    """The file's lines, checked, as JSON (``lms.cohorts.roster.rows_to_json``); emptied once
    the import is done or failed (they hold names and addresses)."""
    status: Mapped[str] = mapped_column(String(16), default="queued")
    """An ``lms.cohorts.imports.ImportStatus``."""
    rows_checked: Mapped[int] = mapped_column(default=0)
    rows_written: Mapped[int] = mapped_column(default=0)
    invitations_queued: Mapped[int] = mapped_column(default=0)
    """Invitations queued in the outbox, in the transaction that wrote the lines."""
    summary: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """Once written: added, updated, linked, invited (as the audit trail's event says)."""
    problems: Mapped[list[Any]] = mapped_column(default=list)
    """A refused file's problems, as [line, kind, column, value] lists."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
