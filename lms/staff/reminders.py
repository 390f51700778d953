"""Reminders to cohort members who are behind: who gets one; recorded, so none come too often."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.accounts.models import User
from lms.config import Settings
from lms.content import Catalog
from lms.i18n import language_or_default
from lms.mail import Mail
from lms.staff import audit, invitations, mails, reporting
from lms.staff.audit import AuditAction
from lms.staff.models import Cohort, Reminder
from lms.staff.report import Status


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
    session: Session,
    catalog: Catalog,
    settings: Settings,
    *,
    now: datetime,
    cohort: Cohort | None = None,
) -> list[PlannedReminder]:
    """Who would get a reminder now: members not completed in a cohort due within the window
    (or past due), who have an account and got no reminder within the interval.

    Only ``cohort`` if given, else every cohort with a due date. One mail per address, even
    for someone behind in two cohorts. Changes nothing.
    """
    day = reporting.today()
    horizon = day + timedelta(days=settings.reminder_window_days)
    cohorts = [cohort] if cohort is not None else _cohorts_with_due_dates(session)
    recent = _recently_reminded(session, now - timedelta(days=settings.reminder_interval_days))
    planned: dict[str, PlannedReminder] = {}
    for each in cohorts:
        if each.due_date is None or each.due_date > horizon:
            continue
        data = reporting.cohort_report(session, each, catalog, on=day)
        for row in data.rows:
            member = row.member
            if (
                row.status is Status.COMPLETED
                or member.user_id is None
                or member.deleted
                or member.email in recent
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
            reminder.cohorts.append(Behind(each.id, each.name, each.due_date, left))
    return sorted(planned.values(), key=lambda r: r.email)


def record_reminders(
    session: Session,
    catalog: Catalog,
    planned: list[PlannedReminder],
    *,
    actor: User | None,
    now: datetime,
) -> list[Mail]:
    """Record ``planned`` as sent now and write their mails, to send once committed."""
    pending = {r.user_id for r in planned if r.invitation_pending}
    users = (
        {u.id: u for u in session.scalars(select(User).where(User.id.in_(pending)))}
        if pending
        else {}
    )
    sent_per_cohort: dict[int, int] = {}
    written = []
    for reminder in planned:
        for behind in reminder.cohorts:
            session.add(
                Reminder(
                    cohort_id=behind.cohort_id,
                    user_id=reminder.user_id,
                    email=reminder.email,
                    sent_at=now,
                    sent_by_id=actor.id if actor is not None else None,
                )
            )
            sent_per_cohort[behind.cohort_id] = sent_per_cohort.get(behind.cohort_id, 0) + 1
        written.append(_mail(catalog, reminder, users.get(reminder.user_id)))
    for cohort_id, count in sorted(sent_per_cohort.items()):
        audit.record(
            session, actor, AuditAction.REMINDER_SEND, f"cohort:{cohort_id}", recipients=count
        )
    return written


def _mail(catalog: Catalog, reminder: PlannedReminder, pending_user: User | None) -> Mail:
    language = language_or_default(reminder.language)

    def title(course_id: str) -> str:
        course = catalog.course(course_id)
        return course.title.get(language) if course is not None else course_id

    return mails.reminder_mail(
        to=reminder.email,
        language=language,
        name=reminder.name or reminder.email,
        items=tuple(
            mails.ReminderItem(b.cohort, b.due_date, tuple(title(c) for c in b.courses_left))
            for b in reminder.cohorts
        ),
        invitation_token=(
            invitations.invitation_token(pending_user) if pending_user is not None else None
        ),
    )


def _cohorts_with_due_dates(session: Session) -> list[Cohort]:
    return list(
        session.scalars(select(Cohort).where(Cohort.due_date.is_not(None)).order_by(Cohort.name))
    )


def _recently_reminded(session: Session, since: datetime) -> set[str]:
    return set(session.scalars(select(Reminder.email).where(Reminder.sent_at >= since)))
