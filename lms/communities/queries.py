"""Reads of communities, each in one statement whatever their size: which communities are
open to a member, a community's page of threads, a thread's page of posts, unread counts,
moderators and reports; who to mail about a new post."""

from __future__ import annotations

from collections.abc import Collection
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
    literal,
    or_,
    select,
    true,
    union,
)
from sqlalchemy.orm import Session, aliased

from lms.accounts import queries as accounts
from lms.cohorts import queries as cohorts
from lms.communities.models import (
    Audience,
    Community,
    CommunityCohort,
    CommunityFollow,
    CommunityKind,
    MailMode,
    MemberProfile,
    Moderator,
    Post,
    PostReport,
    Thread,
    ThreadFollow,
    ThreadRead,
)


@dataclass(frozen=True)
class Viewer:
    """Who reads: what every read of communities is filtered by."""

    user_id: int
    is_staff: bool


def open_to(viewer: Viewer) -> ColumnElement[bool]:
    """Whether a community is open to ``viewer``: staff see every one; members, the courses'
    discussions, those open to everyone, those of their cohorts and those they moderate."""
    if viewer.is_staff:
        return true()
    in_cohort = select(CommunityCohort.community_id).where(
        CommunityCohort.cohort_id.in_(cohorts.cohort_ids_of(viewer.user_id))
    )
    moderated = select(Moderator.community_id).where(Moderator.user_id == viewer.user_id)
    return or_(
        Community.kind == CommunityKind.COURSE,
        Community.audience == Audience.EVERYONE,
        Community.id.in_(in_cohort),
        Community.id.in_(moderated),
    )


def _moderates(viewer: Viewer) -> ColumnElement[bool]:
    if viewer.is_staff:
        return literal(True)
    return exists().where(
        Moderator.community_id == Community.id, Moderator.user_id == viewer.user_id
    )


def _follows_community(viewer: Viewer) -> ColumnElement[bool]:
    return exists().where(
        CommunityFollow.community_id == Community.id, CommunityFollow.user_id == viewer.user_id
    )


@dataclass(frozen=True)
class Place:
    """A community as one viewer stands in it."""

    community: Community
    moderates: bool
    following: bool


def _place(session: Session, viewer: Viewer, condition: ColumnElement[bool]) -> Place | None:
    row = session.execute(
        select(Community, _moderates(viewer), _follows_community(viewer)).where(
            condition, open_to(viewer)
        )
    ).first()
    return None if row is None else Place(row[0], bool(row[1]), bool(row[2]))


def community_place(session: Session, viewer: Viewer, community_id: int) -> Place | None:
    """The community ``community_id`` if it is open to ``viewer``."""
    return _place(session, viewer, Community.id == community_id)


def course_place(session: Session, viewer: Viewer, course_id: str) -> Place | None:
    """The discussion of ``course_id``, once its first question made it."""
    return _place(session, viewer, Community.course_id == course_id)


def course_community(session: Session, course_id: str) -> Community | None:
    return session.scalar(select(Community).where(Community.course_id == course_id))


@dataclass(frozen=True)
class CommunitySummary:
    community: Community
    threads: int
    last_post_at: datetime | None
    following: bool


def communities_open_to(session: Session, viewer: Viewer) -> list[CommunitySummary]:
    """Every community open to ``viewer`` (courses' discussions once they have a thread),
    with its number of threads, its latest post and whether the viewer follows it."""
    counts = (
        select(
            Thread.community_id,
            func.count(Thread.id).label("threads"),
            func.max(Thread.last_post_at).label("last_post_at"),
        )
        .where(Thread.hidden_at.is_(None))
        .group_by(Thread.community_id)
        .subquery()
    )
    rows = session.execute(
        select(Community, counts.c.threads, counts.c.last_post_at, _follows_community(viewer))
        .outerjoin(counts, counts.c.community_id == Community.id)
        .where(
            open_to(viewer),
            or_(Community.kind == CommunityKind.SPACE, counts.c.threads.is_not(None)),
        )
        .order_by(Community.kind.desc(), Community.id)
    )
    return [CommunitySummary(c, threads or 0, last, bool(f)) for c, threads, last, f in rows]


def all_spaces(session: Session) -> list[tuple[Community, int]]:
    """Every space staff defined, with its number of threads, oldest first (staff's list)."""
    threads = (
        select(func.count(Thread.id)).where(Thread.community_id == Community.id).scalar_subquery()
    )
    rows = session.execute(
        select(Community, threads)
        .where(Community.kind == CommunityKind.SPACE)
        .order_by(Community.id)
    )
    return [(community, count) for community, count in rows]


def cohort_ids_of(session: Session, community_id: int) -> list[int]:
    """The cohorts a community is open to."""
    return list(
        session.scalars(
            select(CommunityCohort.cohort_id).where(CommunityCohort.community_id == community_id)
        )
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


def _visible_threads(viewer: Viewer, moderates: bool) -> ColumnElement[bool]:
    """Threads whose opening post is hidden show to their author and the moderators only."""
    if moderates:
        return true()
    return or_(Thread.hidden_at.is_(None), Thread.author_id == viewer.user_id)


def _thread_filter(
    viewer: Viewer, community_id: int, lesson: str | None, moderates: bool
) -> list[ColumnElement[bool]]:
    conditions = [Thread.community_id == community_id, _visible_threads(viewer, moderates)]
    if lesson is not None:
        conditions.append(Thread.lesson == lesson)
    return conditions


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
    last = aliased(Post)
    read = aliased(ThreadRead)
    rows = session.execute(
        select(
            Thread.id, Thread.title, Thread.lesson, Thread.language, Thread.author_id,
            Thread.created_at, last.author_id, Thread.last_post_at, Thread.post_count,
            Thread.pinned, Thread.locked_at.is_not(None), Thread.hidden_at.is_not(None),
            Thread.erased_at.is_not(None),
            Thread.last_post_id > func.coalesce(read.last_read_post_id, 0),
        )
        .outerjoin(last, last.id == Thread.last_post_id)
        .outerjoin(read, and_(read.thread_id == Thread.id, read.user_id == viewer.user_id))
        .where(*_thread_filter(viewer, community_id, lesson, moderates))
        .order_by(Thread.pinned.desc(), Thread.last_post_id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )  # fmt: skip
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
        select(func.count(Thread.id)).where(
            *_thread_filter(viewer, community_id, lesson, moderates)
        )
    )
    return found or 0


@dataclass(frozen=True)
class ThreadPlace:
    """A thread as one viewer stands in it."""

    thread: Thread
    place: Place
    following: bool
    last_read_post_id: int


def thread_place(session: Session, viewer: Viewer, thread_id: int) -> ThreadPlace | None:
    """The thread ``thread_id`` with its community, if that community is open to ``viewer``
    (a hidden thread too: the caller decides who sees it)."""
    follows = exists().where(
        ThreadFollow.thread_id == Thread.id, ThreadFollow.user_id == viewer.user_id
    )
    read = (
        select(ThreadRead.last_read_post_id)
        .where(ThreadRead.thread_id == Thread.id, ThreadRead.user_id == viewer.user_id)
        .scalar_subquery()
    )
    row = session.execute(
        select(Thread, Community, _moderates(viewer), _follows_community(viewer), follows, read)
        .join(Community, Community.id == Thread.community_id)
        .where(Thread.id == thread_id, open_to(viewer))
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


def post_rows(
    session: Session, viewer: Viewer, thread_id: int, *, page: int, per_page: int
) -> list[PostRow]:
    """A page of the thread's posts, oldest first, each saying whether ``viewer`` reported it."""
    reported = exists().where(
        PostReport.post_id == Post.id, PostReport.reporter_id == viewer.user_id
    )
    rows = session.execute(
        select(
            Post.id, Post.author_id, Post.body, Post.html, Post.language, Post.created_at,
            Post.edited_at, Post.hidden_at, Post.hidden_reason, Post.erased_at.is_not(None),
            reported,
        )
        .where(Post.thread_id == thread_id)
        .order_by(Post.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
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


def authors(session: Session, user_ids: Collection[int | None]) -> dict[int, Author]:
    """The writers of ``user_ids``, as posts show them: two queries however many."""
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    names = dict(
        session.execute(
            select(MemberProfile.user_id, MemberProfile.display_name).where(
                MemberProfile.user_id.in_(ids)
            )
        ).all()
    )
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


UNREAD_CAP = 100
"""The header counts unread threads up to here ("99+" beyond): a member who follows a busy
community costs the same as one who follows a quiet one."""


def unread_count(session: Session, viewer: Viewer, cap: int = UNREAD_CAP) -> int:
    """Threads with posts ``viewer`` has not read (up to ``cap``), among those of the
    communities they follow (posts since they began to follow one) and the threads they
    follow: one statement, each half read from the member's follows and stopping at
    ``cap``, however many threads the communities hold."""
    read = aliased(ThreadRead)
    community_news = and_(
        CommunityFollow.community_id == Thread.community_id,
        CommunityFollow.user_id == viewer.user_id,
        Thread.last_post_id > CommunityFollow.from_post_id,
    )
    unread = [
        Thread.last_post_id > func.coalesce(read.last_read_post_id, 0),
        or_(Thread.hidden_at.is_(None), Thread.author_id == viewer.user_id),
        Thread.community_id.in_(select(Community.id).where(open_to(viewer))),
    ]

    def capped(query: Select[int]) -> ScalarSelect[int]:
        found = (
            query.outerjoin(read, and_(read.thread_id == Thread.id, read.user_id == viewer.user_id))
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
        .where(ThreadFollow.user_id == viewer.user_id, ~exists().where(community_news))
    )
    return min(session.scalar(select(in_communities + in_threads)) or 0, cap)


def latest_post_id(session: Session, community_id: int | None = None) -> int:
    """The latest post of the community (of all, without one): where a follow starts."""
    query = select(func.max(Post.id))
    if community_id is not None:
        query = query.join(Thread, Thread.id == Post.thread_id).where(
            Thread.community_id == community_id
        )
    return session.scalar(query) or 0


def readers_of(session: Session, community: Community, candidates: Collection[int]) -> set[int]:
    """Those of ``candidates`` (members who are not staff) the community is open to: its
    cohorts' members and its moderators, a query per 500."""
    if community.kind is CommunityKind.COURSE or community.audience is Audience.EVERYONE:
        return set(candidates)
    cohort_ids = select(CommunityCohort.cohort_id).where(
        CommunityCohort.community_id == community.id
    )
    members = cohorts.member_ids_of(cohort_ids).subquery()
    found: set[int] = set()
    ids = sorted(candidates)
    for start in range(0, len(ids), accounts.LOOKUP_CHUNK):
        chunk = ids[start : start + accounts.LOOKUP_CHUNK]
        in_cohort = select(members.c.user_id).where(members.c.user_id.in_(chunk))
        moderating = select(Moderator.user_id).where(
            Moderator.community_id == community.id, Moderator.user_id.in_(chunk)
        )
        found.update(i for i in session.scalars(union(in_cohort, moderating)) if i is not None)
    return found


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


def digests_due(session: Session, before: datetime) -> list[MemberProfile]:
    """The members who chose a daily digest and got none since ``before``."""
    return list(
        session.scalars(
            select(MemberProfile)
            .where(
                MemberProfile.mail_mode == MailMode.DIGEST,
                or_(MemberProfile.last_digest_at.is_(None), MemberProfile.last_digest_at <= before),
            )
            .order_by(MemberProfile.user_id)
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
            Post.hidden_at.is_(None),
            Post.erased_at.is_(None),
            Thread.hidden_at.is_(None),
            or_(Post.author_id.is_(None), Post.author_id != viewer.user_id),
            or_(followed_thread, followed_community),
            Thread.community_id.in_(select(Community.id).where(open_to(viewer))),
        )
        .order_by(Post.id)
        .limit(limit)
    )  # fmt: skip
    return [NewPost(*row) for row in rows]


@dataclass(frozen=True)
class ReportedPost:
    """A post members reported that no moderator has dealt with yet."""

    post_id: int
    thread_id: int
    thread_title: str
    author_id: int | None
    html: str
    language: str
    reports: int
    reasons: tuple[str, ...]


def open_reports(session: Session, community_id: int) -> list[ReportedPost]:
    """The community's reported posts still shown and not dismissed, most reported first."""
    rows = session.execute(
        select(
            Post.id, Post.thread_id, Thread.title, Post.author_id, Post.html, Post.language,
            PostReport.reason,
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
        grouped.setdefault(row[0], [row, []])[1].append(row[6])
    found = [
        ReportedPost(row[0], row[1], row[2], row[3], row[4], row[5], len(reasons),
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
