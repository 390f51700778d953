"""Account rules: sign-up, passwords, email confirmation and reset links, profile, language."""

from __future__ import annotations

import contextlib
import functools
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.accounts import mails, tokens
from lms.accounts.models import Affiliation, FrqSector, ResearchRole, Role, User, normalize_email
from lms.accounts.passwords import MIN_PASSWORD_LENGTH, PasswordProblem, password_problem
from lms.accounts.tokens import Purpose
from lms.config import current_settings
from lms.content import SUPPORTED_LANGUAGES
from lms.db import utcnow
from lms.errors import DomainError
from lms.mail import Mail

_hasher = PasswordHasher()

PRIVACY_NOTICE_VERSION = "2026-11-21"
"""The version of the privacy notice shown at /privacy; change it with the notice's text."""


class EmailAlreadyRegistered(DomainError):
    status_code = 409
    message = lazy_gettext("An account with this email address already exists.")


class InvalidCredentials(DomainError):
    status_code = 401
    message = lazy_gettext("The email address or the password is not correct.")


class UnsupportedLanguage(DomainError):
    message = lazy_gettext("This language is not available.")


class PasswordTooShort(DomainError):
    message = lazy_gettext(
        "A password must have at least %(num)d characters.", num=MIN_PASSWORD_LENGTH
    )


class PasswordTooCommon(DomainError):
    message = lazy_gettext(
        "This password is among the most common ones, which are guessed first. Choose another: "
        "a few unrelated words make a strong password that is easy to remember."
    )


class PasswordTooPersonal(DomainError):
    message = lazy_gettext("A password must not be your email address or your name.")


class CurrentPasswordIncorrect(DomainError):
    message = lazy_gettext("Your current password is not correct.")


class PrivacyConsentMissing(DomainError):
    message = lazy_gettext("You must agree to the privacy notice to create an account.")


class ProfileIncomplete(DomainError):
    message = lazy_gettext(
        "Choose at least one role, name your affiliation if it is “Other”, and give the "
        "sector of your FRQ fellowship if you hold one."
    )


class ConfirmationLinkExpired(DomainError):
    status_code = 410
    message = lazy_gettext(
        "This confirmation link has expired. Sign in, and ask for a new link from your profile."
    )


class ConfirmationLinkInvalid(DomainError):
    status_code = 404
    message = lazy_gettext(
        "This confirmation link is not valid. Check that you opened the whole link from the "
        "message, or sign in and ask for a new one from your profile."
    )


class EmailAlreadyConfirmed(DomainError):
    status_code = 409
    message = lazy_gettext("This email address is already confirmed. You can sign in.")


class ResetLinkExpired(DomainError):
    status_code = 410
    message = lazy_gettext(
        "This link to choose a new password has expired (links last one hour). Ask for a new one."
    )


class ResetLinkInvalid(DomainError):
    status_code = 404
    message = lazy_gettext(
        "This link to choose a new password is not valid, or it has already been used. "
        "Ask for a new one."
    )


@dataclass(frozen=True)
class Profile:
    """What a person tells about themselves: the community's membership form, and more."""

    certificate_name: str
    language: str
    research_roles: frozenset[ResearchRole]
    affiliation: Affiliation | None
    affiliation_other: str | None
    frq_fellowship: bool | None
    frq_sector: FrqSector | None

    @classmethod
    def of(cls, user: User) -> Profile:
        return cls(
            certificate_name=user.certificate_name or "",
            language=user.language or current_settings().default_language,
            research_roles=user.roles_in_research,
            affiliation=user.affiliation,
            affiliation_other=user.affiliation_other,
            frq_fellowship=user.frq_fellowship,
            frq_sector=user.frq_sector,
        )


def hash_password(password: str) -> str:
    """An Argon2id hash of ``password``, with its own salt and parameters."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``; False for an account without one."""
    if password_hash is None:
        _dummy_check(password)
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def generate_password() -> str:
    """A random password of 16 URL-safe characters, for accounts created from the CLI."""
    return secrets.token_urlsafe(12)


def find_user_by_email(session: Session, email: str) -> User | None:
    """The user with this address, compared case-insensitively."""
    return session.scalar(select(User).where(User.email == normalize_email(email)))


def create_user(
    session: Session,
    email: str,
    password: str | None,
    role: Role = Role.LEARNER,
    language: str | None = None,
    *,
    email_confirmed: bool = False,
) -> User:
    """Add a user; raise ``EmailAlreadyRegistered`` if the address is taken.

    ``email_confirmed`` is for accounts an operator vouches for (the command line).
    """
    if find_user_by_email(session, email) is not None:
        raise EmailAlreadyRegistered
    user = User(
        email=email,
        password_hash=hash_password(password) if password is not None else None,
        role=role,
        language=language,
        email_confirmed_at=utcnow() if email_confirmed else None,
    )
    try:
        # The unique constraint, not the look-up above, settles a race; the savepoint keeps
        # the rest of the caller's transaction usable when it does.
        with session.begin_nested():
            session.add(user)
    except IntegrityError:
        raise EmailAlreadyRegistered from None
    return user


def authenticate(session: Session, email: str, password: str) -> User:
    """The user with this email and password; raise ``InvalidCredentials`` otherwise.

    It only reads: ``record_sign_in`` writes what a successful sign-in changes.
    """
    user = find_user_by_email(session, email)
    if user is None:
        _dummy_check(password)
        raise InvalidCredentials
    if not verify_password(user.password_hash, password):
        raise InvalidCredentials
    return user


def record_sign_in(user: User, password: str) -> None:
    """Note that ``user`` signed in with ``password``, which ``authenticate`` accepted."""
    if user.password_hash is not None and _hasher.check_needs_rehash(user.password_hash):
        # Parameters were raised since this hash was made: upgrade it while we know the password.
        user.password_hash = hash_password(password)
    user.last_seen_at = utcnow()


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def _dummy_check(password: str) -> None:
    """Spend the time of a real check, so that response times do not tell which emails exist."""
    with contextlib.suppress(VerificationError):
        _hasher.verify(_dummy_hash(), password)


def check_new_password(password: str, *, email: str | None, name: str | None) -> None:
    """Raise ``PasswordTooShort``, ``PasswordTooCommon`` or ``PasswordTooPersonal`` if the
    password policy refuses ``password`` for the person of ``email`` and ``name``."""
    problem = password_problem(password, email=email, name=name)
    if problem is PasswordProblem.TOO_SHORT:
        raise PasswordTooShort
    if problem is PasswordProblem.TOO_COMMON:
        raise PasswordTooCommon
    if problem is PasswordProblem.PERSONAL:
        raise PasswordTooPersonal
    # TOO_LONG: the forms refuse it first; hashing a long password is only slow.


def _apply_profile(user: User, profile: Profile) -> None:
    if profile.language not in SUPPORTED_LANGUAGES:
        raise UnsupportedLanguage
    other = profile.affiliation is Affiliation.OTHER
    if (
        not profile.certificate_name.strip()
        or not profile.research_roles
        or profile.affiliation is None
        or (other and not (profile.affiliation_other or "").strip())
        or profile.frq_fellowship is None
        or (profile.frq_fellowship and profile.frq_sector is None)
    ):
        raise ProfileIncomplete
    user.certificate_name = profile.certificate_name.strip()
    user.language = profile.language
    user.roles_in_research = profile.research_roles
    user.affiliation = profile.affiliation
    user.affiliation_other = (profile.affiliation_other or "").strip() if other else None
    user.frq_fellowship = profile.frq_fellowship
    user.frq_sector = profile.frq_sector if profile.frq_fellowship else None


def sign_up(
    session: Session, email: str, password: str, profile: Profile, *, privacy_consent: bool
) -> Mail | None:
    """Create a learner's account with ``profile`` and the consent given now.

    Returns the mail to send once committed: the confirmation link, or, if the address
    already has an account, a note to its owner (with a reset link) instead. The caller
    answers both cases alike, so that nobody learns which addresses have accounts.
    """
    check_new_password(password, email=email, name=profile.certificate_name)
    if not privacy_consent:
        raise PrivacyConsentMissing
    existing = find_user_by_email(session, email)
    if existing is None:
        user = User(email=email, role=Role.LEARNER)
        _apply_profile(user, profile)
        user.password_hash = hash_password(password)
        user.privacy_consent_at = utcnow()
        user.privacy_notice_version = PRIVACY_NOTICE_VERSION
        try:
            with session.begin_nested():
                session.add(user)
        except IntegrityError:
            # Another request created it since the look-up: its owner gets the note below.
            existing = find_user_by_email(session, email)
        else:
            return mails.confirmation_mail(user, _token(user, Purpose.CONFIRM_EMAIL))
    else:
        # The hash a new account would cost, so that the answer takes as long.
        hash_password(password)
    if existing is None:
        return None
    return mails.account_exists_mail(existing, _token(existing, Purpose.RESET_PASSWORD))


def _state(user: User, purpose: Purpose) -> str:
    """What a token of ``purpose`` is bound to: using the token changes it."""
    if purpose is Purpose.CONFIRM_EMAIL:
        return tokens.fingerprint(str(user.id), user.email)
    return tokens.fingerprint(str(user.id), user.email, user.password_hash)


def _token(user: User, purpose: Purpose) -> str:
    return tokens.make_token(current_settings().secret_key, purpose, user.id, _state(user, purpose))


def _user_of_token(session: Session, purpose: Purpose, token: str) -> User | None:
    """The user a genuine, unexpired ``token`` names, if its state still matches.

    Raises ``tokens.TokenExpired`` and ``tokens.TokenInvalid``.
    """
    claims = tokens.read_token(current_settings().secret_key, purpose, token)
    user = session.get(User, claims.user_id)
    if user is None or not tokens.fingerprint_matches(claims, _state(user, purpose)):
        return None
    return user


def confirmation_mail(user: User) -> Mail | None:
    """A new confirmation link for ``user``; None if the address is already confirmed."""
    if user.email_confirmed:
        return None
    return mails.confirmation_mail(user, _token(user, Purpose.CONFIRM_EMAIL))


def confirm_email(session: Session, token: str) -> User:
    """Mark the address named by ``token`` as confirmed; each link works once."""
    try:
        user = _user_of_token(session, Purpose.CONFIRM_EMAIL, token)
    except tokens.TokenExpired:
        raise ConfirmationLinkExpired from None
    except tokens.TokenInvalid:
        raise ConfirmationLinkInvalid from None
    if user is None:
        raise ConfirmationLinkInvalid
    if user.email_confirmed:
        raise EmailAlreadyConfirmed
    user.email_confirmed_at = utcnow()
    return user


def request_password_reset(session: Session, email: str) -> Mail | None:
    """The reset mail for the account of ``email``; None (and no sign of it) if there is none."""
    user = find_user_by_email(session, email)
    if user is None:
        return None
    return mails.reset_password_mail(user, _token(user, Purpose.RESET_PASSWORD))


def user_for_reset(session: Session, token: str) -> User:
    """The user whose reset link this is; raise ``ResetLinkExpired`` or ``ResetLinkInvalid``."""
    try:
        user = _user_of_token(session, Purpose.RESET_PASSWORD, token)
    except tokens.TokenExpired:
        raise ResetLinkExpired from None
    except tokens.TokenInvalid:
        raise ResetLinkInvalid from None
    if user is None:
        raise ResetLinkInvalid
    return user


def reset_password(session: Session, token: str, password: str) -> tuple[User, Mail]:
    """Set the password of the link's owner; the link then stops working.

    The link came by mail, so following it also proves the address: it is confirmed.
    Returns the user and the mail telling them of the change.
    """
    user = user_for_reset(session, token)
    check_new_password(password, email=user.email, name=user.certificate_name)
    user.password_hash = hash_password(password)
    if not user.email_confirmed:
        user.email_confirmed_at = utcnow()
    return user, mails.password_changed_mail(user)


def change_password(user: User, current_password: str, new_password: str) -> Mail:
    """Replace ``user``'s password, given the current one; returns the mail telling them."""
    if not verify_password(user.password_hash, current_password):
        raise CurrentPasswordIncorrect
    check_new_password(new_password, email=user.email, name=user.certificate_name)
    user.password_hash = hash_password(new_password)
    return mails.password_changed_mail(user)


def update_profile(user: User, profile: Profile) -> None:
    """Replace ``user``'s profile; raise ``ProfileIncomplete`` or ``UnsupportedLanguage``."""
    _apply_profile(user, profile)


def set_language(user: User, language: str) -> None:
    """Remember ``user``'s interface language; raise ``UnsupportedLanguage`` for others."""
    if language not in SUPPORTED_LANGUAGES:
        raise UnsupportedLanguage
    user.language = language


def admin_exists(session: Session) -> bool:
    """Whether any account has the admin role."""
    return session.scalar(select(User.id).where(User.role == Role.ADMIN).limit(1)) is not None
