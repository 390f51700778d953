"""Cohorts' tables: cohorts and their rosters, and the reminders sent to members."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
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
