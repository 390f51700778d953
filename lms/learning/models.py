"""Learning's tables: who started which course and which outline items they completed."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import COURSE_ID_LENGTH, STEM_LENGTH, VERSION_LENGTH, Base, utcnow

if TYPE_CHECKING:
    from lms.accounts.models import User


class Enrolment(Base):
    """A learner's place in one course, by the course's stable id."""

    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_id: Mapped[str] = mapped_column(String(COURSE_ID_LENGTH))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]
    completed_version: Mapped[str | None] = mapped_column(String(VERSION_LENGTH))
    """The course's content version when it was completed."""
    last_item: Mapped[str | None] = mapped_column(String(STEM_LENGTH))
    """The outline key (``welcome``, ``final.quiz``) last opened, to resume there."""

    user: Mapped[User] = relationship()


class ItemCompletion(Base):
    """One outline item done by one learner: a lesson marked complete or a quiz passed.

    Progress lives here for every kind of item, so learning can tell a course complete
    without knowing how a quiz is graded (quizzes record their passes here).
    """

    __tablename__ = "item_completions"
    __table_args__ = (UniqueConstraint("user_id", "course_id", "item"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    course_id: Mapped[str] = mapped_column(String(COURSE_ID_LENGTH))
    item: Mapped[str] = mapped_column(String(STEM_LENGTH))
    """The outline key: a lesson's stem (``welcome``) or a quiz's (``final.quiz``)."""
    content_version: Mapped[str] = mapped_column(String(VERSION_LENGTH))
    completed_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()
