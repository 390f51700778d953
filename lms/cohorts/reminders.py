"""Who gets a reminder: members behind in cohorts due soon, one mail per address, and who is
skipped for having had a mail lately; pure."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from lms.cohorts.dashboard import MemberRow, Status


@dataclass(frozen=True)
class DueCohort:
    """A cohort whose members a reminder may concern (its due date, or a member's own, is
    within the window or past)."""

    id: int
    name: str
    due_date: date | None
    certificate_id: str | None = None
    sessions_required: int = 0
    """Live sessions its certificate requires attended (``requires_sessions``)."""


@dataclass(frozen=True)
class Behind:
    """One cohort a learner has not completed, due soon or past."""

    cohort_id: int
    cohort: str
    due_date: date
    courses_left: tuple[str, ...]
    """Ids of the required courses not completed."""
    certificate_id: str | None = None
    sessions_missing: int = 0
    """Live sessions still to attend for the cohort's certificate."""


@dataclass
class PlannedReminder:
    """One mail to one learner, about every cohort they are behind in."""

    email: str
    user_id: int
    name: str
    language: str | None
    invitation_pending: bool
    cohorts: list[Behind] = field(default_factory=list)


class SkipReason(enum.StrEnum):
    REMINDED = "reminded"
    """A reminder went to the address within the interval (about any cohort)."""
    INVITED = "invited"
    """An invitation went to them within the interval: a reminder now would follow it."""


@dataclass(frozen=True)
class Skipped:
    """A member behind who gets no reminder this time, and why."""

    email: str
    name: str
    reason: SkipReason
    since: datetime
    """When the reminder or invitation that holds this one back was sent."""


@dataclass(frozen=True)
class ReminderPlan:
    reminders: list[PlannedReminder]
    """By address."""
    skipped: list[Skipped]
    """By address."""


def plan_reminders(
    cohorts: Iterable[tuple[DueCohort, Iterable[MemberRow]]],
    reminded: Mapping[str, datetime],
    invited: Mapping[int, datetime],
    *,
    horizon: date,
) -> ReminderPlan:
    """The reminders to send for ``cohorts`` (each with its members' rows): to members not
    completed, with an account, whose due date (their own, else the cohort's) is ``horizon``
    or sooner; one per address, even for someone behind in two cohorts. Members ``reminded``
    (by address) or ``invited`` (by user id) lately are skipped, with the reason."""
    planned: dict[str, PlannedReminder] = {}
    skipped: dict[str, Skipped] = {}
    for cohort, rows in cohorts:
        for row in rows:
            member = row.member
            if (
                row.status is Status.COMPLETED
                or member.user_id is None
                or member.deleted
                or row.due_date is None
                or row.due_date > horizon
            ):
                continue
            held = _held_back(member.email, member.user_id, reminded, invited)
            if held is not None:
                skipped.setdefault(member.email, Skipped(member.email, member.name, *held))
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
            missing = max(0, cohort.sessions_required - (row.sessions_attended or 0))
            reminder.cohorts.append(
                Behind(cohort.id, cohort.name, row.due_date, left, cohort.certificate_id, missing)
            )
    return ReminderPlan(
        sorted(planned.values(), key=lambda r: r.email),
        sorted(skipped.values(), key=lambda s: s.email),
    )


def _held_back(
    email: str, user_id: int, reminded: Mapping[str, datetime], invited: Mapping[int, datetime]
) -> tuple[SkipReason, datetime] | None:
    if email in reminded:
        return SkipReason.REMINDED, reminded[email]
    if user_id in invited:
        return SkipReason.INVITED, invited[user_id]
    return None
