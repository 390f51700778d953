"""Recording the audit trail: each event added to the transaction of what it records."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.accounts.signals import second_factor_changed
from lms.audit.actions import AuditAction
from lms.audit.models import ActionKey, AuditEvent
from lms.db import utcnow

if TYPE_CHECKING:
    from lms.accounts.models import User


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


BULK_CHUNK = 1_000
"""Events per INSERT of ``record_each``: few statements, a bounded number of parameters."""


def record_each(
    session: Session,
    actor: User | None,
    action: AuditAction,
    events: Iterable[tuple[str, dict[str, Any]]],
) -> int:
    """``record`` for many targets at once, as (target, details) pairs, in bulk INSERTs (a
    roster's thousands of invitations); how many were added."""
    via: dict[str, Any] = {"via": "cli"} if actor is None else {}
    now = utcnow()
    rows = [
        {
            "actor_id": actor.id if actor is not None else None,
            "action": action.value,
            "target": target,
            "details": {**via, **details},
            "created_at": now,
        }
        for target, details in events
    ]
    for start in range(0, len(rows), BULK_CHUNK):
        session.execute(insert(AuditEvent), rows[start : start + BULK_CHUNK])
    return len(rows)


def claim_action(session: Session, key: str, action: AuditAction) -> bool:
    """Claim a one-shot form's ``key`` for ``action``: False when it was claimed before.

    Call it first in the action's transaction, and act only on True. The key is the primary
    key, so of two transactions claiming it at once the second waits for the first; once
    that one commits, the second's insert fails and it does nothing (on PostgreSQL at READ
    COMMITTED as on SQLite). If the action fails and rolls back, the key is free again.
    """
    try:
        with session.begin_nested():
            session.add(ActionKey(key=key, action=action.value))
    except IntegrityError:
        return False
    return True


def connect_receivers() -> None:
    """Keep in the trail what accounts tell (lms.accounts.signals), which they cannot record."""
    second_factor_changed.connect(_on_second_factor_changed)


def _on_second_factor_changed(session: Session, *, user: User, change: str) -> None:
    record(session, user, AuditAction.SECOND_FACTOR_CHANGE, f"user:{user.id}", change=str(change))
