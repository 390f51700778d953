"""Roster imports in bulk: a whole file's accounts, roster lines, invitations (queued in the
outbox) and audit events in a few set-based statements of one transaction; the import jobs
that run them. Services: they never commit."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext
from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from lms.accounts import links
from lms.accounts import queries as account_queries
from lms.accounts import services as accounts
from lms.accounts.queries import AccountKey
from lms.audit import services as audit
from lms.audit.actions import AuditAction
from lms.cohorts import queries
from lms.cohorts.membership import RosterNotValid
from lms.cohorts.models import Cohort, CohortMembership, RosterImport
from lms.cohorts.queries import RosterLine
from lms.cohorts.roster import (
    Column,
    ProblemKind,
    Roster,
    RosterProblem,
    RosterRow,
    rows_to_json,
    shown,
)
from lms.db import rows_changed, utcnow
from lms.errors import DomainError
from lms.outbox import services as outbox

if TYPE_CHECKING:
    from lms.accounts.models import User

CHUNK = 1_000
"""Rows per bulk statement: few round trips, a bounded number of parameters each."""


@dataclass(frozen=True)
class Invitation:
    """An invitation owed to the account of one roster line."""

    account: AccountKey
    name: str


@dataclass(frozen=True)
class BulkImport:
    added: int
    updated: int
    """Lines of people already in the cohort, whose details were replaced by the file's."""
    linked: int
    """New members who already had an account."""
    invitations: tuple[Invitation, ...]
    """Owed, and queued in the outbox: new accounts, and members (new or not) without a
    password who were never invited into this cohort (or whose invitation was lost)."""

    @property
    def invited(self) -> int:
        return len(self.invitations)

    def summary(self) -> dict[str, int]:
        """The counts, as the audit trail's event and the progress page give them."""
        return {
            "added": self.added,
            "updated": self.updated,
            "linked": self.linked,
            "invited": self.invited,
        }


def import_roster(
    session: Session, cohort: Cohort, roster: Roster, *, actor: User | None, secret_key: str
) -> BulkImport:
    """Add or update the roster's people in ``cohort``, all at once or (with errors) not at all.

    Known addresses are linked to their accounts; for the others an account without a
    password is made. People already in the cohort keep their line, with the file's details;
    nobody is removed. Everyone of the file still owed an invitation gets one, queued in the
    outbox in this transaction (links signed with ``secret_key``) and audited each, since
    reminders wait after an invitation; the import is one event with its counts.
    """
    if not roster.ok:
        raise RosterNotValid
    lines = queries.roster_lines(session, cohort.id)
    known = account_queries.account_keys_by_email(session, [row.email for row in roster.rows])
    fresh = [row for row in roster.rows if row.email not in lines]
    linked = sum(1 for row in fresh if row.email in known)
    known.update(_new_accounts(session, [row for row in fresh if row.email not in known]))
    _insert_lines(session, cohort.id, fresh, known)
    updated = [row for row in roster.rows if row.email in lines]
    _update_lines(session, [(lines[row.email], row) for row in updated])
    owed = tuple(
        Invitation(known[row.email], row.name)
        for row in roster.rows
        if known[row.email].invitation_pending
        and (row.email not in lines or lines[row.email].invited_at is None)
    )
    _queue_invitations(session, cohort, owed, secret_key=secret_key)
    audit.record_each(
        session,
        actor,
        AuditAction.INVITATION_SEND,
        ((f"user:{i.account.id}", {"email": i.account.email}) for i in owed),
    )
    result = BulkImport(len(fresh), len(updated), linked, owed)
    audit.record(
        session, actor, AuditAction.ROSTER_IMPORT, f"cohort:{cohort.id}", **result.summary()
    )
    return result


def _new_accounts(session: Session, rows: Sequence[RosterRow]) -> dict[str, AccountKey]:
    invitees = [accounts.Invitee(row.email, row.name, row.sector) for row in rows]
    ids = accounts.create_invited_accounts(session, invitees)
    return {
        row.email: AccountKey(ids[row.email], row.email, None, None, row.name or None, False)
        for row in rows
    }


def _details(row: RosterRow) -> dict[str, Any]:
    return {
        "first_name": row.first_name,
        "last_name": row.last_name,
        "sector": row.sector.value,
        "fellowship_number": row.fellowship_number,
        "notes": row.notes,
    }


def _insert_lines(
    session: Session, cohort_id: int, rows: Sequence[RosterRow], known: Mapping[str, AccountKey]
) -> None:
    now = utcnow()
    values = [
        {
            "cohort_id": cohort_id,
            "user_id": known[row.email].id,
            "email": row.email,
            "added_at": now,
            **_details(row),
        }
        for row in rows
    ]
    for start in range(0, len(values), CHUNK):
        session.execute(insert(CohortMembership), values[start : start + CHUNK])


def _update_lines(session: Session, pairs: Sequence[tuple[RosterLine, RosterRow]]) -> None:
    # Only the lines the file changes: a file imported again writes nothing.
    values = [
        {"id": line.id, **details}
        for line, row in pairs
        if (details := _details(row)) != _line_details(line)
    ]
    for start in range(0, len(values), CHUNK):
        session.execute(update(CohortMembership), values[start : start + CHUNK])


def _line_details(line: RosterLine) -> dict[str, Any]:
    return {
        "first_name": line.first_name,
        "last_name": line.last_name,
        "sector": line.sector,
        "fellowship_number": line.fellowship_number,
        "notes": line.notes,
    }


def _queue_invitations(
    session: Session, cohort: Cohort, owed: Sequence[Invitation], *, secret_key: str
) -> None:
    """Queue ``owed``'s mails a batch at a time (20,000 rendered mails would be 40 MB) and
    mark their lines as invited: the outbox sends them once this transaction commits."""
    now = utcnow()
    for start in range(0, len(owed), CHUNK):
        batch = owed[start : start + CHUNK]
        pairs = ((invitation.account, invitation.name) for invitation in batch)
        outbox.enqueue(
            session, links.invitation_mails(pairs, secret_key=secret_key, cohort=cohort.name)
        )
        emails = [invitation.account.email for invitation in batch]
        session.execute(
            update(CohortMembership)
            .where(
                CohortMembership.cohort_id == cohort.id,
                CohortMembership.email.in_(account_queries.literal_values(emails)),
            )
            .values(invited_at=now)
            .execution_options(synchronize_session=False)
        )


class ImportStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    """With ``problems`` when the file has errors; without, when the import itself failed."""


INTERRUPTED_AFTER = timedelta(minutes=10)
"""A job still running after this was stopped (a worker killed): its transaction rolled
back, nothing was imported. Imports take seconds."""


class ImportNotFound(DomainError):
    status_code = 404
    message = lazy_gettext("There is no roster import at this address.")


def queue_import(
    session: Session,
    cohort: Cohort,
    *,
    filename: str,
    rows: Sequence[RosterRow],
    actor: User | None,
) -> RosterImport:
    """A job to import ``rows`` (a file's lines, checked) into ``cohort``; queue it on
    ``lms.jobs`` once committed."""
    job = RosterImport(
        cohort_id=cohort.id,
        actor_id=actor.id if actor is not None else None,
        filename=filename[:255],
        data=rows_to_json(rows),
        status=ImportStatus.QUEUED.value,
        rows_checked=len(rows),
    )
    session.add(job)
    session.flush()
    return job


def find_import(session: Session, cohort: Cohort, import_id: int) -> RosterImport:
    job = session.get(RosterImport, import_id)
    if job is None or job.cohort_id != cohort.id:
        raise ImportNotFound
    return job


def claim_import(session: Session, import_id: int) -> RosterImport | None:
    """Mark the queued job ``import_id`` as running; None if it is not queued (any more):
    a job run twice (a retry, two consumers) imports once."""
    claimed = (
        update(RosterImport)
        .where(RosterImport.id == import_id, RosterImport.status == ImportStatus.QUEUED.value)
        .values(status=ImportStatus.RUNNING.value)
        .execution_options(synchronize_session=False)
    )
    if rows_changed(session, claimed) != 1:
        return None
    return session.get(RosterImport, import_id)


def finish_import(
    job: RosterImport, result: BulkImport | None, problems: Sequence[RosterProblem] = ()
) -> None:
    """Record how ``job`` ended: ``result`` written, or refused for ``problems`` (none: it
    failed). Its file goes: it holds names and addresses, and the lines hold them now."""
    job.data = None
    job.finished_at = utcnow()
    if result is None:
        job.status = ImportStatus.FAILED.value
        job.problems = [[p.line, p.kind.value, p.column, p.value] for p in problems]
        return
    job.status = ImportStatus.DONE.value
    job.rows_written = result.added + result.updated
    job.invitations_queued = result.invited
    job.summary = result.summary()


@dataclass(frozen=True)
class ImportProgress:
    """What the progress page shows of one import."""

    id: int
    filename: str
    status: ImportStatus
    interrupted: bool
    """Still running long after it should have ended: stopped, with nothing imported."""
    rows_checked: int
    rows_written: int
    invitations_queued: int
    added: int
    updated: int
    problems: tuple[RosterProblem, ...]

    @property
    def finished(self) -> bool:
        return self.interrupted or self.status in (ImportStatus.DONE, ImportStatus.FAILED)


def progress_of(job: RosterImport, *, now: datetime) -> ImportProgress:
    status = ImportStatus(job.status)
    return ImportProgress(
        id=job.id,
        filename=shown(job.filename),
        status=status,
        interrupted=status is ImportStatus.RUNNING and now - job.created_at > INTERRUPTED_AFTER,
        rows_checked=job.rows_checked,
        rows_written=job.rows_written,
        invitations_queued=job.invitations_queued,
        added=int(job.summary.get("added", 0)),
        updated=int(job.summary.get("updated", 0)),
        problems=tuple(
            RosterProblem(line, ProblemKind(kind), Column(column) if column else None, value)
            for line, kind, column, value in job.problems
        ),
    )
