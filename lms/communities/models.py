"""Communities' tables: communities and who they are open to, threads and their posts, what
members follow, read and report, and each member's name and mail settings."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import COURSE_ID_LENGTH, STEM_LENGTH, Base, str_enum, utcnow

NAME_LENGTH = 120
TITLE_LENGTH = 200
DISPLAY_NAME_LENGTH = 60
REASON_LENGTH = 500
BODY_LENGTH = 20_000
"""Characters of a post's Markdown: a few pages; a longer text belongs in a document."""


class CommunityKind(enum.StrEnum):
    SPACE = "space"
    """Defined by staff, with its own name and audience."""
    COURSE = "course"
    """A course's own discussion, made when its first question is asked."""


class Audience(enum.StrEnum):
    EVERYONE = "everyone"
    """Every signed-in person."""
    COHORTS = "cohorts"
    """The members of the cohorts listed (``CommunityCohort``), its moderators and staff."""


class MailMode(enum.StrEnum):
    IMMEDIATE = "immediate"
    DIGEST = "digest"
    OFF = "off"


class Community(Base):
    """A place of discussion: a space staff define, or a course's own discussion."""

    __tablename__ = "communities"
    __table_args__ = (
        CheckConstraint(
            "(kind = 'course' AND course_id IS NOT NULL) OR (kind = 'space' AND course_id IS NULL)",
            name="course_id_if_course",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[CommunityKind] = mapped_column(str_enum(CommunityKind))
    course_id: Mapped[str | None] = mapped_column(String(COURSE_ID_LENGTH), unique=True)
    """The course of a course's discussion; its name comes from the catalogue."""
    name_fr: Mapped[str] = mapped_column(String(NAME_LENGTH), default="")
    name_en: Mapped[str] = mapped_column(String(NAME_LENGTH), default="")
    description_fr: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    audience: Mapped[Audience] = mapped_column(str_enum(Audience), default=Audience.EVERYONE)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CommunityCohort(Base):
    """A cohort whose members a community (``Audience.COHORTS``) is open to."""

    __tablename__ = "community_cohorts"

    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True
    )
    cohort_id: Mapped[int] = mapped_column(
        ForeignKey("cohorts.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Moderator(Base):
    """A person staff chose to moderate a community (staff moderate every one)."""

    __tablename__ = "community_moderators"

    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Thread(Base):
    """A question or a subject, opened by its first post; what lists show is kept here, so
    that a list reads one row per thread."""

    __tablename__ = "community_threads"
    __table_args__ = (
        # A community's list: pinned first, then by latest post, read from the index's end.
        Index("ix_community_threads_listing", "community_id", "pinned", "last_post_id"),
        Index("ix_community_threads_lesson", "community_id", "lesson"),
        # What is new in a followed community: its threads with a post since the follow.
        Index("ix_community_threads_latest", "community_id", "last_post_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    lesson: Mapped[str | None] = mapped_column(String(STEM_LENGTH))
    """In a course's discussion, the lesson asked about (its outline key); None: the course."""
    language: Mapped[str] = mapped_column(String(8))
    """The title's language: its opening post's."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_post_id: Mapped[int] = mapped_column(default=0)
    """The latest post that is not hidden: what "unread" compares with."""
    last_post_at: Mapped[datetime] = mapped_column(default=utcnow)
    post_count: Mapped[int] = mapped_column(default=0)
    """Every post, hidden ones too: each keeps its place in the pages."""
    pinned: Mapped[bool] = mapped_column(default=False)
    locked_at: Mapped[datetime | None]
    hidden_at: Mapped[datetime | None]
    """Set while its opening post is hidden: off the list, but for its author and moderators."""
    erased_at: Mapped[datetime | None]
    """Its author deleted their account and their posts: the title is gone."""


class Post(Base):
    """A thread's opening post or a reply, in Markdown, with its safe HTML."""

    __tablename__ = "community_posts"
    __table_args__ = (Index("ix_community_posts_thread", "thread_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_id: Mapped[int] = mapped_column(ForeignKey("community_threads.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    html: Mapped[str] = mapped_column(Text)
    """``lms.communities.rendering.render`` of ``body``, made as it is written."""
    language: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    hidden_at: Mapped[datetime | None]
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    hidden_reason: Mapped[str | None] = mapped_column(String(REASON_LENGTH))
    """Shown to the author (and moderators) while the post is hidden."""
    erased_at: Mapped[datetime | None]
    """Its author deleted their account and asked for their posts to go: the text is gone."""
    notified_at: Mapped[datetime | None] = mapped_column(index=True)
    """When followers' mails were queued (once): None while they are owed."""


class ThreadFollow(Base):
    __tablename__ = "community_thread_follows"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("community_threads.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CommunityFollow(Base):
    __tablename__ = "community_follows"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    from_post_id: Mapped[int] = mapped_column(default=0)
    """The latest post when the member began to follow: what came before is not news."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ThreadRead(Base):
    """How far a member has read a thread."""

    __tablename__ = "community_thread_reads"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    thread_id: Mapped[int] = mapped_column(
        ForeignKey("community_threads.id", ondelete="CASCADE"), primary_key=True
    )
    last_read_post_id: Mapped[int] = mapped_column(default=0)


class PostReport(Base):
    """A member telling the moderators about a post; once per person and post."""

    __tablename__ = "community_post_reports"
    __table_args__ = (UniqueConstraint("post_id", "reporter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("community_posts.id", ondelete="CASCADE"))
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(REASON_LENGTH), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    dismissed_at: Mapped[datetime | None]
    """A moderator read it and left the post as it is."""


class MemberProfile(Base):
    """A member's settings in communities; none: the defaults (a neutral name, mail at once)."""

    __tablename__ = "community_profiles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    display_name: Mapped[str | None] = mapped_column(String(DISPLAY_NAME_LENGTH))
    """The name shown on their posts; None: "Member <id>", never anything from their email."""
    mail_mode: Mapped[MailMode] = mapped_column(str_enum(MailMode), default=MailMode.IMMEDIATE)
    digest_after_post_id: Mapped[int] = mapped_column(default=0)
    """The latest post the last daily digest covered (or when the digest was chosen)."""
    last_digest_at: Mapped[datetime | None]
    mail_mode_at: Mapped[datetime | None]
    """When ``mail_mode`` last changed: the digest's unsubscribe links are bound to it."""
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
