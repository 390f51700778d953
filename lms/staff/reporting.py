"""Reports from the database: a cohort's, in a fixed number of queries whatever its size, with
the table its exports write; and a quiz's item analysis."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask_babel import get_timezone
from flask_babel import gettext as _
from sqlalchemy import ScalarSelect, and_, func, or_, select
from sqlalchemy.orm import Session

from lms.accounts.models import User
from lms.certificates.models import Certificate, CertificateStatus
from lms.content import Catalog, Localized
from lms.learning.models import Enrolment, ItemCompletion
from lms.quizzes.models import QuizAttempt
from lms.quizzes.services import QuizRef
from lms.quizzes.snapshot import snapshot_from_json
from lms.staff import analysis, report
from lms.staff.exports import Cell, Table
from lms.staff.models import Cohort, CohortMembership
from lms.staff.periods import Period, local_date
from lms.staff.report import (
    CourseRecord,
    Earned,
    Member,
    MemberRow,
    ReportQuery,
    RequiredCourse,
    Status,
    Totals,
)
from lms.staff.roster import Sector
from lms.staff.wording import sector_label, status_label


def site_zone() -> ZoneInfo:
    """The zone dates are shown in (Flask-Babel's), as a ``ZoneInfo``: midnights computed
    with it are right, which pytz's zones (what Flask-Babel returns) do not promise."""
    return ZoneInfo(str(get_timezone()))


def today() -> date:
    return datetime.now(site_zone()).date()


@dataclass(frozen=True)
class CourseColumn:
    id: str
    title: Localized
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


def required_courses(catalog: Catalog, certificate_id: str | None) -> tuple[CourseColumn, ...]:
    """The courses the cohort's certificate requires, in its order, as columns."""
    definition = catalog.certificates.get(certificate_id or "")
    if definition is None:
        return ()
    columns = []
    for course_id in definition.requires:
        course = catalog.course(course_id)
        if course is None:
            columns.append(CourseColumn(course_id, Localized.plain(course_id), 0, False))
        else:
            columns.append(CourseColumn(course_id, course.title, len(list(course.items())), True))
    return tuple(columns)


def cohort_report(
    session: Session, cohort: Cohort, catalog: Catalog, *, on: date | None = None
) -> CohortReport:
    """Every member's state in the cohort's required courses, on ``on`` (default: today).

    Four queries (members, enrolments, items done per course, certificates), each over the
    whole cohort at once: the page costs the same for five members or ten thousand.
    """
    courses = required_courses(catalog, cohort.certificate_id)
    members = _members(session, cohort)
    records = _records(session, cohort, catalog, courses)
    certificates = _certificates(session, cohort)
    day = on if on is not None else today()
    rows = report.member_rows(
        members,
        [RequiredCourse(c.id, c.items) for c in courses],
        records,
        certificates,
        due_date=cohort.due_date,
        today=day,
    )
    definition = catalog.certificates.get(cohort.certificate_id or "")
    return CohortReport(
        cohort=cohort,
        certificate_title=definition.title if definition is not None else None,
        courses=courses,
        rows=rows,
        totals=report.totals(rows),
        today=day,
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
            User.language,
            User.password_hash.is_(None),
            User.deleted_at.is_not(None),
        )
        .outerjoin(User, CohortMembership.user_id == User.id)
        .where(CohortMembership.cohort_id == cohort.id)
    )
    return [
        Member(
            membership_id=membership_id,
            user_id=user_id,
            # A deleted account's line keeps nothing but its place in the totals.
            email="" if deleted else email,
            first_name=first_name or "",
            last_name=last_name or "",
            sector=sector,
            fellowship_number=fellowship_number,
            language=language,
            invitation_pending=bool(user_id is not None and no_password and not deleted),
            deleted=bool(deleted),
        )
        for (
            membership_id,
            user_id,
            email,
            first_name,
            last_name,
            sector,
            fellowship_number,
            language,
            no_password,
            deleted,
        ) in rows
    ]


def _records(
    session: Session, cohort: Cohort, catalog: Catalog, courses: Sequence[CourseColumn]
) -> dict[tuple[int, str], CourseRecord]:
    if not courses:
        return {}
    member_ids = _member_ids(cohort)
    course_ids = [c.id for c in courses]
    enrolments = session.execute(
        select(Enrolment.user_id, Enrolment.course_id, Enrolment.completed_at).where(
            Enrolment.user_id.in_(member_ids), Enrolment.course_id.in_(course_ids)
        )
    )
    # Only the items of each course's outline as it is now count, as on the learner's pages.
    outlines = []
    for column in courses:
        course = catalog.course(column.id)
        if course is not None:
            keys = [item.key for item in course.items()]
            outlines.append(
                and_(ItemCompletion.course_id == column.id, ItemCompletion.item.in_(keys))
            )
    done: dict[tuple[int, str], int] = {}
    if outlines:
        counted = session.execute(
            select(ItemCompletion.user_id, ItemCompletion.course_id, func.count())
            .where(ItemCompletion.user_id.in_(member_ids), or_(*outlines))
            .group_by(ItemCompletion.user_id, ItemCompletion.course_id)
        )
        done = {(user_id, course_id): count for user_id, course_id, count in counted}
    records = {
        (user_id, course_id): CourseRecord(True, completed_at, done.get((user_id, course_id), 0))
        for user_id, course_id, completed_at in enrolments
    }
    for key, count in done.items():
        records.setdefault(key, CourseRecord(True, None, count))
    return records


def _certificates(session: Session, cohort: Cohort) -> dict[int, Earned]:
    if not cohort.certificate_id:
        return {}
    rows = session.execute(
        select(Certificate.user_id, Certificate.code, Certificate.issued_at)
        .where(
            Certificate.user_id.in_(_member_ids(cohort)),
            Certificate.definition_id == cohort.certificate_id,
            Certificate.status == CertificateStatus.ACTIVE,
        )
        .order_by(Certificate.issued_at)
    )
    # The latest active one, should a learner hold two (a reissue supersedes the first).
    return {user_id: Earned(code, issued_at) for user_id, code, issued_at in rows}


def completion_days(rows: Sequence[MemberRow]) -> list[date]:
    """The day each completed member completed, in the site's zone: the chart's data."""
    zone = site_zone()
    return [local_date(r.completed_at, zone) for r in rows if r.completed_at is not None]


def report_table(data: CohortReport, query: ReportQuery, language: str) -> Table:
    """The dashboard's rows (with its filters and order, every page) as an export's table.

    The header is in the current locale; course titles in ``language``.
    """
    zone = site_zone()

    def day(moment: datetime | None) -> date | None:
        return local_date(moment, zone) if moment is not None else None

    header = [
        _("Last name"),
        _("First name"),
        _("Email"),
        _("FRQ sector"),
        _("Fellowship number"),
        _("Status"),
        _("Overdue"),
        _("Progress (%)"),
        _("Completed on"),
        _("Certificate code"),
        _("Certificate issued on"),
    ]
    for course in data.courses:
        title = course.title.get(language)
        header += [
            _("%(course)s: status", course=title),
            _("%(course)s: progress (%%)", course=title),
            _("%(course)s: completed on", course=title),
        ]
    # Words looked up once, not once per member: a cohort may have thousands.
    statuses = {status: status_label(status) for status in Status}
    sectors = {sector.value: sector_label(sector.value) for sector in Sector}
    yes, no = _("Yes"), _("No")
    deleted_label = _("Deleted account")
    rows: list[tuple[Cell, ...]] = []
    for row in report.select_rows(data.rows, query):
        member = row.member
        cells: list[Cell] = [
            deleted_label if member.deleted else member.last_name,
            member.first_name,
            member.email,
            sectors.get(member.sector or "", member.sector or ""),
            member.fellowship_number,
            statuses[row.status],
            yes if row.overdue else no,
            row.percent,
            day(row.completed_at),
            row.certificate.code if row.certificate and not member.deleted else None,
            day(row.certificate.issued_at) if row.certificate else None,
        ]
        for cell in row.courses:
            cells += [statuses[cell.status], cell.percent, day(cell.completed_at)]
        rows.append(tuple(cells))
    return Table(data.cohort.name, tuple(header), tuple(rows))


def quiz_analysis(session: Session, ref: QuizRef, period: Period) -> list[analysis.QuestionStats]:
    """Item analysis of the attempts at ``ref`` submitted within ``period`` (site's days)."""
    since, until = period.bounds(site_zone())
    query = select(QuizAttempt.questions, QuizAttempt.answers).where(
        QuizAttempt.course_id == ref.course.id,
        QuizAttempt.quiz == ref.quiz.stem,
        QuizAttempt.submitted_at.is_not(None),
    )
    if since is not None:
        query = query.where(QuizAttempt.submitted_at >= since)
    if until is not None:
        query = query.where(QuizAttempt.submitted_at < until)
    rows = session.execute(query.order_by(QuizAttempt.submitted_at, QuizAttempt.id))
    attempts = (
        analysis.SubmittedAttempt(snapshot_from_json(questions), answers or {})
        for questions, answers in rows
    )
    return analysis.analyse(attempts, [q.id for q in ref.quiz.questions])
