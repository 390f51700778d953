"""What is new for a member: the header's unread count, who to mail about a post, what a
digest tells, and what members reported (reads of ``lms.communities.queries``)."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    ScalarSelect,
    Select,
    and_,
    exists,
    func,
    or_,
    select,
    union,
)
from sqlalchemy.orm import Session, aliased

from lms.communities.models import (
    Community,
    CommunityFollow,
    MailMode,
    MemberProfile,
    Post,
    PostReport,
    Thread,
    ThreadFollow,
    ThreadRead,
)
from lms.communities.queries.access import VIEWER_ID, Viewer, open_to

UNREAD_CAP = 100
"""The header counts unread threads up to here ("99+" beyond): a member who follows a busy
community costs the same as one who follows a quiet one."""


def shown_post() -> tuple[ColumnElement[bool], ...]:
    """A post everyone who may read its thread sees: not hidden nor erased, nor its thread."""
    return (
        Post.hidden_at.is_(None),
        Post.erased_at.is_(None),
        # Correlated on the post, so that a statement about one post reads its own thread,
        # not every thread's id; never on the thread, which the statement may join too.
        exists()
        .where(Thread.id == Post.thread_id, Thread.hidden_at.is_(None))
        .correlate_except(Thread),
    )


def unread_count(session: Session, viewer: Viewer, cap: int = UNREAD_CAP) -> int:
    """Threads with posts ``viewer`` has not read (up to ``cap``), among those of the
    communities they follow (posts since they began to follow one) and the threads they
    follow: one statement, each half read from the member's follows and stopping at
    ``cap``, however many threads the communities hold."""
    found = session.scalar(_unread_statement(viewer.is_staff, cap), viewer.parameters)
    return min(found or 0, cap)


@functools.cache
def _unread_statement(is_staff: bool, cap: int) -> Select[int]:
    read = aliased(ThreadRead)
    community_news = and_(
        CommunityFollow.community_id == Thread.community_id,
        CommunityFollow.user_id == VIEWER_ID,
        Thread.last_post_id > CommunityFollow.from_post_id,
    )
    unread = [
        Thread.last_post_id > func.coalesce(read.last_read_post_id, 0),
        or_(Thread.hidden_at.is_(None), Thread.author_id == VIEWER_ID),
        Thread.community_id.in_(select(Community.id).where(open_to(Viewer(0, is_staff)))),
    ]

    def capped(query: Select[int]) -> ScalarSelect[int]:
        found = (
            query.outerjoin(read, and_(read.thread_id == Thread.id, read.user_id == VIEWER_ID))
            .where(*unread)
            .limit(cap)
            .subquery()
        )
        return select(func.count()).select_from(found).scalar_subquery()

    in_communities = capped(select(Thread.id).join(CommunityFollow, community_news))
    # Followed threads that the half above does not count already.
    in_threads = capped(
        select(Thread.id)
        .join(ThreadFollow, ThreadFollow.thread_id == Thread.id)
        .where(ThreadFollow.user_id == VIEWER_ID, ~exists().where(community_news))
    )
    return select(in_communities + in_threads)


def followers_to_mail(session: Session, thread: Thread, post_id: int) -> list[int]:
    """Who follows the thread, or its community since before ``post_id``, and wants each
    post by mail at once (as members do until they choose otherwise)."""
    of_thread = select(ThreadFollow.user_id).where(ThreadFollow.thread_id == thread.id)
    of_community = select(CommunityFollow.user_id).where(
        CommunityFollow.community_id == thread.community_id,
        CommunityFollow.from_post_id < post_id,
    )
    wanted = union(of_thread, of_community).subquery()
    return list(
        session.scalars(
            select(wanted.c.user_id)
            .outerjoin(MemberProfile, MemberProfile.user_id == wanted.c.user_id)
            .where(
                or_(
                    MemberProfile.user_id.is_(None),
                    MemberProfile.mail_mode == MailMode.IMMEDIATE,
                )
            )
            .order_by(wanted.c.user_id)
        )
    )


def follows_since(
    session: Session, thread: Thread, user_ids: list[int]
) -> tuple[dict[int, datetime], dict[int, datetime]]:
    """When each of ``user_ids`` began to follow the thread, and its community (those who
    do): what their mails' unsubscribe links are bound to."""
    of_thread = session.execute(
        select(ThreadFollow.user_id, ThreadFollow.created_at).where(
            ThreadFollow.thread_id == thread.id, ThreadFollow.user_id.in_(user_ids)
        )
    )
    of_community = session.execute(
        select(CommunityFollow.user_id, CommunityFollow.created_at).where(
            CommunityFollow.community_id == thread.community_id,
            CommunityFollow.user_id.in_(user_ids),
        )
    )
    return dict(of_thread.all()), dict(of_community.all())


def digest_owed(before: datetime) -> ColumnElement[bool]:
    """A member's profile owes a digest: they chose it and got none since ``before`` (the
    day's digest hour)."""
    return and_(
        MemberProfile.mail_mode == MailMode.DIGEST,
        or_(MemberProfile.last_digest_at.is_(None), MemberProfile.last_digest_at < before),
    )


def digests_due(session: Session, before: datetime) -> list[MemberProfile]:
    """The members owed a digest (``digest_owed``)."""
    return list(
        session.scalars(
            select(MemberProfile).where(digest_owed(before)).order_by(MemberProfile.user_id)
        )
    )


@dataclass(frozen=True)
class NewPost:
    """A post a digest tells of."""

    id: int
    thread_id: int
    thread_title: str
    thread_language: str
    author_id: int | None
    body: str
    language: str
    created_at: datetime


def new_posts_for(
    session: Session, viewer: Viewer, after_post_id: int, limit: int
) -> list[NewPost]:
    """Posts after ``after_post_id`` that ``viewer`` follows (their threads, or their
    communities since they began to follow), by others, not hidden: oldest first."""
    followed_thread = exists().where(
        ThreadFollow.thread_id == Thread.id, ThreadFollow.user_id == viewer.user_id
    )
    followed_community = exists().where(
        CommunityFollow.community_id == Thread.community_id,
        CommunityFollow.user_id == viewer.user_id,
        CommunityFollow.from_post_id < Post.id,
    )
    rows = session.execute(
        select(
            Post.id, Post.thread_id, Thread.title, Thread.language, Post.author_id, Post.body,
            Post.language, Post.created_at,
        )
        .join(Thread, Thread.id == Post.thread_id)
        .where(
            Post.id > after_post_id,
            *shown_post(),
            or_(Post.author_id.is_(None), Post.author_id != viewer.user_id),
            or_(followed_thread, followed_community),
            Thread.community_id.in_(select(Community.id).where(open_to(viewer))),
        )
        .order_by(Post.id)
        .limit(limit),
        viewer.parameters,
    )  # fmt: skip
    return [NewPost(*row) for row in rows]


@dataclass(frozen=True)
class ReportedPost:
    """A post members reported that no moderator has dealt with yet."""

    post_id: int
    thread_id: int
    thread_title: str
    thread_language: str
    author_id: int | None
    html: str
    language: str
    reports: int
    reasons: tuple[str, ...]


def open_reports(session: Session, community_id: int) -> list[ReportedPost]:
    """The community's reported posts still shown and not dismissed, most reported first."""
    rows = session.execute(
        select(
            Post.id, Post.thread_id, Thread.title, Thread.language, Post.author_id, Post.html,
            Post.language, PostReport.reason,
        )
        .join(Thread, Thread.id == Post.thread_id)
        .join(PostReport, PostReport.post_id == Post.id)
        .where(
            Thread.community_id == community_id,
            Post.hidden_at.is_(None),
            PostReport.dismissed_at.is_(None),
        )
        .order_by(Post.id, PostReport.id)
    )  # fmt: skip
    grouped: dict[int, list[Any]] = {}
    for row in rows:
        grouped.setdefault(row[0], [row, []])[1].append(row[7])
    found = [
        ReportedPost(row[0], row[1], row[2], row[3], row[4], row[5], row[6], len(reasons),
                     tuple(r for r in reasons if r))
        for row, reasons in grouped.values()
    ]  # fmt: skip
    return sorted(found, key=lambda r: (-r.reports, r.post_id))


def open_report_count(session: Session, community_id: int) -> int:
    found = session.scalar(
        select(func.count(func.distinct(PostReport.post_id)))
        .join(Post, Post.id == PostReport.post_id)
        .join(Thread, Thread.id == Post.thread_id)
        .where(
            Thread.community_id == community_id,
            Post.hidden_at.is_(None),
            PostReport.dismissed_at.is_(None),
        )
    )
    return found or 0
