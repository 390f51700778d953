"""The audit trail's part of privacy: a person's address and names redacted from past events."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from sqlalchemy import String, cast, or_, select, update
from sqlalchemy.orm import Session

from lms.audit.actions import AuditAction
from lms.audit.models import AuditEvent

if TYPE_CHECKING:
    from lms.accounts.models import User

REDACTED = "[deleted]"


def erase_learner(session: Session, user: User) -> None:
    """Redact ``user``'s address from the trail, and the reasons staff gave for revoking
    their certificates (free text may name them). Call it before the address is replaced.

    Events keep their actor ids. A bulk UPDATE, which the trail's guard against changes by
    the app allows: erasing personal data is the law's exception to "only ever add".
    """
    email = user.email
    mentioning = session.execute(
        select(AuditEvent.id, AuditEvent.target, AuditEvent.details).where(
            or_(
                cast(AuditEvent.details, String).contains(email, autoescape=True),
                AuditEvent.target.contains(email, autoescape=True),
            )
        )
    )
    for event_id, target, details in mentioning:
        session.execute(
            update(AuditEvent)
            .where(AuditEvent.id == event_id)
            .values(target=target.replace(email, REDACTED), details=_redacted(details, email))
            .execution_options(synchronize_session=False)
        )
    _redact_revocation_reasons(session, user)


def _redact_revocation_reasons(session: Session, user: User) -> None:
    # Staff write a revocation's reason freely, and may name the person in it.
    revocations = session.execute(
        select(AuditEvent.id, AuditEvent.details).where(
            AuditEvent.action == AuditAction.CERTIFICATE_REVOKE.value,
            AuditEvent.details["user"].as_integer() == user.id,
        )
    )
    for event_id, details in revocations:
        if "reason" in details:
            session.execute(
                update(AuditEvent)
                .where(AuditEvent.id == event_id)
                .values(details={**details, "reason": REDACTED})
                .execution_options(synchronize_session=False)
            )


def _redacted(value: Any, email: str) -> Any:
    """``value`` (JSON) with every occurrence of ``email`` in its strings replaced."""
    text = json.dumps(value, ensure_ascii=False)
    if email not in text:
        return value
    if isinstance(value, str):
        return value.replace(email, REDACTED)
    if isinstance(value, list):
        return [_redacted(v, email) for v in value]
    if isinstance(value, dict):
        return {k.replace(email, REDACTED): _redacted(v, email) for k, v in value.items()}
    return value
