"""Staff's part of privacy: a person's roster lines and reminders, and anonymising them."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import String, cast, or_, select, update
from sqlalchemy.orm import Session

from lms.accounts.models import User
from lms.accounts.privacy import iso, placeholder_email
from lms.staff.audit import AuditAction
from lms.staff.models import AuditEvent, Cohort, CohortMembership, Reminder

REDACTED = "[deleted]"


def learner_data(session: Session, user: User) -> dict[str, Any]:
    """``user``'s cohort memberships, as the staff's roster recorded them, and reminders."""
    memberships = session.execute(
        select(CohortMembership, Cohort.name)
        .join(Cohort, CohortMembership.cohort_id == Cohort.id)
        .where(_own_membership(user))
        .order_by(CohortMembership.id)
    )
    reminders = session.execute(
        select(Reminder, Cohort.name)
        .join(Cohort, Reminder.cohort_id == Cohort.id)
        .where(or_(Reminder.user_id == user.id, Reminder.email == user.email))
        .order_by(Reminder.sent_at, Reminder.id)
    )
    return {
        "cohort_memberships": [
            {
                "cohort": cohort_name,
                "email": m.email,
                "first_name": m.first_name,
                "last_name": m.last_name,
                "sector": m.sector,
                "fellowship_number": m.fellowship_number,
                "notes": m.notes,
                "added_at": iso(m.added_at),
            }
            for m, cohort_name in memberships
        ],
        "reminders_received": [
            {"cohort": cohort_name, "sent_to": r.email, "sent_at": iso(r.sent_at)}
            for r, cohort_name in reminders
        ],
    }


def _own_membership(user: User) -> Any:
    return or_(CohortMembership.user_id == user.id, CohortMembership.email == user.email)


def erase_learner(session: Session, user: User) -> None:
    """Anonymise ``user``'s roster lines and reminders, and redact their address from audit.

    Call it before the account's email is replaced. Roster lines stay, linked to the
    emptied account, so that cohort totals still count the person; each keeps only its
    cohort and date. Audit events keep their actor ids; only the address in their details,
    and the reasons staff gave for revoking the person's certificates, go (a bulk UPDATE,
    which the trail's guard against changes by the app allows, as erasing personal data is
    the law's exception to "only ever add").
    """
    email = user.email
    for membership in session.scalars(select(CohortMembership).where(_own_membership(user))):
        membership.user_id = user.id
        membership.email = f"deleted-m{membership.id}@invalid"
        membership.first_name = None
        membership.last_name = None
        membership.sector = None
        membership.fellowship_number = None
        membership.notes = None
    session.execute(
        update(Reminder)
        .where(or_(Reminder.user_id == user.id, Reminder.email == email))
        .values(email=placeholder_email(user.id), user_id=user.id)
        .execution_options(synchronize_session=False)
    )
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
