"""Reads of live sessions, for their pages and for the features above (certificates count
attended sessions, cohorts show them per member): set-based, a few queries whatever the
number of sessions or people."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session, selectinload

from lms.accounts import queries as accounts
from lms.content import Problem, SessionRequirement
from lms.content.certificates import SessionReference
from lms.live.models import (
    Attendance,
    CalendarFeed,
    LiveSession,
    Registration,
    RegistrationStatus,
    SessionTag,
)

if TYPE_CHECKING:
    from lms.accounts.models import User

HOLDING_OR_AWAITING = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITING)


def session_by_slug(session: Session, slug: str) -> LiveSession | None:
    return session.scalar(select(LiveSession).where(LiveSession.slug == slug))


@dataclass(frozen=True)
class SessionSummary:
    """A session with its seats taken and its waiting list's length."""

    live: LiveSession
    taken: int
    waiting: int

    @property
    def seats_left(self) -> int:
        return max(0, self.live.capacity - self.taken)


def _counts(session: Session, session_ids: Collection[int]) -> dict[tuple[int, str], int]:
    if not session_ids:
        return {}
    rows = session.execute(
        select(Registration.session_id, Registration.status, func.count(Registration.id))
        .where(Registration.session_id.in_(session_ids))
        .group_by(Registration.session_id, Registration.status)
    )
    return {(session_id, str(status)): count for session_id, status, count in rows}


def summaries(session: Session, sessions: list[LiveSession]) -> list[SessionSummary]:
    counts = _counts(session, [s.id for s in sessions])
    return [
        SessionSummary(
            live,
            counts.get((live.id, RegistrationStatus.REGISTERED.value), 0),
            counts.get((live.id, RegistrationStatus.WAITING.value), 0),
        )
        for live in sessions
    ]


def _with_tags() -> Any:
    """Sessions with their tags, in one more query for all of them (lists show the tags)."""
    return select(LiveSession).options(selectinload(LiveSession.tags))


def upcoming(session: Session, now: datetime) -> list[LiveSession]:
    """Sessions not over nor cancelled, soonest first: what learners may register for."""
    return list(
        session.scalars(
            _with_tags()
            .where(LiveSession.ends_at > now, LiveSession.cancelled_at.is_(None))
            .order_by(LiveSession.starts_at, LiveSession.id)
        )
    )


def staff_list(session: Session, now: datetime, *, past: bool) -> list[LiveSession]:
    """Every upcoming session (cancelled ones too), soonest first; or the past, latest first."""
    if past:
        query = _with_tags().where(LiveSession.ends_at <= now)
        return list(session.scalars(query.order_by(LiveSession.starts_at.desc())))
    query = _with_tags().where(LiveSession.ends_at > now)
    return list(session.scalars(query.order_by(LiveSession.starts_at, LiveSession.id)))


def registrations_by_session(session: Session, user: User) -> dict[int, Registration]:
    """``user``'s registrations not cancelled, by session id."""
    rows = session.scalars(
        select(Registration).where(
            Registration.user_id == user.id, Registration.status.in_(HOLDING_OR_AWAITING)
        )
    )
    return {r.session_id: r for r in rows}


def sessions_of(session: Session, user: User, *, since: datetime) -> list[LiveSession]:
    """The sessions ``user`` holds a seat at that end after ``since`` (cancelled ones too,
    so that a calendar learns they are), soonest first."""
    return list(
        session.scalars(
            select(LiveSession)
            .join(Registration, Registration.session_id == LiveSession.id)
            .where(
                Registration.user_id == user.id,
                Registration.status == RegistrationStatus.REGISTERED,
                LiveSession.ends_at > since,
            )
            .order_by(LiveSession.starts_at, LiveSession.id)
        )
    )


def people_holding_or_awaiting_a_seat(session: Session, live: LiveSession) -> list[User]:
    """Everyone registered or waiting at ``live``, by id."""
    ids = session.scalars(
        select(Registration.user_id).where(
            Registration.session_id == live.id, Registration.status.in_(HOLDING_OR_AWAITING)
        )
    )
    people = accounts.users_by_id(session, set(ids))
    return [people[i] for i in sorted(people) if people[i].deleted_at is None]


@dataclass(frozen=True)
class RosterLine:
    """One person on a session's staff page: their registration, their attendance, or both."""

    user_id: int
    email: str
    name: str
    status: RegistrationStatus | None
    """None: attended (a report says so) without registering."""
    requested_at: datetime | None
    present: bool | None
    """None: not recorded yet."""
    minutes: int | None
    source: str | None


def roster(session: Session, live: LiveSession) -> list[RosterLine]:
    """Registered, waiting (in the list's order), then those only recorded as attending;
    cancelled registrations left out unless attendance was recorded for them."""
    registrations = {
        r.user_id: r
        for r in session.scalars(select(Registration).where(Registration.session_id == live.id))
    }
    attendance = {
        a.user_id: a
        for a in session.scalars(select(Attendance).where(Attendance.session_id == live.id))
    }
    people = accounts.users_by_id(session, registrations.keys() | attendance.keys())
    lines = []
    for user_id, user in people.items():
        registration, attended = registrations.get(user_id), attendance.get(user_id)
        status = registration.status if registration is not None else None
        if status is RegistrationStatus.CANCELLED and attended is None:
            continue
        lines.append(
            RosterLine(
                user_id=user_id,
                email=user.email,
                name=(user.certificate_name or "").strip(),
                status=status,
                requested_at=registration.requested_at if registration is not None else None,
                present=attended.present if attended is not None else None,
                minutes=attended.minutes if attended is not None else None,
                source=attended.source.value if attended is not None else None,
            )
        )
    order = list(RegistrationStatus)
    return sorted(
        lines,
        key=lambda line: (
            order.index(line.status) if line.status is not None else len(order),
            line.requested_at or datetime.max.replace(tzinfo=live.starts_at.tzinfo),
            line.email,
        ),
    )


def titles(session: Session, session_ids: Collection[int], language: str) -> dict[int, str]:
    """The titles in ``language`` of the sessions of ``session_ids`` that exist, by id."""
    if not session_ids:
        return {}
    rows = session.execute(
        select(LiveSession.id, LiveSession.title_fr, LiveSession.title_en).where(
            LiveSession.id.in_(session_ids)
        )
    )
    return {row.id: row.title_en if language == "en" else row.title_fr for row in rows}


def feed_of(session: Session, user_id: int) -> CalendarFeed | None:
    return session.get(CalendarFeed, user_id)


def known_references(session: Session) -> set[str]:
    """Every session id and tag there is: what ``requires_sessions`` may name."""
    slugs = session.scalars(select(LiveSession.slug))
    tags = session.scalars(select(SessionTag.tag).distinct())
    return set(slugs) | set(tags)


def unknown_session_problems(
    session: Session, references: Collection[SessionReference]
) -> list[Problem]:
    """An error at each of ``references`` (what definitions' ``requires_sessions`` name) that
    no session in the database has as its id or a tag: the one check ``lms courses check``
    and the staff's page of content errors both show."""
    if not references:
        return []
    known = known_references(session)
    return [r.unknown(known) for r in references if r.reference not in known]


def _counted(requirement: SessionRequirement) -> ColumnElement[bool]:
    """Sessions ``requirement`` counts: not cancelled, named by their id or a tag."""
    tagged = select(SessionTag.session_id).where(SessionTag.tag.in_(requirement.of))
    return (LiveSession.cancelled_at.is_(None)) & or_(
        LiveSession.slug.in_(requirement.of), LiveSession.id.in_(tagged)
    )


def counted_sessions(session: Session, requirement: SessionRequirement) -> list[LiveSession]:
    """The sessions that count toward ``requirement``, by start: a program's steps."""
    return list(
        session.scalars(_with_tags().where(_counted(requirement)).order_by(LiveSession.starts_at))
    )


def attended_count(
    session: Session,
    user_id: int,
    requirement: SessionRequirement,
    *,
    since: datetime | None = None,
) -> int:
    """How many sessions counting toward ``requirement`` ``user_id`` attended (that started
    at or after ``since``, for a renewal)."""
    query = (
        select(func.count(func.distinct(Attendance.session_id)))
        .join(LiveSession, LiveSession.id == Attendance.session_id)
        .where(Attendance.user_id == user_id, Attendance.present.is_(True), _counted(requirement))
    )
    if since is not None:
        query = query.where(LiveSession.starts_at >= since)
    return session.scalar(query) or 0


def attended_counts(
    session: Session, user_ids: Any, requirement: SessionRequirement
) -> dict[int, int]:
    """``attended_count`` for each of ``user_ids`` (ids, or a subquery of them) at once, by
    user id; those who attended none are left out."""
    rows = session.execute(
        select(Attendance.user_id, func.count(func.distinct(Attendance.session_id)))
        .join(LiveSession, LiveSession.id == Attendance.session_id)
        .where(
            Attendance.user_id.in_(user_ids),
            Attendance.present.is_(True),
            _counted(requirement),
        )
        .group_by(Attendance.user_id)
    )
    return {int(user_id): int(count) for user_id, count in rows}


def sessions_to_attend(
    session: Session,
    requirement: SessionRequirement,
    user_ids: Collection[int],
    *,
    now: datetime,
) -> dict[int, list[LiveSession]]:
    """For each of ``user_ids``, the sessions to come (not over, not cancelled) that count
    toward ``requirement`` and that they have not attended, by start: what a reminder names.
    Two queries, whatever the number of people."""
    if not user_ids:
        return {}
    coming = list(
        session.scalars(
            select(LiveSession)
            .where(_counted(requirement), LiveSession.ends_at > now)
            .order_by(LiveSession.starts_at, LiveSession.id)
        )
    )
    attended: dict[int, set[int]] = {}
    if coming:
        rows = session.execute(
            select(Attendance.user_id, Attendance.session_id).where(
                Attendance.user_id.in_(user_ids),
                Attendance.present.is_(True),
                Attendance.session_id.in_([live.id for live in coming]),
            )
        )
        for user_id, session_id in rows:
            attended.setdefault(user_id, set()).add(session_id)
    return {
        user_id: [live for live in coming if live.id not in attended.get(user_id, set())]
        for user_id in user_ids
    }


def attended_session_ids(session: Session, user_id: int, session_ids: Collection[int]) -> set[int]:
    """Which of ``session_ids`` ``user_id`` attended."""
    if not session_ids:
        return set()
    return set(
        session.scalars(
            select(Attendance.session_id).where(
                Attendance.user_id == user_id,
                Attendance.present.is_(True),
                Attendance.session_id.in_(session_ids),
            )
        )
    )
