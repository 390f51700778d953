"""Recording the audit trail: each event added to the transaction of what it records."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from lms.audit.actions import AuditAction
from lms.audit.models import AuditEvent

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
