"""Who gets a reminder: members behind in cohorts due soon, one mail per address; pure."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date

from lms.cohorts.dashboard import MemberRow, Status


@dataclass(frozen=True)
class DueCohort:
    """A cohort whose due date is within the reminder window, or past."""

    id: int
    name: str
    due_date: date


@dataclass(frozen=True)
class Behind:
    """One cohort a learner has not completed, due soon or past."""

    cohort_id: int
    cohort: str
    due_date: date
    courses_left: tuple[str, ...]
    """Ids of the required courses not completed."""


@dataclass
class PlannedReminder:
    """One mail to one learner, about every cohort they are behind in."""

    email: str
    user_id: int
    name: str
    language: str | None
    invitation_pending: bool
    cohorts: list[Behind] = field(default_factory=list)


def plan_reminders(
    cohorts: Iterable[tuple[DueCohort, Iterable[MemberRow]]], recently_reminded: Collection[str]
) -> list[PlannedReminder]:
    """The reminders to send for ``cohorts`` (each with its members' rows): to members not
    completed, with an account, and not reminded recently; one per address, even for someone
    behind in two cohorts, by address."""
    planned: dict[str, PlannedReminder] = {}
    for cohort, rows in cohorts:
        for row in rows:
            member = row.member
            if (
                row.status is Status.COMPLETED
                or member.user_id is None
                or member.deleted
                or member.email in recently_reminded
            ):
                continue
            reminder = planned.setdefault(
                member.email,
                PlannedReminder(
                    email=member.email,
                    user_id=member.user_id,
                    name=member.name,
                    language=member.language,
                    invitation_pending=member.invitation_pending,
                ),
            )
            left = tuple(c.course_id for c in row.courses if c.status is not Status.COMPLETED)
            reminder.cohorts.append(Behind(cohort.id, cohort.name, cohort.due_date, left))
    return sorted(planned.values(), key=lambda r: r.email)
