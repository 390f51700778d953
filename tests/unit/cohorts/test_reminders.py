"""Who gets a reminder, from the rows of cohorts due soon: pure, no app."""

from __future__ import annotations

from datetime import UTC, date, datetime

from lms.cohorts.dashboard import CourseCell, Member, MemberRow, Status
from lms.cohorts.reminders import DueCohort, SkipReason, plan_reminders

SOON = DueCohort(1, "Soon", date(2026, 12, 7))
PAST = DueCohort(2, "Past", date(2026, 11, 29))
HORIZON = date(2026, 12, 10)
"""Today plus the reminder window: due dates after it are not near yet."""
LATELY = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)


def row(
    email: str,
    status: Status,
    *,
    user_id: int | None = 1,
    deleted: bool = False,
    due: date = date(2026, 12, 7),
) -> MemberRow:
    member = Member(1, user_id, email, "Ann", "Lee", "health", None, "fr", False, deleted)
    cells = (
        CourseCell("basics", Status.COMPLETED, 100, None),
        CourseCell("practice", status, 0, None),
    )
    return MemberRow(member, cells, status, 50, None, None, False, due_date=due)


def test_one_mail_per_address_names_every_cohort_it_is_behind_in() -> None:
    planned = plan_reminders(
        [
            (SOON, [row("ann@example.org", Status.IN_PROGRESS)]),
            (PAST, [row("ann@example.org", Status.NOT_STARTED, due=PAST.due_date)]),
        ],
        {},
        {},
        horizon=HORIZON,
    ).reminders

    assert [p.email for p in planned] == ["ann@example.org"]
    assert [(b.cohort, b.due_date, b.courses_left) for b in planned[0].cohorts] == [
        ("Soon", SOON.due_date, ("practice",)),
        ("Past", PAST.due_date, ("practice",)),
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

    plan = plan_reminders([(SOON, rows)], {"recent@example.org": LATELY}, {}, horizon=HORIZON)

    assert [p.email for p in plan.reminders] == ["bea@example.org", "zed@example.org"]
    assert [(s.email, s.reason, s.since) for s in plan.skipped] == [
        ("recent@example.org", SkipReason.REMINDED, LATELY)
    ]


def test_members_invited_lately_are_skipped_and_said_so() -> None:
    rows = [
        row("new@example.org", Status.NOT_STARTED, user_id=7),
        row("old@example.org", Status.NOT_STARTED, user_id=8),
    ]

    plan = plan_reminders([(SOON, rows)], {}, {7: LATELY}, horizon=HORIZON)

    assert [p.email for p in plan.reminders] == ["old@example.org"]
    assert [(s.email, s.name, s.reason) for s in plan.skipped] == [
        ("new@example.org", "Ann Lee", SkipReason.INVITED)
    ]


def test_a_members_own_due_date_decides_whether_it_is_near() -> None:
    rows = [
        row("extended@example.org", Status.IN_PROGRESS, due=date(2027, 3, 1)),
        row("early@example.org", Status.IN_PROGRESS, due=date(2026, 12, 1)),
    ]

    plan = plan_reminders([(DueCohort(3, "Later", None), rows)], {}, {}, horizon=HORIZON)

    assert [(p.email, p.cohorts[0].due_date) for p in plan.reminders] == [
        ("early@example.org", date(2026, 12, 1))
    ]
    assert plan.skipped == []
