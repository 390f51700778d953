"""A cohort's report from what its members did: statuses, totals, filters, sorting, pages; pure."""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from lms.accounts.categories import FrqSector
from lms.cohorts.roster import fold
from lms.pagination import clamp_page, integer_argument, page_argument, page_count

PER_PAGE = 50
MAX_PER_PAGE = 500


class Status(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class StatusFilter(enum.StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    OVERDUE = "overdue"
    """Not completed, and the due date has passed."""
    BLOCKED = "blocked"
    """Used every attempt at a quiz without passing: only staff can let them on."""


class SortKey(enum.StrEnum):
    NAME = "name"
    EMAIL = "email"
    SECTOR = "sector"
    STATUS = "status"
    PROGRESS = "progress"
    COMPLETED = "completed"
    CERTIFICATE = "certificate"


@dataclass(frozen=True)
class Member:
    """One roster line, with what its account says."""

    membership_id: int
    user_id: int | None
    """None when the account was deleted: the line stays, with nothing done."""
    email: str
    first_name: str
    last_name: str
    sector: str | None
    fellowship_number: str | None
    language: str | None = None
    invitation_pending: bool = False
    """The account was made by an import and its owner has not set a password yet."""
    deleted: bool = False
    """Its owner deleted their account: an anonymous line, counted, with no name or email."""
    due_date: date | None = None
    """The member's own due date (an extension), over the cohort's."""
    last_reminded_at: datetime | None = None
    """The last reminder about this cohort sent to them."""

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class RequiredCourse:
    id: str
    items: int
    """Outline items in the course as it is now."""


@dataclass(frozen=True)
class CourseRecord:
    """What the database holds about one learner in one course."""

    started: bool
    completed_at: datetime | None
    done: int
    """Items of the current outline done."""


@dataclass(frozen=True)
class Earned:
    code: str
    issued_at: datetime


@dataclass(frozen=True)
class CourseCell:
    course_id: str
    status: Status
    percent: int
    completed_at: datetime | None


@dataclass(frozen=True)
class MemberRow:
    member: Member
    courses: tuple[CourseCell, ...]
    """In the order of the required courses."""
    status: Status
    percent: int
    """Of the required courses' items, whole percent rounded down; 100 once completed."""
    completed_at: datetime | None
    """When the last required course was completed (or the certificate issued)."""
    certificate: Earned | None
    overdue: bool
    due_date: date | None = None
    """The member's due date: their own if staff extended it, else the cohort's."""
    blocked: tuple[tuple[str, str], ...] = ()
    """(course id, quiz stem) of the required quizzes they used every attempt at, unpassed."""
    sessions_attended: int | None = None
    """Live sessions attended that count toward the certificate; None when it requires none."""


@dataclass(frozen=True)
class Totals:
    members: int
    completed: int
    in_progress: int
    not_started: int
    overdue: int
    """Among those not completed: a subset of in progress and not started."""
    blocked: int = 0
    """Members out of attempts at a required quiz: a subset of those not completed."""


@dataclass(frozen=True)
class ReportQuery:
    """What the dashboard (and its exports) show: filters, sorting, page."""

    status: StatusFilter | None = None
    sector: FrqSector | None = None
    search: str = ""
    sort: SortKey = SortKey.NAME
    descending: bool = False
    page: int = 1
    per_page: int = PER_PAGE

    @classmethod
    def from_args(cls, args: Mapping[str, str]) -> ReportQuery:
        """The query in a URL's arguments; unknown or malformed values fall back to defaults.

        Lenient on purpose: these come from links and bookmarks, and a stale one should show
        the dashboard rather than an error page.
        """
        return cls(
            status=_enum(StatusFilter, args.get("status")),
            sector=_enum(FrqSector, args.get("sector")),
            search=(args.get("q") or "").strip()[:200],
            sort=_enum(SortKey, args.get("sort")) or SortKey.NAME,
            descending=args.get("dir") == "desc",
            page=page_argument(args),
            per_page=min(MAX_PER_PAGE, max(1, integer_argument(args.get("per_page"), PER_PAGE))),
        )

    def args(self, **changes: Any) -> dict[str, str]:
        """URL arguments for this query with ``changes``, leaving out the defaults."""
        values: dict[str, Any] = {
            "status": self.status,
            "sector": self.sector,
            "q": self.search,
            "sort": self.sort,
            "dir": "desc" if self.descending else "asc",
            "page": self.page,
            "per_page": self.per_page,
            **changes,
        }
        defaults = {"sort": SortKey.NAME, "dir": "asc", "page": 1, "per_page": PER_PAGE}
        return {
            name: str(value)
            for name, value in values.items()
            if value not in (None, "") and defaults.get(name) != value
        }

    def sort_args(self, key: SortKey) -> dict[str, str]:
        """Arguments of the link of a column's header: sort by it, or reverse it if sorted."""
        descending = not self.descending if self.sort is key else False
        return self.args(sort=key, dir="desc" if descending else "asc", page=1)


@dataclass(frozen=True)
class Page:
    rows: tuple[MemberRow, ...]
    number: int
    pages: int
    total: int
    """Rows matching the filters, on every page."""
    first: int
    """The 1-based position of the page's first row among them (0 when there is none)."""


def course_cell(course: RequiredCourse, record: CourseRecord | None) -> CourseCell:
    if record is not None and record.completed_at is not None:
        # Recorded completion stands even if the author added items since (as for learners).
        return CourseCell(course.id, Status.COMPLETED, 100, record.completed_at)
    if record is None or not (record.started or record.done):
        return CourseCell(course.id, Status.NOT_STARTED, 0, None)
    percent = min(99, record.done * 100 // course.items) if course.items else 0
    return CourseCell(course.id, Status.IN_PROGRESS, percent, None)


def member_rows(
    members: Iterable[Member],
    courses: Sequence[RequiredCourse],
    records: Mapping[tuple[int, str], CourseRecord],
    certificates: Mapping[int, Earned],
    *,
    due_date: date | None,
    today: date,
    blocked: Mapping[int, Collection[tuple[str, str]]] | None = None,
    sessions_required: int = 0,
    attended: Mapping[int, int] | None = None,
) -> tuple[MemberRow, ...]:
    """One row per member: each required course's state, the overall one, the certificate.

    ``records`` are by (user id, course id); ``certificates`` by user id, the cohort's
    certificate still active; ``blocked`` the quizzes (course id, stem) each user id is out
    of attempts at; ``attended`` the live sessions each user id attended of the
    ``sessions_required`` the certificate asks for. A member is completed once every
    required course is and they attended enough sessions, or once they hold the certificate
    (which needed all of it when it was issued). A member's own due date (an extension)
    stands for the cohort's ``due_date``.
    """
    blocked = blocked or {}
    attended = attended or {}
    # Shared, since cells are immutable: most members have not started most courses, and a
    # cohort may have thousands of them.
    untouched = tuple(course_cell(course, None) for course in courses)
    rows = []
    for member in members:
        user_id = member.user_id
        cells = (
            tuple(
                course_cell(course, found)
                if (found := records.get((user_id, course.id)))
                else empty
                for course, empty in zip(courses, untouched, strict=True)
            )
            if user_id is not None
            else untouched
        )
        earned = certificates.get(user_id) if user_id else None
        sessions = min(attended.get(user_id, 0), sessions_required) if user_id else 0
        all_done = (
            bool(cells)
            and all(c.status is Status.COMPLETED for c in cells)
            and sessions >= sessions_required
        )
        if all_done or earned is not None:
            status = Status.COMPLETED
            dates = [c.completed_at for c in cells if c.completed_at is not None]
            if all_done and dates:
                completed_at: datetime | None = max(dates)
            else:
                completed_at = earned.issued_at if earned is not None else None
        elif sessions or any(c.status is not Status.NOT_STARTED for c in cells):
            status, completed_at = Status.IN_PROGRESS, None
        else:
            status, completed_at = Status.NOT_STARTED, None
        # The sessions weigh as one more required course, done in proportion.
        parts = [c.percent for c in cells]
        if sessions_required:
            parts.append(sessions * 100 // sessions_required)
        percent = 100 if status is Status.COMPLETED else min(99, _mean(parts))
        due = member.due_date or due_date
        stuck = blocked.get(user_id, ()) if user_id and status is not Status.COMPLETED else ()
        rows.append(
            MemberRow(
                member=member,
                courses=cells,
                status=status,
                percent=percent,
                completed_at=completed_at,
                certificate=earned,
                overdue=due is not None and due < today and status is not Status.COMPLETED,
                due_date=due,
                blocked=tuple(sorted(stuck)),
                sessions_attended=sessions if sessions_required else None,
            )
        )
    return tuple(rows)


def totals(rows: Sequence[MemberRow]) -> Totals:
    counts = dict.fromkeys(Status, 0)
    for row in rows:
        counts[row.status] += 1
    return Totals(
        members=len(rows),
        completed=counts[Status.COMPLETED],
        in_progress=counts[Status.IN_PROGRESS],
        not_started=counts[Status.NOT_STARTED],
        overdue=sum(1 for row in rows if row.overdue),
        blocked=sum(1 for row in rows if row.blocked),
    )


def select_rows(rows: Sequence[MemberRow], query: ReportQuery) -> tuple[MemberRow, ...]:
    """The rows ``query``'s filters keep, in its order (unpaginated, as exports want them)."""
    kept: Iterable[MemberRow] = rows
    if query.status is StatusFilter.OVERDUE:
        kept = (row for row in kept if row.overdue)
    elif query.status is StatusFilter.BLOCKED:
        kept = (row for row in kept if row.blocked)
    elif query.status is not None:
        wanted = Status(query.status.value)
        kept = (row for row in kept if row.status is wanted)
    if query.sector is not None:
        kept = (row for row in kept if row.member.sector == query.sector.value)
    needle = fold(query.search)
    if needle:
        kept = (row for row in kept if _matches(row.member, needle))
    # Sorted by name first, so that equal keys keep a predictable, readable order.
    ordered = sorted(kept, key=_name_key)
    if query.sort is not SortKey.NAME:
        present = [row for row in ordered if _SORT_KEYS[query.sort](row) is not None]
        absent = [row for row in ordered if _SORT_KEYS[query.sort](row) is None]
        present.sort(key=lambda row: _SORT_KEYS[query.sort](row), reverse=query.descending)
        # Rows without the value (no certificate, no completion) go last either way.
        return (*present, *absent)
    return tuple(reversed(ordered)) if query.descending else tuple(ordered)


def paginate(rows: Sequence[MemberRow], page: int, per_page: int) -> Page:
    pages = page_count(len(rows), per_page)
    number = clamp_page(page, pages)
    start = (number - 1) * per_page
    shown = tuple(rows[start : start + per_page])
    return Page(shown, number, pages, len(rows), start + 1 if shown else 0)


def _matches(member: Member, needle: str) -> bool:
    return any(
        needle in fold(text)
        for text in (
            f"{member.first_name}{member.last_name}",
            f"{member.last_name}{member.first_name}",
            member.email,
        )
    )


def _name_key(row: MemberRow) -> tuple[str, str, str]:
    member = row.member
    return (fold(member.last_name), fold(member.first_name), member.email)


_SORT_KEYS: dict[SortKey, Callable[[MemberRow], Any]] = {
    SortKey.NAME: _name_key,
    SortKey.EMAIL: lambda row: row.member.email,
    SortKey.SECTOR: lambda row: row.member.sector,
    SortKey.STATUS: lambda row: (list(Status).index(row.status), row.percent),
    SortKey.PROGRESS: lambda row: row.percent,
    SortKey.COMPLETED: lambda row: row.completed_at,
    SortKey.CERTIFICATE: lambda row: row.certificate.issued_at if row.certificate else None,
}


def _mean(values: Sequence[int]) -> int:
    return sum(values) // len(values) if values else 0


_E = TypeVar("_E", bound=enum.StrEnum)


def _enum(kind: type[_E], value: str | None) -> _E | None:
    try:
        return kind(value) if value else None
    except ValueError:
        return None
