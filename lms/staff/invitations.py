"""Invitations: accounts made by a roster import, and the single-use link that opens them."""

from __future__ import annotations

from flask_babel import lazy_gettext
from sqlalchemy.orm import Session

from lms.accounts import services as accounts
from lms.accounts import tokens
from lms.accounts.models import User
from lms.accounts.tokens import Purpose
from lms.config import current_settings
from lms.db import utcnow
from lms.errors import DomainError
from lms.i18n import language_or_default
from lms.mail import Mail
from lms.staff import audit, mails
from lms.staff.audit import AuditAction
from lms.staff.models import CohortMembership


class InvitationLinkExpired(DomainError):
    status_code = 410
    message = lazy_gettext(
        "This invitation has expired. Ask the program staff for a new one, or choose a "
        "password with “Forgot your password?” on the sign-in page."
    )


class InvitationLinkInvalid(DomainError):
    status_code = 404
    message = lazy_gettext(
        "This invitation link is not valid, or it has already been used. If you already "
        "chose a password, sign in."
    )


class InvitationNotNeeded(DomainError):
    status_code = 409
    message = lazy_gettext("This person has already set a password: they can sign in.")


def _state(user: User) -> str:
    # Bound to the password hash (None until accepted): setting one spends the link.
    return tokens.fingerprint(str(user.id), user.email, user.password_hash)


def invitation_token(user: User) -> str:
    return tokens.make_token(
        current_settings().secret_key, Purpose.ACCEPT_INVITATION, user.id, _state(user)
    )


def is_pending(user: User) -> bool:
    """Whether ``user`` still has to accept an invitation (no password chosen yet)."""
    return user.password_hash is None and user.deleted_at is None


def invitation_mail(user: User, membership: CohortMembership | None) -> Mail:
    """The invitation for ``user``, naming the cohort of ``membership`` if given."""
    name = (
        f"{membership.first_name or ''} {membership.last_name or ''}".strip()
        if membership is not None
        else ""
    )
    return mails.invitation_mail(
        to=user.email,
        language=language_or_default(user.language),
        name=name or user.certificate_name or user.email,
        cohort=membership.cohort.name if membership is not None else None,
        token=invitation_token(user),
    )


def resend_invitation(
    session: Session, user: User, membership: CohortMembership | None, *, actor: User
) -> Mail:
    """A new invitation for ``user``; ``InvitationNotNeeded`` once they set a password."""
    if not is_pending(user):
        raise InvitationNotNeeded
    audit.record(
        session,
        actor,
        AuditAction.INVITATION_SEND,
        f"user:{user.id}",
        email=user.email,
        resent=True,
    )
    return invitation_mail(user, membership)


def user_for_invitation(session: Session, token: str) -> User:
    """The invited user of ``token``; ``InvitationLinkExpired`` or ``InvitationLinkInvalid``."""
    try:
        claims = tokens.read_token(current_settings().secret_key, Purpose.ACCEPT_INVITATION, token)
    except tokens.TokenExpired:
        raise InvitationLinkExpired from None
    except tokens.TokenInvalid:
        raise InvitationLinkInvalid from None
    user = session.get(User, claims.user_id)
    if user is None or not tokens.fingerprint_matches(claims, _state(user)):
        raise InvitationLinkInvalid
    return user


def accept_invitation(
    session: Session,
    token: str,
    password: str,
    profile: accounts.Profile,
    *,
    privacy_consent: bool,
) -> User:
    """Open the invited account: password, profile and consent, as a sign-up asks for.

    The link came by mail, so following it proves the address: it is confirmed. Setting
    the password spends the link. Raises the link errors, ``PrivacyConsentMissing``,
    the password policy's errors and the profile's.
    """
    user = user_for_invitation(session, token)
    if not privacy_consent:
        raise accounts.PrivacyConsentMissing
    accounts.check_new_password(password, email=user.email, name=profile.certificate_name)
    accounts.update_profile(user, profile)
    now = utcnow()
    user.password_hash = accounts.hash_password(password)
    user.privacy_consent_at = now
    user.privacy_notice_version = accounts.PRIVACY_NOTICE_VERSION
    if not user.email_confirmed:
        user.email_confirmed_at = now
    return user
