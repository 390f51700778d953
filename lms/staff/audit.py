"""The audit trail: staff and admin actions recorded as they happen, and read with filters."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload

from lms.accounts.models import User
from lms.staff.models import AuditEvent

PER_PAGE = 50

_S = TypeVar("_S", bound=Select[Any])


class AuditAction(enum.StrEnum):
    COHORT_CREATE = "cohort.create"
    ROSTER_IMPORT = "roster.import"
    INVITATION_SEND = "invitation.send"
    ROLE_CHANGE = "role.change"
    REPORT_EXPORT = "report.export"
    REMINDER_SEND = "reminder.send"
    CERTIFICATE_REVOKE = "certificate.revoke"
    CERTIFICATE_REISSUE = "certificate.reissue"
    ACCOUNT_DELETE = "account.delete"
    """A person deleted their own account (lms.privacy); no address is recorded."""
    PRIVACY_PURGE = "privacy.purge"
    """Inactive accounts deleted by the retention rule (``lms privacy purge``)."""


ACTION_LABELS = {
    AuditAction.COHORT_CREATE: _l("Cohort created"),
    AuditAction.ROSTER_IMPORT: _l("Roster imported"),
    AuditAction.INVITATION_SEND: _l("Invitation sent"),
    AuditAction.ROLE_CHANGE: _l("Role changed"),
    AuditAction.REPORT_EXPORT: _l("Report exported"),
    AuditAction.REMINDER_SEND: _l("Reminders sent"),
    AuditAction.CERTIFICATE_REVOKE: _l("Certificate revoked"),
    AuditAction.CERTIFICATE_REISSUE: _l("Certificate reissued"),
    AuditAction.ACCOUNT_DELETE: _l("Account deleted"),
    AuditAction.PRIVACY_PURGE: _l("Inactive accounts deleted"),
}


def record(
    session: Session, actor: User | None, action: AuditAction, target: str, **details: Any
) -> AuditEvent:
    """Add one event: ``actor`` (None for the command line) did ``action`` to ``target``.

    ``details`` must be JSON values. Added to the caller's transaction, so that the
    event is kept exactly when what it records is.
    """
    if actor is None:
        # The command line is the only way to act without signing in: say so, since a NULL
        # actor alone could also be an account deleted since.
        details = {"via": "cli", **details}
    event = AuditEvent(
        actor_id=actor.id if actor is not None else None,
        action=action.value,
        target=target,
        details=details,
    )
    session.add(event)
    return event


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    """Part of the actor's email address; empty for everyone."""
    action: AuditAction | None = None
    since: datetime | None = None
    until: datetime | None = None
    """Exclusive."""


@dataclass(frozen=True)
class AuditPage:
    events: tuple[AuditEvent, ...]
    """Newest first, each with its actor loaded."""
    number: int
    pages: int
    total: int


def find_events(
    session: Session, filters: AuditFilter, page: int = 1, per_page: int = PER_PAGE
) -> AuditPage:
    """One page of the events ``filters`` keep: two queries, whatever the trail's length."""
    query = _filtered(select(AuditEvent), filters)
    total = session.scalar(_filtered(select(func.count(AuditEvent.id)), filters)) or 0
    pages = max(1, -(-total // per_page))
    number = min(max(1, page), pages)
    events = session.scalars(
        query.options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(per_page)
        .offset((number - 1) * per_page)
    )
    return AuditPage(tuple(events), number, pages, total)


def _filtered(query: _S, filters: AuditFilter) -> _S:
    if filters.actor.strip():
        pattern = contains_pattern(filters.actor.strip().lower())
        query = query.join(User, AuditEvent.actor_id == User.id).where(
            User.email.like(pattern, escape="\\")
        )
    if filters.action is not None:
        query = query.where(AuditEvent.action == filters.action.value)
    if filters.since is not None:
        query = query.where(AuditEvent.created_at >= filters.since)
    if filters.until is not None:
        query = query.where(AuditEvent.created_at < filters.until)
    return query


def contains_pattern(text: str) -> str:
    """A LIKE pattern (escaped with a backslash) for values containing ``text`` literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
