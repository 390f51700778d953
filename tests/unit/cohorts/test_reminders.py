"""Who gets a reminder, from the rows of cohorts due soon: pure, no app."""

from __future__ import annotations

from datetime import date

from lms.cohorts.dashboard import CourseCell, Member, MemberRow, Status
from lms.cohorts.reminders import DueCohort, plan_reminders

SOON = DueCohort(1, "Soon", date(2026, 12, 7))
PAST = DueCohort(2, "Past", date(2026, 11, 29))


def row(email: str, status: Status, *, user_id: int | None = 1, deleted: bool = False) -> MemberRow:
    member = Member(1, user_id, email, "Ann", "Lee", "health", None, "fr", False, deleted)
    cells = (
        CourseCell("basics", Status.COMPLETED, 100, None),
        CourseCell("practice", status, 0, None),
    )
    return MemberRow(member, cells, status, 50, None, None, False)


def test_one_mail_per_address_names_every_cohort_it_is_behind_in() -> None:
    planned = plan_reminders(
        [
            (SOON, [row("ann@example.org", Status.IN_PROGRESS)]),
            (PAST, [row("ann@example.org", Status.NOT_STARTED)]),
        ],
        recently_reminded=set(),
    )

    assert [p.email for p in planned] == ["ann@example.org"]
    assert [(b.cohort, b.courses_left) for b in planned[0].cohorts] == [
        ("Soon", ("practice",)),
        ("Past", ("practice",)),
    ]


def test_completed_deleted_accountless_and_recently_reminded_members_are_left_out() -> None:
    rows = [
        row("done@example.org", Status.COMPLETED),
        row("gone@example.org", Status.IN_PROGRESS, deleted=True),
        row("nobody@example.org", Status.NOT_STARTED, user_id=None),
        row("recent@example.org", Status.IN_PROGRESS),
        row("zed@example.org", Status.IN_PROGRESS),
        row("bea@example.org", Status.NOT_STARTED),
    ]

    planned = plan_reminders([(SOON, rows)], recently_reminded={"recent@example.org"})

    assert [p.email for p in planned] == ["bea@example.org", "zed@example.org"]
