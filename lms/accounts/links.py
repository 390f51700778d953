"""Links mailed to a person: confirm the address, choose a new password, accept an invitation.

One implementation for all three: a signed token bound to the account state its use changes
(``tokens``), so each link works once; the two that set a password share one rule.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from flask_babel import lazy_gettext
from markupsafe import escape
from sqlalchemy.orm import Session, object_session

from lms.accounts import devices, mails, tokens
from lms.accounts.models import User
from lms.accounts.queries import AccountKey, find_user_by_email
from lms.accounts.services import (
    PRIVACY_NOTICE_VERSION,
    PrivacyConsentMissing,
    Profile,
    check_new_password,
    hash_password,
    link_token,
    update_profile,
)
from lms.accounts.signals import email_confirmed
from lms.accounts.tokens import Purpose
from lms.db import utcnow
from lms.errors import DomainError
from lms.i18n import language_or_default
from lms.mail import Mail


class LinkProblem(DomainError):
    """A mailed link that cannot be used; the page says why and what to do instead."""

    offers_reset = False
    """Whether the page offers to ask for a new password-reset link."""


class ConfirmationLinkExpired(LinkProblem):
    status_code = 410
    message = lazy_gettext(
        "This confirmation link has expired. Sign in, and ask for a new link from your profile."
    )


class ConfirmationLinkInvalid(LinkProblem):
    status_code = 404
    message = lazy_gettext(
        "This confirmation link is not valid. Check that you opened the whole link from the "
        "message, or sign in and ask for a new one from your profile."
    )


class EmailAlreadyConfirmed(LinkProblem):
    status_code = 409
    message = lazy_gettext("This email address is already confirmed. You can sign in.")


class ResetLinkExpired(LinkProblem):
    status_code = 410
    offers_reset = True
    message = lazy_gettext(
        "This link to choose a new password has expired (links last one hour). Ask for a new one."
    )


class ResetLinkInvalid(LinkProblem):
    status_code = 404
    offers_reset = True
    message = lazy_gettext(
        "This link to choose a new password is not valid, or it has already been used. "
        "Ask for a new one."
    )


class InvitationLinkExpired(LinkProblem):
    status_code = 410
    offers_reset = True
    message = lazy_gettext(
        "This invitation has expired. Ask the program staff for a new one, or choose a "
        "password with “Forgot your password?” on the sign-in page."
    )


class InvitationLinkInvalid(LinkProblem):
    status_code = 404
    offers_reset = True
    message = lazy_gettext(
        "This invitation link is not valid, or it has already been used. If you already "
        "chose a password, sign in."
    )


class InvitationNotNeeded(DomainError):
    status_code = 409
    message = lazy_gettext("This person has already set a password: they can sign in.")


_PROBLEMS: dict[Purpose, tuple[type[LinkProblem], type[LinkProblem]]] = {
    Purpose.CONFIRM_EMAIL: (ConfirmationLinkExpired, ConfirmationLinkInvalid),
    Purpose.RESET_PASSWORD: (ResetLinkExpired, ResetLinkInvalid),
    Purpose.ACCEPT_INVITATION: (InvitationLinkExpired, InvitationLinkInvalid),
}
"""Each purpose's (expired, invalid) errors: the same checks, told in the link's own words."""


def user_of_link(session: Session, purpose: Purpose, token: str, secret_key: str) -> User:
    """The owner of a genuine, unexpired, unused ``purpose`` link; else the purpose's error."""
    expired, invalid = _PROBLEMS[purpose]
    try:
        claims = tokens.read_token(secret_key, purpose, token)
    except tokens.TokenExpired:
        raise expired from None
    except tokens.TokenInvalid:
        raise invalid from None
    user = session.get(User, claims.user_id)
    if user is None or not tokens.fingerprint_matches(claims, tokens.account_state(user, purpose)):
        raise invalid
    return user


def confirmation_mail(user: User, secret_key: str) -> Mail | None:
    """A new confirmation link for ``user``; None if the address is already confirmed."""
    if user.email_confirmed:
        return None
    return mails.confirmation_mail(user, link_token(user, Purpose.CONFIRM_EMAIL, secret_key))


def confirm_email(session: Session, token: str, secret_key: str) -> User:
    """Mark the address named by ``token`` as confirmed; each link works once."""
    user = user_of_link(session, Purpose.CONFIRM_EMAIL, token, secret_key)
    if user.email_confirmed:
        raise EmailAlreadyConfirmed
    _mark_confirmed(user)
    return user


def _mark_confirmed(user: User) -> None:
    user.email_confirmed_at = utcnow()
    session = object_session(user)
    if session is not None:
        # Certificates wait for a proven address: those earned meanwhile are issued now.
        email_confirmed.send(session, user=user)


def request_password_reset(session: Session, email: str, secret_key: str) -> Mail | None:
    """The reset mail for the account of ``email``; None (and no sign of it) if there is none."""
    user = find_user_by_email(session, email)
    if user is None:
        return None
    return mails.reset_password_mail(user, link_token(user, Purpose.RESET_PASSWORD, secret_key))


def _set_password(session: Session, user: User, password: str, name: str | None) -> None:
    """The rule both password links share: the policy, the hash, every session ended (the
    page signs its browser in anew), and the address proven (the link came by mail, so
    following it proves the address)."""
    check_new_password(password, email=user.email, name=name)
    user.password_hash = hash_password(password)
    devices.end_all(session, user)
    if not user.email_confirmed:
        _mark_confirmed(user)


def reset_password(
    session: Session, token: str, password: str, secret_key: str
) -> tuple[User, Mail]:
    """Set the password of the link's owner; the link then stops working.

    Returns the user and the mail telling them of the change.
    """
    user = user_of_link(session, Purpose.RESET_PASSWORD, token, secret_key)
    _set_password(session, user, password, user.certificate_name)
    return user, mails.password_changed_mail(user)


def invitation_pending(user: User) -> bool:
    """Whether ``user`` still has to accept an invitation (no password chosen yet)."""
    return user.password_hash is None and user.deleted_at is None


def invitation_mail(
    user: User | AccountKey,
    *,
    secret_key: str,
    name: str | None = None,
    cohort: str | None = None,
) -> Mail:
    """The invitation for ``user``, greeting ``name`` and naming ``cohort`` if given."""
    return mails.invitation_mail(
        to=user.email,
        language=language_or_default(user.language),
        name=name or user.certificate_name or user.email,
        cohort=cohort,
        token=tokens.account_token(secret_key, Purpose.ACCEPT_INVITATION, user),
    )


_NAME = "zqNAMEqz"
_TOKEN = "zqTOKENqz"  # noqa: S105  (a stand-in, replaced by each mail's token)
"""Stand-ins for what differs between two invitations to one cohort: letters only, so that
escaping (HTML, URLs) leaves them as they are, and found nowhere else in the mail."""


def invitation_mails(
    invitees: Iterable[tuple[AccountKey, str]], *, secret_key: str, cohort: str | None
) -> Iterator[Mail]:
    """``invitation_mail`` for each (account, name) of ``invitees``, made as they are taken.

    A roster invites thousands at once: each language's mail is rendered once, with
    stand-ins for the name and the link's token, which each mail then gets (the name
    escaped in the HTML part). A test keeps them equal to ``invitation_mail``'s.
    """
    shapes: dict[str, Mail] = {}
    for account, name in invitees:
        language = language_or_default(account.language)
        shape = shapes.get(language)
        if shape is None:
            shape = shapes[language] = mails.invitation_mail(
                to="", language=language, name=_NAME, cohort=cohort, token=_TOKEN
            )
        token = tokens.account_token(secret_key, Purpose.ACCEPT_INVITATION, account)
        shown = name or account.certificate_name or account.email
        yield Mail(
            to=account.email,
            subject=shape.subject,
            text=shape.text.replace(_NAME, shown).replace(_TOKEN, token),
            html=(
                shape.html.replace(_NAME, escape(shown)).replace(_TOKEN, token)
                if shape.html is not None
                else None
            ),
            language=shape.language,
        )


def renewed_invitation(
    user: User, *, secret_key: str, name: str | None = None, cohort: str | None = None
) -> Mail:
    """A new invitation for ``user``; ``InvitationNotNeeded`` once they set a password."""
    if not invitation_pending(user):
        raise InvitationNotNeeded
    return invitation_mail(user, secret_key=secret_key, name=name, cohort=cohort)


def accept_invitation(
    session: Session,
    token: str,
    password: str,
    profile: Profile,
    *,
    privacy_consent: bool,
    secret_key: str,
) -> User:
    """Open the invited account: password, profile and consent, as a sign-up asks for.

    Raises the link's errors, ``PrivacyConsentMissing``, the password policy's errors and
    the profile's.
    """
    user = user_of_link(session, Purpose.ACCEPT_INVITATION, token, secret_key)
    if not privacy_consent:
        raise PrivacyConsentMissing
    _set_password(session, user, password, profile.certificate_name)
    update_profile(user, profile)
    user.privacy_consent_at = utcnow()
    user.privacy_notice_version = PRIVACY_NOTICE_VERSION
    return user
