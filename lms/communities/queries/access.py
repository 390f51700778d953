"""Who may read which community, and communities as lists show them: set-based, each in
one statement (reads of ``lms.communities.queries``)."""

from __future__ import annotations

import functools
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    bindparam,
    exists,
    func,
    literal,
    or_,
    select,
    true,
    union,
)
from sqlalchemy.orm import Session

from lms.accounts import queries as accounts
from lms.cohorts import queries as cohorts
from lms.communities.models import (
    Audience,
    Community,
    CommunityCohort,
    CommunityFollow,
    CommunityKind,
    Moderator,
    Thread,
)


@dataclass(frozen=True)
class Viewer:
    """Who reads: what every read of communities is filtered by."""

    user_id: int
    is_staff: bool

    @property
    def parameters(self) -> dict[str, int]:
        """The value of ``VIEWER_ID`` in the statements that name it."""
        return {VIEWER_ID.key: self.user_id}


VIEWER_ID = bindparam("viewer_id", type_=Integer)
"""The viewer, in the statements read on every page: they are built once per kind of viewer
(``functools.cache``), since building them per request cost more than SQLite running them
(bench/communities.py). Run them with ``viewer.parameters``."""


def open_to(viewer: Viewer) -> ColumnElement[bool]:
    """Whether a community is open to ``viewer`` (``VIEWER_ID``): staff see every one;
    members, the courses' discussions, those open to everyone, those of their cohorts and
    those they moderate."""
    return _open_to(viewer.is_staff)


@functools.cache
def _open_to(is_staff: bool) -> ColumnElement[bool]:
    if is_staff:
        return true()
    in_cohort = select(CommunityCohort.community_id).where(
        CommunityCohort.cohort_id.in_(cohorts.cohort_ids_of(VIEWER_ID))
    )
    moderated = select(Moderator.community_id).where(Moderator.user_id == VIEWER_ID)
    return or_(
        Community.kind == CommunityKind.COURSE,
        Community.audience == Audience.EVERYONE,
        Community.id.in_(in_cohort),
        Community.id.in_(moderated),
    )


def moderating(viewer: Viewer) -> ColumnElement[bool]:
    """Whether ``viewer`` (``VIEWER_ID``) moderates the community: staff moderate all."""
    if viewer.is_staff:
        return literal(True)
    return exists().where(Moderator.community_id == Community.id, Moderator.user_id == VIEWER_ID)


def following_community(viewer: Viewer) -> ColumnElement[bool]:
    return exists().where(
        CommunityFollow.community_id == Community.id, CommunityFollow.user_id == VIEWER_ID
    )


@dataclass(frozen=True)
class Place:
    """A community as one viewer stands in it."""

    community: Community
    moderates: bool
    following: bool


@functools.cache
def _place_statement(is_staff: bool, by_course: bool) -> Select[Community, bool, bool]:
    viewer = Viewer(0, is_staff)
    found = (
        Community.course_id == bindparam("key", type_=String)
        if by_course
        else Community.id == bindparam("key", type_=Integer)
    )
    return select(Community, moderating(viewer), following_community(viewer)).where(
        found, open_to(viewer)
    )


def _place(session: Session, viewer: Viewer, key: int | str, by_course: bool) -> Place | None:
    statement = _place_statement(viewer.is_staff, by_course)
    row = session.execute(statement, {"key": key, **viewer.parameters}).first()
    return None if row is None else Place(row[0], bool(row[1]), bool(row[2]))


def community_place(session: Session, viewer: Viewer, community_id: int) -> Place | None:
    """The community ``community_id`` if it is open to ``viewer``."""
    return _place(session, viewer, community_id, by_course=False)


def course_place(session: Session, viewer: Viewer, course_id: str) -> Place | None:
    """The discussion of ``course_id``, once its first question made it."""
    return _place(session, viewer, course_id, by_course=True)


def course_community(session: Session, course_id: str) -> Community | None:
    return session.scalar(select(Community).where(Community.course_id == course_id))


def course_communities(session: Session) -> dict[str, Community]:
    """Every course's discussion made so far, by course id: one statement (staff's list)."""
    found = session.scalars(select(Community).where(Community.kind == CommunityKind.COURSE))
    return {community.course_id: community for community in found if community.course_id}


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
        select(Community, counts.c.threads, counts.c.last_post_at, following_community(viewer))
        .outerjoin(counts, counts.c.community_id == Community.id)
        .where(
            open_to(viewer),
            or_(Community.kind == CommunityKind.SPACE, counts.c.threads.is_not(None)),
        )
        .order_by(Community.kind.desc(), Community.id),
        viewer.parameters,
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
