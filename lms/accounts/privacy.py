"""Accounts' part of privacy: a person's account data, and erasing it when they leave."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from lms.accounts import devices
from lms.accounts.categories import Role
from lms.accounts.models import RecoveryCode, User, normalize_email
from lms.accounts.queries import devices_of
from lms.accounts.services import verify_password
from lms.db import utcnow
from lms.errors import DomainError

LAST_SEEN_EVERY_SECONDS = 3600
"""``last_seen_at`` is written at most this often per person: not one write per request."""


class DeletionNotConfirmed(DomainError):
    message = lazy_gettext(
        "To delete your account, type your email address or your password exactly."
    )


class LastAdministratorCannotLeave(DomainError):
    status_code = 409
    message = lazy_gettext(
        "You are the only administrator: make someone else an administrator before you "
        "delete your account."
    )


def placeholder_email(user_id: int) -> str:
    """A unique address that no mail can reach (``.invalid`` is reserved by RFC 2606)."""
    return f"deleted-{user_id}@invalid"


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def account_data(user: User) -> dict[str, Any]:
    """What the account itself holds about ``user``, for the export of their data."""
    return {
        "id": user.id,
        "email": user.email,
        "email_confirmed_at": iso(user.email_confirmed_at),
        "role": user.role.value,
        "language": user.language,
        "created_at": iso(user.created_at),
        "last_seen_at": iso(user.last_seen_at),
        "has_password": user.password_hash is not None,
        # Neither the secret nor the recovery codes: they open the account, and the person
        # has them already.
        "two_step_verification_since": iso(user.totp_enabled_at),
        "profile": {
            "certificate_name": user.certificate_name,
            "research_roles": sorted(r.value for r in user.roles_in_research),
            "affiliation": user.affiliation.value if user.affiliation else None,
            "affiliation_other": user.affiliation_other,
            "frq_fellowship": user.frq_fellowship,
            "frq_sector": user.frq_sector.value if user.frq_sector else None,
        },
        "privacy_consent": {
            "given_at": iso(user.privacy_consent_at),
            "notice_version": user.privacy_notice_version,
        },
    }


def devices_data(session: Session, user: User) -> list[dict[str, Any]]:
    """The sessions the server keeps of ``user``'s sign-ins, for the export (no secret: the
    server holds only its hash, which opens nothing)."""
    return [
        {
            "browser": device.browser or None,
            "system": device.system or None,
            "kept_signed_in": device.remember,
            "signed_in_at": iso(device.created_at),
            "last_seen_at": iso(device.last_seen_at),
            "signed_out_at": iso(device.ended_at),
        }
        for device in devices_of(session, user.id)
    ]


def deletion_confirmed(user: User, typed: str) -> bool:
    """Whether ``typed`` is ``user``'s email address or password (checked in that order)."""
    if typed.strip() and normalize_email(typed) == user.email:
        return True
    return bool(typed) and verify_password(user.password_hash, typed)


def require_deletable(session: Session, user: User) -> None:
    """Raise ``LastAdministratorCannotLeave`` if ``user`` is the only administrator left."""
    if user.role is not Role.ADMIN:
        return
    others = session.scalar(
        select(func.count(User.id)).where(
            User.role == Role.ADMIN, User.id != user.id, User.deleted_at.is_(None)
        )
    )
    if not others:
        raise LastAdministratorCannotLeave


def erase_account(session: Session, user: User, now: datetime | None = None) -> None:
    """Empty ``user``'s row of personal data; the row stays, as an anonymous tombstone.

    The id stays, so that anonymous facts (completions, certificates' existence, roster
    counts) still add up; nothing left in the row says who it was. Its sessions are deleted
    and it has no password: nobody is signed in to it, and nobody can sign in.
    """
    devices.forget_all(session, user)
    user.email = placeholder_email(user.id)
    user.password_hash = None
    user.certificate_name = None
    user.language = None
    user.role = Role.LEARNER
    user.email_confirmed_at = None
    user.research_roles = []
    user.affiliation = None
    user.affiliation_other = None
    user.frq_fellowship = None
    user.frq_sector = None
    user.privacy_consent_at = None
    user.privacy_notice_version = None
    user.last_seen_at = None
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    user.deleted_at = now or utcnow()


def inactive_user_ids(session: Session, before: datetime) -> list[int]:
    """Accounts not seen since ``before`` (or, never seen, created before it), not yet deleted."""
    return list(
        session.scalars(
            select(User.id)
            .where(
                User.deleted_at.is_(None),
                or_(
                    User.last_seen_at < before,
                    (User.last_seen_at.is_(None)) & (User.created_at < before),
                ),
            )
            .order_by(User.id)
        )
    )


def seen_now(user: User, now: datetime | None = None) -> bool:
    """Set ``user.last_seen_at`` if it is older than ``LAST_SEEN_EVERY_SECONDS``; say if it was."""
    moment = now or utcnow()
    last = user.last_seen_at
    if last is not None and (moment - last).total_seconds() < LAST_SEEN_EVERY_SECONDS:
        return False
    user.last_seen_at = moment
    return True
