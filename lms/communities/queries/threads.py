"""A community's page of threads and a thread's page of posts, each in one statement, and
the names their writers chose (reads of ``lms.communities.queries``)."""

from __future__ import annotations

import functools
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    and_,
    bindparam,
    exists,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Session, aliased

from lms.accounts import queries as accounts
from lms.communities.models import (
    Community,
    MemberProfile,
    Moderator,
    Post,
    PostReport,
    Thread,
    ThreadFollow,
    ThreadRead,
)
from lms.communities.queries.access import (
    VIEWER_ID,
    Place,
    Viewer,
    following_community,
    moderating,
    open_to,
)


@dataclass(frozen=True)
class ThreadRow:
    """One line of a community's list of threads."""

    id: int
    title: str
    lesson: str | None
    language: str
    author_id: int | None
    created_at: datetime
    last_author_id: int | None
    last_post_at: datetime
    replies: int
    pinned: bool
    locked: bool
    hidden: bool
    erased: bool
    unread: bool


COMMUNITY_ID = bindparam("community_id", type_=Integer)
LESSON = bindparam("lesson", type_=String)
LIMIT = bindparam("limit", type_=Integer)
OFFSET = bindparam("offset", type_=Integer)
THREAD_ID = bindparam("thread_id", type_=Integer)


def _thread_filter(moderates: bool, by_lesson: bool) -> list[ColumnElement[bool]]:
    """A community's threads (``COMMUNITY_ID``; of ``LESSON`` only, ``by_lesson``); those
    whose opening post is hidden show to their author and the moderators only."""
    conditions = [Thread.community_id == COMMUNITY_ID]
    if not moderates:
        conditions.append(or_(Thread.hidden_at.is_(None), Thread.author_id == VIEWER_ID))
    if by_lesson:
        conditions.append(Thread.lesson == LESSON)
    return conditions


def _listing(viewer: Viewer, community_id: int, lesson: str | None) -> dict[str, object]:
    return {"community_id": community_id, "lesson": lesson, **viewer.parameters}


@functools.cache
def _thread_rows_statement(moderates: bool, by_lesson: bool) -> Select[*tuple[Any, ...]]:
    last = aliased(Post)
    read = aliased(ThreadRead)
    return (
        select(
            Thread.id, Thread.title, Thread.lesson, Thread.language, Thread.author_id,
            Thread.created_at, last.author_id, Thread.last_post_at, Thread.post_count,
            Thread.pinned, Thread.locked_at.is_not(None), Thread.hidden_at.is_not(None),
            Thread.erased_at.is_not(None),
            Thread.last_post_id > func.coalesce(read.last_read_post_id, 0),
        )
        .outerjoin(last, last.id == Thread.last_post_id)
        .outerjoin(read, and_(read.thread_id == Thread.id, read.user_id == VIEWER_ID))
        .where(*_thread_filter(moderates, by_lesson))
        .order_by(Thread.pinned.desc(), Thread.last_post_id.desc())
        .limit(LIMIT)
        .offset(OFFSET)
    )  # fmt: skip


def thread_rows(
    session: Session,
    viewer: Viewer,
    community_id: int,
    *,
    lesson: str | None,
    moderates: bool,
    page: int,
    per_page: int,
) -> list[ThreadRow]:
    """A page of the community's threads (of ``lesson`` only, if given): pinned first, then
    by latest post, with each one's latest author and whether ``viewer`` read it all."""
    rows = session.execute(
        _thread_rows_statement(moderates, lesson is not None),
        {
            **_listing(viewer, community_id, lesson),
            "limit": per_page,
            "offset": (page - 1) * per_page,
        },
    )
    return [
        ThreadRow(
            id=r[0], title=r[1], lesson=r[2], language=r[3], author_id=r[4], created_at=r[5],
            last_author_id=r[6], last_post_at=r[7], replies=max(r[8] - 1, 0), pinned=r[9],
            locked=bool(r[10]), hidden=bool(r[11]), erased=bool(r[12]), unread=bool(r[13]),
        )
        for r in rows
    ]  # fmt: skip


def thread_count(
    session: Session, viewer: Viewer, community_id: int, *, lesson: str | None, moderates: bool
) -> int:
    found = session.scalar(
        _thread_count_statement(moderates, lesson is not None),
        _listing(viewer, community_id, lesson),
    )
    return found or 0


@functools.cache
def _thread_count_statement(moderates: bool, by_lesson: bool) -> Select[int]:
    return select(func.count(Thread.id)).where(*_thread_filter(moderates, by_lesson))


@dataclass(frozen=True)
class ThreadPlace:
    """A thread as one viewer stands in it."""

    thread: Thread
    place: Place
    following: bool
    last_read_post_id: int


@functools.cache
def _thread_place_statement(is_staff: bool) -> Select[Any]:
    viewer = Viewer(0, is_staff)
    follows = exists().where(ThreadFollow.thread_id == Thread.id, ThreadFollow.user_id == VIEWER_ID)
    read = (
        select(ThreadRead.last_read_post_id)
        .where(ThreadRead.thread_id == Thread.id, ThreadRead.user_id == VIEWER_ID)
        .scalar_subquery()
    )
    return (
        select(Thread, Community, moderating(viewer), following_community(viewer), follows, read)
        .join(Community, Community.id == Thread.community_id)
        .where(Thread.id == THREAD_ID, open_to(viewer))
    )


def thread_place(session: Session, viewer: Viewer, thread_id: int) -> ThreadPlace | None:
    """The thread ``thread_id`` with its community, if that community is open to ``viewer``
    (a hidden thread too: the caller decides who sees it)."""
    row = session.execute(
        _thread_place_statement(viewer.is_staff), {"thread_id": thread_id, **viewer.parameters}
    ).first()
    if row is None:
        return None
    thread, community, moderates, follows_community, following, last_read = row
    place = Place(community, bool(moderates), bool(follows_community))
    return ThreadPlace(thread, place, bool(following), last_read or 0)


@dataclass(frozen=True)
class PostRow:
    id: int
    author_id: int | None
    body: str
    html: str
    language: str
    created_at: datetime
    edited_at: datetime | None
    hidden_at: datetime | None
    hidden_reason: str | None
    erased: bool
    reported: bool
    """Reported by the viewer already."""


_POST_ROWS = (
    select(
        Post.id, Post.author_id, Post.body, Post.html, Post.language, Post.created_at,
        Post.edited_at, Post.hidden_at, Post.hidden_reason, Post.erased_at.is_not(None),
        exists().where(PostReport.post_id == Post.id, PostReport.reporter_id == VIEWER_ID),
    )
    .where(Post.thread_id == THREAD_ID)
    .order_by(Post.id)
    .limit(LIMIT)
    .offset(OFFSET)
)  # fmt: skip


def post_rows(
    session: Session, viewer: Viewer, thread_id: int, *, page: int, per_page: int
) -> list[PostRow]:
    """A page of the thread's posts, oldest first, each saying whether ``viewer`` reported it."""
    rows = session.execute(
        _POST_ROWS,
        {"thread_id": thread_id, "limit": per_page, "offset": (page - 1) * per_page,
         **viewer.parameters},
    )  # fmt: skip
    return [PostRow(*r[:9], erased=bool(r[9]), reported=bool(r[10])) for r in rows]


def posts_before(session: Session, thread_id: int, post_id: int) -> int:
    """How many posts of the thread come before ``post_id``: which page holds it."""
    found = session.scalar(
        select(func.count(Post.id)).where(Post.thread_id == thread_id, Post.id < post_id)
    )
    return found or 0


def find_post(session: Session, post_id: int) -> Post | None:
    return session.get(Post, post_id)


@dataclass(frozen=True)
class Author:
    """What a post shows of its writer."""

    display_name: str | None
    """The name they chose; None: the neutral default."""
    former: bool
    """Their account is deleted."""
    staff: bool


_DISPLAY_NAMES = select(MemberProfile.user_id, MemberProfile.display_name).where(
    MemberProfile.user_id.in_(bindparam("ids", expanding=True))
)


def authors(session: Session, user_ids: Collection[int | None]) -> dict[int, Author]:
    """The writers of ``user_ids``, as posts show them: two queries however many."""
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    names = dict(session.execute(_DISPLAY_NAMES, {"ids": sorted(ids)}).all())
    people = accounts.users_by_id(session, ids)
    return {
        user_id: Author(
            display_name=names.get(user_id),
            former=user.is_deleted,
            staff=user.is_staff and not user.is_deleted,
        )
        for user_id, user in people.items()
    }


def moderators_of(session: Session, community_id: int) -> list[tuple[int, str | None]]:
    """The people listed as the community's moderators, with the names they chose."""
    rows = session.execute(
        select(Moderator.user_id, MemberProfile.display_name)
        .outerjoin(MemberProfile, MemberProfile.user_id == Moderator.user_id)
        .where(Moderator.community_id == community_id)
        .order_by(Moderator.user_id)
    )
    return [(user_id, name) for user_id, name in rows]


def profile_of(session: Session, user_id: int) -> MemberProfile | None:
    return session.get(MemberProfile, user_id)


def latest_post_id(session: Session, community_id: int | None = None) -> int:
    """The latest post of the community (of all, without one): where a follow starts."""
    query = select(func.max(Post.id))
    if community_id is not None:
        query = query.join(Thread, Thread.id == Post.thread_id).where(
            Thread.community_id == community_id
        )
    return session.scalar(query) or 0
