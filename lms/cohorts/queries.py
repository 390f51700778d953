"""Reads of cohorts: their rosters, the reminders sent, and a cohort's report, which asks each
feature for its part over the whole cohort at once."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, ScalarSelect, Select, func, or_, select
from sqlalchemy.orm import Session

from lms.accounts import queries as accounts
from lms.certificates import queries as certificates
from lms.cohorts import dashboard as report
from lms.cohorts.dashboard import CourseRecord, Earned, Member, RequiredCourse, Totals
from lms.cohorts.models import Cohort, CohortMembership, Reminder
from lms.content import Catalog, Localized
from lms.learning import queries as learning
from lms.live import queries as live
from lms.periods import local_date
from lms.quizzes import limits

if TYPE_CHECKING:
    from lms.accounts.models import User
    from lms.cohorts.dashboard import MemberRow


@dataclass(frozen=True)
class CohortSummary:
    cohort: Cohort
    members: int


def cohort_summaries(session: Session, *, archived: bool = False) -> list[CohortSummary]:
    """The current cohorts (or, with ``archived``, the archived ones) with their number of
    members, by due date (soonest first), then name."""
    shown = Cohort.archived_at.is_not(None) if archived else Cohort.archived_at.is_(None)
    rows = session.execute(
        select(Cohort, func.count(CohortMembership.id))
        .outerjoin(CohortMembership, CohortMembership.cohort_id == Cohort.id)
        .where(shown)
        .group_by(Cohort.id)
        .order_by(Cohort.due_date.is_(None), Cohort.due_date, Cohort.name)
    )
    return [CohortSummary(cohort, count) for cohort, count in rows]


def archived_count(session: Session) -> int:
    return session.scalar(select(func.count(Cohort.id)).where(Cohort.archived_at.is_not(None))) or 0


def cohort_names(session: Session, cohort_ids: Collection[int]) -> dict[int, str]:
    """The names of the cohorts of ``cohort_ids`` that exist, by id: one query."""
    if not cohort_ids:
        return {}
    query = select(Cohort.id, Cohort.name).where(Cohort.id.in_(cohort_ids))
    return {row.id: row.name for row in session.execute(query)}


def cohort_ids_of(user_id: int | ColumnElement[int]) -> Select[int]:
    """A subquery of the cohorts the account ``user_id`` (or a bound parameter naming one) is
    a member of: communities open to cohorts ask it inside their own queries."""
    return select(CohortMembership.cohort_id).where(CohortMembership.user_id == user_id)


def member_ids_of(cohort_ids: Any) -> Select[int | None]:
    """A subquery of the accounts that are members of ``cohort_ids`` (ids, or a subquery)."""
    return select(CohortMembership.user_id).where(
        CohortMembership.cohort_id.in_(cohort_ids), CohortMembership.user_id.is_not(None)
    )


def memberships_by_email(session: Session, cohort: Cohort) -> dict[str, CohortMembership]:
    """``cohort``'s roster lines, by address."""
    rows = session.scalars(select(CohortMembership).where(CohortMembership.cohort_id == cohort.id))
    return {membership.email: membership for membership in rows}


@dataclass(frozen=True)
class RosterLine:
    """A roster line as an import compares it with the file: read as plain rows, since a
    cohort may have 20,000 of them."""

    id: int
    user_id: int | None
    first_name: str | None
    last_name: str | None
    sector: str | None
    fellowship_number: str | None
    notes: str | None
    invited_at: datetime | None


def roster_lines(session: Session, cohort_id: int) -> dict[str, RosterLine]:
    """``cohort_id``'s roster lines by address, in one query."""
    m = CohortMembership
    rows = session.execute(
        select(
            m.email, m.id, m.user_id, m.first_name, m.last_name, m.sector,
            m.fellowship_number, m.notes, m.invited_at,
        ).where(m.cohort_id == cohort_id)
    )  # fmt: skip
    return {row[0]: RosterLine(*row[1:]) for row in rows}


def membership_by_email(session: Session, cohort: Cohort, email: str) -> CohortMembership | None:
    """``cohort``'s roster line for ``email``, if there is one."""
    return session.scalars(
        select(CohortMembership).where(
            CohortMembership.cohort_id == cohort.id, CohortMembership.email == email
        )
    ).first()


def membership_of(session: Session, cohort: Cohort, user_id: int) -> CohortMembership | None:
    """The roster line of the account ``user_id`` in ``cohort``, if there is one."""
    return session.scalars(
        select(CohortMembership)
        .where(CohortMembership.cohort_id == cohort.id, CohortMembership.user_id == user_id)
        .order_by(CohortMembership.id)
        .limit(1)
    ).first()


def memberships_of(session: Session, user: User) -> list[CohortMembership]:
    """``user``'s roster lines, with their cohorts, by cohort name."""
    return list(
        session.scalars(
            select(CohortMembership)
            .join(Cohort)
            .where(CohortMembership.user_id == user.id)
            .order_by(Cohort.name)
        )
    )


def cohorts_due_by(session: Session, day: date) -> list[Cohort]:
    """The cohorts not archived that are due by ``day``, or have a member who is (their own
    due date), by name: those whose members a reminder may concern."""
    member_due = select(CohortMembership.cohort_id).where(CohortMembership.due_date <= day)
    return list(
        session.scalars(
            select(Cohort)
            .where(
                Cohort.archived_at.is_(None),
                or_(Cohort.due_date <= day, Cohort.id.in_(member_due)),
            )
            .order_by(Cohort.name)
        )
    )


def recently_reminded(session: Session, since: datetime) -> dict[str, datetime]:
    """The addresses reminded since ``since``, with the last time each was."""
    rows = session.execute(
        select(Reminder.email, func.max(Reminder.sent_at))
        .where(Reminder.sent_at >= since)
        .group_by(Reminder.email)
    )
    return dict(rows.all())


def last_reminders(session: Session, cohort: Cohort) -> dict[str, datetime]:
    """When each address was last reminded about ``cohort``."""
    rows = session.execute(
        select(Reminder.email, func.max(Reminder.sent_at))
        .where(Reminder.cohort_id == cohort.id)
        .group_by(Reminder.email)
    )
    return dict(rows.all())


@dataclass(frozen=True)
class CourseColumn:
    id: str
    title: Localized
    short_title: Localized
    """What the matrix's header and the exports' column names show (the title in full is
    the header's accessible name)."""
    items: int
    in_catalog: bool
    """False once the course left the catalogue: its column still shows what was recorded."""


@dataclass(frozen=True)
class CohortReport:
    cohort: Cohort
    certificate_title: Localized | None
    """None if the cohort's certificate is no longer in the catalogue."""
    courses: tuple[CourseColumn, ...]
    rows: tuple[MemberRow, ...]
    """Every member, unfiltered and unsorted."""
    totals: Totals
    today: date
    sessions_required: int = 0
    """Live sessions the certificate requires: a column of the matrix when there are."""


def required_courses(catalog: Catalog, certificate_id: str | None) -> tuple[CourseColumn, ...]:
    """The courses the cohort's certificate requires, in its order, as columns."""
    definition = catalog.certificates.get(certificate_id or "")
    if definition is None:
        return ()
    columns = []
    for course_id in definition.requires:
        course = catalog.course(course_id)
        if course is None:
            gone = Localized.plain(course_id)
            columns.append(CourseColumn(course_id, gone, gone, 0, False))
        else:
            items = len(list(course.items()))
            columns.append(CourseColumn(course_id, course.title, course.short_title, items, True))
    return tuple(columns)


def cohort_report(session: Session, cohort: Cohort, catalog: Catalog, *, on: date) -> CohortReport:
    """Every member's state in the cohort's required courses and live sessions, on the day
    ``on``.

    A few queries (members, their accounts and reminders, enrolments, items done per
    course, certificates, quiz attempts and grants, sessions attended), each over the whole
    cohort at once:
    the page costs the same for five members or ten thousand.
    """
    courses = required_courses(catalog, cohort.certificate_id)
    members = _members(session, cohort)
    records = _records(session, cohort, catalog, courses)
    certificates = _certificates(session, cohort)
    in_catalog = [found for c in courses if (found := catalog.course(c.id)) is not None]
    definition = catalog.certificates.get(cohort.certificate_id or "")
    requirement = definition.requires_sessions if definition is not None else None
    rows = report.member_rows(
        members,
        [RequiredCourse(c.id, c.items) for c in courses],
        records,
        certificates,
        due_date=cohort.due_date,
        today=on,
        blocked=limits.blocked_learners(session, _member_ids(cohort), in_catalog),
        sessions_required=requirement.count if requirement is not None else 0,
        attended=(
            live.attended_counts(session, _member_ids(cohort), requirement)
            if requirement is not None
            else {}
        ),
    )
    return CohortReport(
        cohort=cohort,
        certificate_title=definition.title if definition is not None else None,
        courses=courses,
        rows=rows,
        totals=report.totals(rows),
        today=on,
        sessions_required=requirement.count if requirement is not None else 0,
    )


def _member_ids(cohort: Cohort) -> ScalarSelect[int | None]:
    """The cohort's members' user ids, as a subquery: no list of ids to send with each query."""
    return (
        select(CohortMembership.user_id)
        .where(CohortMembership.cohort_id == cohort.id, CohortMembership.user_id.is_not(None))
        .scalar_subquery()
    )


def _members(session: Session, cohort: Cohort) -> list[Member]:
    rows = session.execute(
        select(
            CohortMembership.id,
            CohortMembership.user_id,
            CohortMembership.email,
            CohortMembership.first_name,
            CohortMembership.last_name,
            CohortMembership.sector,
            CohortMembership.fellowship_number,
            CohortMembership.due_date,
        ).where(CohortMembership.cohort_id == cohort.id)
    )
    states = accounts.account_states(session, _member_ids(cohort))
    reminded = last_reminders(session, cohort)
    members = []
    for membership_id, user_id, email, first_name, last_name, sector, number, due in rows:
        state = states.get(user_id) if user_id is not None else None
        deleted = state is not None and state.deleted
        members.append(
            Member(
                membership_id=membership_id,
                user_id=user_id,
                # A deleted account's line keeps nothing but its place in the totals.
                email="" if deleted else email,
                first_name=first_name or "",
                last_name=last_name or "",
                sector=sector,
                fellowship_number=number,
                language=state.language if state is not None else None,
                invitation_pending=state is not None and state.invitation_pending,
                deleted=deleted,
                due_date=due,
                last_reminded_at=None if deleted else reminded.get(email),
            )
        )
    return members


def _records(
    session: Session, cohort: Cohort, catalog: Catalog, courses: tuple[CourseColumn, ...]
) -> dict[tuple[int, str], CourseRecord]:
    outlines: dict[str, list[str]] = {}
    for column in courses:
        course = catalog.course(column.id)
        outlines[column.id] = [item.key for item in course.items()] if course is not None else []
    activity = learning.course_records(session, _member_ids(cohort), outlines)
    return {
        key: CourseRecord(True, record.completed_at, record.items_done)
        for key, record in activity.items()
    }


def _certificates(session: Session, cohort: Cohort) -> dict[int, Earned]:
    if not cohort.certificate_id:
        return {}
    found = certificates.active_certificates(session, _member_ids(cohort), cohort.certificate_id)
    return {user_id: Earned(code, issued_at) for user_id, (code, issued_at) in found.items()}


def completion_days(rows: tuple[MemberRow, ...], zone: tzinfo) -> list[date]:
    """The day each completed member completed, in ``zone``: the chart's data."""
    return [local_date(r.completed_at, zone) for r in rows if r.completed_at is not None]
