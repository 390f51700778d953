"""Cohort rules: creating, changing and archiving cohorts, exporting the dashboard, reminding
members who are behind (rosters and members: ``lms.cohorts.membership``)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, TypeAlias

from flask_babel import lazy_gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.accounts import queries as account_queries
from lms.accounts import services as accounts
from lms.accounts.tokens import Purpose
from lms.audit import queries as audit_queries
from lms.audit import services as audit
from lms.audit.actions import AuditAction
from lms.cohorts import exports, mails, queries, reminders, wording
from lms.cohorts.dashboard import ReportQuery
from lms.cohorts.exports import CsvDialect
from lms.cohorts.models import Cohort, Reminder
from lms.cohorts.reminders import PlannedReminder, ReminderPlan
from lms.config import Settings
from lms.content import Catalog
from lms.errors import DomainError
from lms.i18n import language_or_default
from lms.live import queries as live
from lms.mail import Mail
from lms.periods import local_date

if TYPE_CHECKING:
    from lms.accounts.models import User
    from lms.live.models import LiveSession


class CohortNotFound(DomainError):
    status_code = 404
    message = lazy_gettext("There is no cohort at this address.")


class CohortNameTaken(DomainError):
    status_code = 409
    message = lazy_gettext("A cohort with this name already exists. Choose another name.")


class CertificateNotFound(DomainError):
    message = lazy_gettext("There is no certificate with this id in the catalogue.")


class UnknownCsvDialect(DomainError):
    message = lazy_gettext(
        "This download link asks for an unknown CSV convention. Download the file again "
        "from the cohort’s page."
    )


def create_cohort(
    session: Session,
    catalog: Catalog,
    *,
    name: str,
    certificate_id: str,
    due_date: date | None,
    actor: User | None,
) -> Cohort:
    """Add a cohort working towards ``certificate_id``; its name must be unique."""
    name = name.strip()
    if certificate_id not in catalog.certificates:
        raise CertificateNotFound
    cohort = Cohort(name=name, certificate_id=certificate_id, due_date=due_date)
    try:
        # The unique name, not a look-up, settles two staff creating the same cohort at once.
        with session.begin_nested():
            session.add(cohort)
    except IntegrityError:
        raise CohortNameTaken from None
    audit.record(
        session,
        actor,
        AuditAction.COHORT_CREATE,
        f"cohort:{cohort.id}",
        name=name,
        certificate=certificate_id,
        due_date=due_date.isoformat() if due_date else None,
    )
    return cohort


def update_cohort(
    session: Session,
    catalog: Catalog,
    cohort: Cohort,
    *,
    name: str,
    certificate_id: str,
    due_date: date | None,
    actor: User,
) -> bool:
    """Rename ``cohort``, or change its certificate or due date; the changes audited with
    what they replace. False when nothing changed (and nothing is recorded)."""
    name = name.strip()
    if certificate_id != cohort.certificate_id and certificate_id not in catalog.certificates:
        raise CertificateNotFound
    before = {
        "name": cohort.name,
        "certificate": cohort.certificate_id,
        "due_date": cohort.due_date,
    }
    after = {"name": name, "certificate": certificate_id, "due_date": due_date}
    changed = {key for key in after if after[key] != before[key]}
    if not changed:
        return False
    cohort.name, cohort.certificate_id, cohort.due_date = name, certificate_id, due_date
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise CohortNameTaken from None
    details: dict[str, str | None] = {}
    for key in sorted(changed):
        details[key] = _json(after[key])
        details[f"previous_{key}"] = _json(before[key])
    audit.record(session, actor, AuditAction.COHORT_UPDATE, f"cohort:{cohort.id}", **details)
    return True


def _json(value: str | date | None) -> str | None:
    return value.isoformat() if isinstance(value, date) else value


def set_archived(
    session: Session, cohort: Cohort, archived: bool, *, actor: User, now: datetime
) -> None:
    """Archive ``cohort`` (off the default list and the reminders; its dashboard and exports
    stay) or bring it back; audited."""
    cohort.archived_at = now if archived else None
    action = AuditAction.COHORT_ARCHIVE if archived else AuditAction.COHORT_UNARCHIVE
    audit.record(session, actor, action, f"cohort:{cohort.id}")


def find_cohort(session: Session, cohort_id: int) -> Cohort:
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise CohortNotFound
    return cohort


def find_cohort_by_reference(session: Session, reference: str) -> Cohort:
    """The cohort named ``reference``, or with that id: what the command line accepts."""
    cohort = session.scalar(select(Cohort).where(Cohort.name == reference.strip()))
    if cohort is None and reference.strip().isdigit():
        cohort = session.get(Cohort, int(reference.strip()))
    if cohort is None:
        raise CohortNotFound
    return cohort


def plan_reminders(
    session: Session,
    catalog: Catalog,
    settings: Settings,
    *,
    now: datetime,
    cohort: Cohort | None = None,
) -> list[PlannedReminder]:
    """Who would get a reminder now (see ``reminder_plan``); changes nothing."""
    return reminder_plan(session, catalog, settings, now=now, cohort=cohort).reminders


def reminder_plan(
    session: Session,
    catalog: Catalog,
    settings: Settings,
    *,
    now: datetime,
    cohort: Cohort | None = None,
) -> ReminderPlan:
    """Who would get a reminder now, and who is skipped: members not completed whose due
    date (their own, else their cohort's) is within the settings' window or past, with an
    account; skipped if reminded (by address, about any cohort) or invited within the
    settings' interval. Only ``cohort`` if given, else every cohort; never an archived one.
    Changes nothing.
    """
    day = local_date(now, settings.zone)
    horizon = day + timedelta(days=settings.reminder_window_days)
    candidates = [cohort] if cohort is not None else queries.cohorts_due_by(session, horizon)
    candidates = [c for c in candidates if c.archived_at is None]
    # A generator: each cohort's report is read as the plan reaches it.
    reports = (
        (
            reminders.DueCohort(
                c.id, c.name, c.due_date, c.certificate_id, found.sessions_required
            ),
            found.rows,
        )
        for c in candidates
        for found in (queries.cohort_report(session, c, catalog, on=day),)
    )
    since = now - timedelta(days=settings.reminder_interval_days)
    invited = {
        int(target.removeprefix("user:")): sent_at
        for target, sent_at in audit_queries.latest_by_target(
            session, AuditAction.INVITATION_SEND, since
        ).items()
        if target.removeprefix("user:").isdigit()
    }
    recent = queries.recently_reminded(session, since)
    return reminders.plan_reminders(reports, recent, invited, horizon=horizon)


def record_reminders(
    session: Session,
    catalog: Catalog,
    planned: list[PlannedReminder],
    *,
    actor: User | None,
    now: datetime,
    secret_key: str,
) -> list[Mail]:
    """Record ``planned`` as sent now and write their mails, to send once committed; the
    links of pending invitations are signed with ``secret_key``."""
    pending = {r.user_id for r in planned if r.invitation_pending}
    users = account_queries.users_by_id(session, pending) if pending else {}
    to_come = sessions_to_come(session, catalog, planned, now=now)
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
        pending_user = users.get(reminder.user_id)
        written.append(_reminder_mail(catalog, reminder, pending_user, secret_key, to_come))
    for cohort_id, count in sorted(sent_per_cohort.items()):
        audit.record(
            session, actor, AuditAction.REMINDER_SEND, f"cohort:{cohort_id}", recipients=count
        )
    return written


def reminder_previews(
    session: Session,
    catalog: Catalog,
    reminder: PlannedReminder,
    languages: tuple[str, ...],
    *,
    now: datetime,
) -> dict[str, Mail]:
    """The mail ``reminder`` would be, in each of ``languages``, for staff to read before
    sending: the real template, without an invitation link (none is made for a preview)."""
    to_come = sessions_to_come(session, catalog, [reminder], now=now)
    return {
        language: _reminder_mail(catalog, reminder, None, "", to_come, language=language)
        for language in languages
    }


SessionsToCome: TypeAlias = "dict[tuple[int, int], list[LiveSession]]"
"""By (user id, cohort id): the sessions a reminder names."""


def sessions_to_come(
    session: Session, catalog: Catalog, planned: list[PlannedReminder], *, now: datetime
) -> SessionsToCome:
    """The live sessions to come that each reminder's reader still has to attend for each
    cohort's certificate: two queries per certificate, whatever the number of people."""
    wanted: dict[str, dict[int, list[int]]] = {}
    for reminder in planned:
        for behind in reminder.cohorts:
            if behind.sessions_missing and behind.certificate_id:
                by_user = wanted.setdefault(behind.certificate_id, {})
                by_user.setdefault(reminder.user_id, []).append(behind.cohort_id)
    found: SessionsToCome = {}
    for certificate_id, by_user in wanted.items():
        definition = catalog.certificates.get(certificate_id)
        if definition is None or definition.requires_sessions is None:
            continue
        requirement = definition.requires_sessions
        for user_id, sessions in live.sessions_to_attend(
            session, requirement, by_user.keys(), now=now
        ).items():
            for cohort_id in by_user[user_id]:
                found[(user_id, cohort_id)] = sessions
    return found


def _reminder_mail(
    catalog: Catalog,
    reminder: PlannedReminder,
    pending_user: User | None,
    secret_key: str,
    to_come: SessionsToCome,
    *,
    language: str | None = None,
) -> Mail:
    language = language or language_or_default(reminder.language)

    def title(course_id: str) -> str:
        course = catalog.course(course_id)
        return course.title.get(language) if course is not None else course_id

    return mails.reminder_mail(
        to=reminder.email,
        language=language,
        name=reminder.name or reminder.email,
        items=tuple(
            mails.ReminderItem(
                b.cohort,
                b.due_date,
                tuple(title(c) for c in b.courses_left),
                b.sessions_missing,
                tuple(
                    mails.session_line(live, language)
                    for live in to_come.get((reminder.user_id, b.cohort_id), ())
                ),
            )
            for b in reminder.cohorts
        ),
        invitation_token=(
            accounts.link_token(pending_user, Purpose.ACCEPT_INVITATION, secret_key)
            if pending_user is not None
            else None
        ),
    )


EXPORT_TYPES = {
    # send_file adds "; charset=utf-8" to a text type itself.
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Export:
    """A cohort's dashboard written as a file."""

    content: bytes
    mimetype: str
    filename: str
    rows: int


def export_report(
    session: Session,
    catalog: Catalog,
    cohort: Cohort,
    query: ReportQuery,
    *,
    kind: str,
    language: str,
    csv_dialect: CsvDialect,
    zone: tzinfo,
    now: datetime,
    actor: User | None,
) -> Export:
    """``cohort``'s dashboard with ``query``'s filters and order (every page) as a ``kind``
    file (csv, in ``csv_dialect``'s convention, or xlsx), headers in the current locale and
    course titles in ``language``; recorded in the audit trail. The page's download and
    ``lms report cohort`` both call it.
    """
    day = local_date(now, zone)
    data = queries.cohort_report(session, cohort, catalog, on=day)
    table = wording.report_table(data, query, language, zone)
    content = exports.to_csv(table, csv_dialect) if kind == "csv" else exports.to_xlsx(table)
    audit.record(
        session,
        actor,
        AuditAction.REPORT_EXPORT,
        f"cohort:{cohort.id}",
        format=kind,
        filters=query.args(page=1),
        rows=len(table.rows),
    )
    filename = f"{_slug(cohort.name)}-{day.isoformat()}.{kind}"
    return Export(content, EXPORT_TYPES[kind], filename, len(table.rows))


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "-", ascii_text).strip("-").lower() or "cohort"
