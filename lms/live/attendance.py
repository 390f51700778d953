"""Recording who attended a session: ticked by staff, or imported from the video platform's
report (all of it, or nothing when a line is wrong); each change re-checks the certificates
that count sessions (``signals.attendance_recorded``). Services: they never commit."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.accounts import queries as account_queries
from lms.audit import services as audit
from lms.audit.actions import AuditAction
from lms.errors import DomainError
from lms.live import signals
from lms.live.attendance_report import AttendanceReport, Platform
from lms.live.models import Attendance, AttendanceSource, LiveSession
from lms.live.registrations import lock_session

if TYPE_CHECKING:
    from lms.accounts.models import User


class SessionNotStarted(DomainError):
    status_code = 409
    message = lazy_gettext("This session has not started yet: attendance comes after it.")


class ReportNotValid(DomainError):
    message = lazy_gettext("The report has errors: nothing was imported.")


@dataclass(frozen=True)
class Recorded:
    present: int
    absent: int
    """Below the minimum minutes (an import), or not ticked."""


@dataclass(frozen=True)
class ImportedReport(Recorded):
    unknown: tuple[str, ...]
    """Addresses of the report that no account has (guests, presenters): left out."""
    without_address: int


def _require_started(live: LiveSession, now: datetime) -> None:
    if now < live.starts_at:
        raise SessionNotStarted


def _write(
    session: Session,
    live: LiveSession,
    states: Mapping[int, tuple[bool, int | None]],
    *,
    source: AttendanceSource,
    actor: User,
    now: datetime,
) -> list[int]:
    """Record ``states`` (user id -> present, minutes) for ``live``, only where they change
    what is recorded; the ids now present who were not. No minutes (a tick) that agree with
    what was recorded keep the minutes a report gave."""
    # Two staff members saving at once (an import, ticks) would both find no row for a
    # person and both insert one: the second waits here, then reads what the first wrote.
    lock_session(session, live)
    existing = {
        a.user_id: a
        for a in session.scalars(select(Attendance).where(Attendance.session_id == live.id))
    }
    newly_present = []
    for user_id, (present, minutes) in states.items():
        row = existing.get(user_id)
        if row is not None and row.present == present and minutes in (None, row.minutes):
            continue
        if present and (row is None or not row.present):
            newly_present.append(user_id)
        if row is None:
            row = Attendance(session_id=live.id, user_id=user_id)
            session.add(row)
        row.present, row.minutes, row.source = present, minutes, source
        row.recorded_at, row.recorded_by_id = now, actor.id
    session.flush()
    if newly_present:
        signals.attendance_recorded.send(session, user_ids=newly_present)
    return newly_present


def record_ticks(
    session: Session,
    live: LiveSession,
    listed: Collection[int],
    present: Collection[int],
    *,
    shown: Collection[int] | None = None,
    actor: User,
    now: datetime,
) -> Recorded:
    """Staff's ticks: of the people ``listed`` on the page, ``present`` were there, the
    others not (ticks change only what differs from what was recorded); audited. A box left
    as the page ``shown`` it (the ids shown present) keeps what was recorded since the page
    was made: a report imported meanwhile stands."""
    _require_started(live, now)
    ticked = set(present) & set(listed)
    recorded = set(
        session.scalars(select(Attendance.user_id).where(Attendance.session_id == live.id))
    )
    states = {
        user_id: (user_id in ticked, None)
        for user_id in listed
        if shown is None or user_id not in recorded or (user_id in shown) != (user_id in ticked)
    }
    _write(session, live, states, source=AttendanceSource.TICKED, actor=actor, now=now)
    result = Recorded(present=len(ticked), absent=len(set(listed)) - len(ticked))
    audit.record(
        session,
        actor,
        AuditAction.ATTENDANCE_RECORD,
        f"live_session:{live.id}",
        present=result.present,
        absent=result.absent,
    )
    return result


def import_report(
    session: Session,
    live: LiveSession,
    report: AttendanceReport,
    *,
    minimum_minutes: int,
    filename: str,
    actor: User,
    now: datetime,
) -> ImportedReport:
    """The report's attendees with an account, present when they stayed ``minimum_minutes``
    or more; in one transaction, or not at all (``ReportNotValid``). People the report does
    not name keep what was recorded (ticked by staff: a phone call, a shared screen)."""
    _require_started(live, now)
    if not report.ok or report.platform is None:
        raise ReportNotValid
    found = account_queries.account_keys_by_email(session, [a.email for a in report.attendees])
    known = {email: key for email, key in found.items() if not key.deleted}
    states = {
        known[a.email].id: (a.minutes >= minimum_minutes, a.minutes)
        for a in report.attendees
        if a.email in known
    }
    source = AttendanceSource.ZOOM if report.platform is Platform.ZOOM else AttendanceSource.TEAMS
    _write(session, live, states, source=source, actor=actor, now=now)
    present = sum(1 for is_present, _minutes in states.values() if is_present)
    result = ImportedReport(
        present=present,
        absent=len(states) - present,
        unknown=tuple(sorted(a.email for a in report.attendees if a.email not in known)),
        without_address=len(report.without_address),
    )
    audit.record(
        session,
        actor,
        AuditAction.ATTENDANCE_IMPORT,
        f"live_session:{live.id}",
        platform=report.platform.value,
        filename=filename[:255],
        minimum_minutes=minimum_minutes,
        present=result.present,
        absent=result.absent,
        unknown=len(result.unknown),
    )
    return result
