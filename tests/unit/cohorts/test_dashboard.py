"""Cohort statuses, totals, filters, search, sorting and pages from plain records: no app."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from lms.accounts.categories import FrqSector
from lms.cohorts.dashboard import (
    CourseRecord,
    Earned,
    Member,
    MemberRow,
    ReportQuery,
    RequiredCourse,
    SortKey,
    Status,
    StatusFilter,
    course_cell,
    member_rows,
    paginate,
    select_rows,
    totals,
)

COURSES = (RequiredCourse("basics", 3), RequiredCourse("practice", 1))
TODAY = date(2026, 10, 1)


def moment(day: int, month: int = 9) -> datetime:
    return datetime(2026, month, day, 15, tzinfo=UTC)


def member(
    n: int, name: str, first: str, last: str, sector: FrqSector = FrqSector.HEALTH
) -> Member:
    return Member(n, n, f"{name}@example.org", first, last, sector.value, str(n))


ADA = member(1, "ada", "Ada", "Lovelace")
RENE = member(2, "rene", "René", "Bélanger", FrqSector.SOCIETY_CULTURE)
ZOE = member(3, "zoe", "Zoé", "Côté", FrqSector.NATURE_TECHNOLOGIES)
LUC = member(4, "luc", "Luc", "Arsenault")

RECORDS = {
    # Ada: both courses completed.
    (1, "basics"): CourseRecord(True, moment(10), 3),
    (1, "practice"): CourseRecord(True, moment(12), 1),
    # René: one item of three in basics.
    (2, "basics"): CourseRecord(True, None, 1),
    # Zoé: basics completed, practice opened with nothing done.
    (3, "basics"): CourseRecord(True, moment(5), 3),
    (3, "practice"): CourseRecord(True, None, 0),
}


def rows(
    due: date | None = date(2026, 9, 20), certificates: dict[int, Earned] | None = None
) -> tuple[MemberRow, ...]:
    return member_rows(
        [ADA, RENE, ZOE, LUC], COURSES, RECORDS, certificates or {}, due_date=due, today=TODAY
    )


def by_email(found: tuple[MemberRow, ...]) -> list[str]:
    return [row.member.email for row in found]


def test_each_member_gets_a_status_per_course_and_overall() -> None:
    ada, rene, zoe, luc = rows()

    assert [c.status for c in ada.courses] == [Status.COMPLETED, Status.COMPLETED]
    assert ada.status is Status.COMPLETED
    assert ada.completed_at == moment(12)
    assert ada.percent == 100
    assert rene.courses[0].percent == 33
    assert rene.courses[1].status is Status.NOT_STARTED
    assert (rene.status, rene.percent) == (Status.IN_PROGRESS, 16)
    assert [c.status for c in zoe.courses] == [Status.COMPLETED, Status.IN_PROGRESS]
    assert zoe.completed_at is None
    assert (luc.status, luc.percent) == (Status.NOT_STARTED, 0)


def test_overdue_means_not_completed_after_the_due_date() -> None:
    assert [r.overdue for r in rows()] == [False, True, True, True]
    assert not any(r.overdue for r in rows(due=date(2026, 10, 1)))
    assert not any(r.overdue for r in rows(due=None))


def test_totals() -> None:
    found = totals(rows())

    assert (found.members, found.completed, found.in_progress, found.not_started) == (4, 1, 2, 1)
    assert found.overdue == 3


def test_a_certificate_counts_as_completed_and_is_shown() -> None:
    earned = Earned("ABCD-EFGH", moment(20))

    luc = rows(certificates={4: earned})[3]

    assert luc.status is Status.COMPLETED
    assert luc.certificate == earned
    assert luc.completed_at == moment(20)
    assert not luc.overdue


def test_a_course_with_a_recorded_completion_stays_completed_after_items_are_added() -> None:
    cell = course_cell(RequiredCourse("basics", 5), CourseRecord(True, moment(1), 3))

    assert (cell.status, cell.percent) == (Status.COMPLETED, 100)


def test_an_incomplete_course_never_shows_100_percent() -> None:
    cell = course_cell(RequiredCourse("basics", 2), CourseRecord(True, None, 2))

    assert (cell.status, cell.percent) == (Status.IN_PROGRESS, 99)


def test_a_member_without_an_account_has_nothing_done() -> None:
    gone = Member(9, None, "gone@example.org", "Gone", "Away", None, None)

    [row] = member_rows([gone], COURSES, RECORDS, {}, due_date=None, today=TODAY)

    assert row.status is Status.NOT_STARTED


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ({}, ["luc", "rene", "zoe", "ada"]),
        ({"status": "completed"}, ["ada"]),
        ({"status": "in_progress"}, ["rene", "zoe"]),
        ({"status": "not_started"}, ["luc"]),
        ({"status": "overdue"}, ["luc", "rene", "zoe"]),
        ({"sector": "health"}, ["luc", "ada"]),
        ({"q": "cote"}, ["zoe"]),
        ({"q": "RENÉ"}, ["rene"]),
        ({"q": "belanger rene"}, ["rene"]),
        ({"q": "ada rene"}, []),
        ({"q": "rené bélanger"}, ["rene"]),
        ({"q": "ada@example"}, ["ada"]),
        ({"sort": "name", "dir": "desc"}, ["ada", "zoe", "rene", "luc"]),
        ({"sort": "progress", "dir": "desc"}, ["ada", "zoe", "rene", "luc"]),
        ({"sort": "status"}, ["luc", "rene", "zoe", "ada"]),
        ({"sort": "email"}, ["ada", "luc", "rene", "zoe"]),
        ({"sort": "completed"}, ["ada", "luc", "rene", "zoe"]),
    ],
)
def test_filters_search_and_sorting(args: dict[str, str], expected: list[str]) -> None:
    found = select_rows(rows(), ReportQuery.from_args(args))

    assert by_email(found) == [f"{name}@example.org" for name in expected]


def test_unknown_query_values_fall_back_to_the_defaults() -> None:
    query = ReportQuery.from_args({"status": "lost", "sort": "x", "page": "-3", "per_page": "1e9"})

    assert query == ReportQuery()
    assert ReportQuery.from_args({"per_page": "100000"}).per_page == 500


def test_query_arguments_leave_out_defaults_and_sort_links_toggle() -> None:
    query = ReportQuery(status=StatusFilter.OVERDUE, sort=SortKey.EMAIL, page=3)

    assert query.args() == {"status": "overdue", "sort": "email", "page": "3"}
    assert query.sort_args(SortKey.EMAIL) == {"status": "overdue", "sort": "email", "dir": "desc"}
    assert query.sort_args(SortKey.NAME) == {"status": "overdue"}


def test_pages() -> None:
    everyone = rows()

    first = paginate(everyone, 1, 3)
    last = paginate(everyone, 2, 3)
    beyond = paginate(everyone, 9, 3)

    assert (len(first.rows), first.pages, first.total, first.first) == (3, 2, 4, 1)
    assert (len(last.rows), last.first) == (1, 4)
    assert beyond.number == 2
    assert paginate((), 1, 50) == paginate((), 4, 50)
    assert paginate((), 1, 50).first == 0
