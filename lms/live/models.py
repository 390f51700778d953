"""Live sessions' tables: sessions and their tags, registrations, attendance, calendar feeds."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import Base, str_enum, utcnow

SLUG_LENGTH = 64
"""A session's id and its tags: what certificate definitions name (``requires_sessions``)."""
TITLE_LENGTH = 200
URL_LENGTH = 500
PLACE_LENGTH = 300
ZONE_LENGTH = 64


class SessionLanguage(enum.StrEnum):
    FR = "fr"
    EN = "en"
    BILINGUAL = "bilingual"


class RegistrationStatus(enum.StrEnum):
    REGISTERED = "registered"
    """Holds a seat."""
    WAITING = "waiting"
    """On the waiting list, in the order of ``requested_at``: the first moves up when a
    seat frees."""
    CANCELLED = "cancelled"
    """Cancelled by the learner (or their account deleted); a new request reuses the row."""


class AttendanceSource(enum.StrEnum):
    TICKED = "ticked"
    ZOOM = "zoom"
    TEAMS = "teams"


class LiveSession(Base):
    """A webinar, workshop or a program's live activity, scheduled by staff."""

    __tablename__ = "live_sessions"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("capacity >= 1", name="capacity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(SLUG_LENGTH), unique=True)
    """The session's stable id, in its address and in certificate definitions; never changes."""
    title_fr: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    title_en: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    description_fr: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    time_zone: Mapped[str] = mapped_column(String(ZONE_LENGTH), default="America/Montreal")
    """Where its times are shown (an IANA name); they are stored in UTC."""
    language: Mapped[SessionLanguage] = mapped_column(str_enum(SessionLanguage))
    capacity: Mapped[int]
    video_url: Mapped[str | None] = mapped_column(String(URL_LENGTH))
    """The video call's link, shown to registrants only."""
    place: Mapped[str | None] = mapped_column(String(PLACE_LENGTH))
    course_id: Mapped[str | None] = mapped_column(String(64))
    certificate_id: Mapped[str | None] = mapped_column(String(64))
    """The program (certificate definition) it belongs to, if any."""
    recording_url: Mapped[str | None] = mapped_column(String(URL_LENGTH))
    captions_vtt: Mapped[str | None] = mapped_column(Text, deferred=True)
    """The recording's captions (WebVTT), shown to registrants with its link."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    cancelled_at: Mapped[datetime | None]
    sequence: Mapped[int] = mapped_column(default=0)
    """How often its time, place or state changed: calendars replace an older copy by it."""

    tags: Mapped[list[SessionTag]] = relationship(
        back_populates="session",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="SessionTag.tag",
    )

    def title(self, language: str) -> str:
        return self.title_en if language == "en" else self.title_fr

    def description(self, language: str) -> str:
        return self.description_en if language == "en" else self.description_fr

    @property
    def tag_names(self) -> tuple[str, ...]:
        return tuple(t.tag for t in self.tags)


class SessionTag(Base):
    """A label shared by sessions (``frq-webinar``), that certificates may require."""

    __tablename__ = "live_session_tags"

    session_id: Mapped[int] = mapped_column(
        ForeignKey("live_sessions.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(SLUG_LENGTH), primary_key=True, index=True)

    session: Mapped[LiveSession] = relationship(back_populates="tags")


class Registration(Base):
    """A learner's seat, or place on the waiting list, at one session: one row per learner
    and session, whatever they asked since (the unique pair settles two tabs at once)."""

    __tablename__ = "live_registrations"
    __table_args__ = (
        UniqueConstraint("session_id", "user_id"),
        Index("ix_live_registrations_session_status", "session_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[RegistrationStatus] = mapped_column(str_enum(RegistrationStatus))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    """When they last asked for a seat: the waiting list's order."""
    seated_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    day_reminder_at: Mapped[datetime | None]
    """When the reminder of the day before was queued: each is sent once."""
    hour_reminder_at: Mapped[datetime | None]


class Attendance(Base):
    """Whether a learner attended a session, as staff ticked it or a platform's report said."""

    __tablename__ = "live_attendance"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("live_sessions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    present: Mapped[bool]
    minutes: Mapped[int | None]
    """Minutes attended, from an imported report; None when ticked."""
    source: Mapped[AttendanceSource] = mapped_column(str_enum(AttendanceSource))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class CalendarFeed(Base):
    """A learner's personal calendar feed: its address carries a token made from ``nonce``
    (``lms.live.feeds``); a new nonce (or no row) makes every earlier address dead."""

    __tablename__ = "live_calendar_feeds"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    nonce: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_read_at: Mapped[datetime | None]
