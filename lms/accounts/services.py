"""Account rules: sign-up, sign-in, passwords, invited accounts, roles, profile, language."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext
from sqlalchemy import insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.accounts import devices, hashing, mails, tokens
from lms.accounts.categories import Affiliation, FrqSector, ResearchRole, Role
from lms.accounts.models import User
from lms.accounts.passwords import MIN_PASSWORD_LENGTH, PasswordProblem, password_problem
from lms.accounts.queries import admin_count, find_user_by_email
from lms.accounts.tokens import Purpose
from lms.content import SUPPORTED_LANGUAGES
from lms.db import utcnow
from lms.errors import DomainError
from lms.mail import Mail

PRIVACY_NOTICE_VERSION = "2026-12-08"
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


class UserNotFound(DomainError):
    status_code = 404
    message = lazy_gettext("There is no account at this address.")


class LastAdministrator(DomainError):
    status_code = 409
    message = lazy_gettext(
        "This is the last administrator: make someone else an administrator first."
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
    def of(cls, user: User, default_language: str) -> Profile:
        return cls(
            certificate_name=user.certificate_name or "",
            language=user.language or default_language,
            research_roles=user.roles_in_research,
            affiliation=user.affiliation,
            affiliation_other=user.affiliation_other,
            frq_fellowship=user.frq_fellowship,
            frq_sector=user.frq_sector,
        )


def hash_password(password: str) -> str:
    """An Argon2id hash of ``password``, with its own salt and the environment's parameters."""
    return hashing.hash_password(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``; False for an account without one."""
    if password_hash is None:
        hashing.dummy_check(password)
        return False
    return hashing.verify_password(password_hash, password)


def generate_password() -> str:
    """A random password of 16 URL-safe characters, for accounts created from the CLI."""
    return secrets.token_urlsafe(12)


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


def create_invited_account(
    session: Session, email: str, *, name: str, frq_sector: FrqSector | None
) -> User:
    """An account without a password for someone invited by ``email``.

    What the invitation knows of the person (their name, their FRQ sector) fills the
    profile in advance: they check it when they accept.
    """
    user = create_user(session, email, None, Role.LEARNER)
    user.certificate_name = name or None
    if frq_sector is not None:
        user.frq_fellowship = True
        user.frq_sector = frq_sector
    return user


@dataclass(frozen=True)
class Invitee:
    """Someone to make an invited account for, as a roster line gives them."""

    email: str
    """Normalised (``lms.accounts.models.normalize_email``)."""
    name: str
    frq_sector: FrqSector | None


INSERT_CHUNK = 1_000
"""Accounts per INSERT: few statements, yet a bounded number of parameters each."""


def create_invited_accounts(session: Session, invitees: Sequence[Invitee]) -> dict[str, int]:
    """``create_invited_account`` for many people at once, in bulk INSERTs: their new ids by
    address. No account may exist for any of them (the caller looked them up): a race with
    a sign-up fails the whole batch on the unique address, as ``IntegrityError``.

    No password is hashed: an invited account has none until its owner accepts.
    """
    now = utcnow()
    ids: dict[str, int] = {}
    for start in range(0, len(invitees), INSERT_CHUNK):
        rows: list[dict[str, object]] = [
            {
                "email": person.email,
                "password_hash": None,
                "role": Role.LEARNER,
                "certificate_name": person.name or None,
                "frq_fellowship": True if person.frq_sector is not None else None,
                "frq_sector": person.frq_sector,
                "research_roles": [],
                "created_at": now,
            }
            for person in invitees[start : start + INSERT_CHUNK]
        ]
        inserted = session.execute(insert(User).returning(User.id, User.email), rows)
        ids.update((email, user_id) for user_id, email in inserted)
    return ids


def find_user(session: Session, user_id: int) -> User:
    """The account ``user_id``; ``UserNotFound`` if there is none or it was deleted (its row,
    emptied, is kept for anonymous counts only, not to be shown or changed)."""
    user = session.get(User, user_id)
    if user is None or user.deleted_at is not None:
        raise UserNotFound
    return user


def change_role(session: Session, user: User, role: Role) -> Role | None:
    """Give ``user`` the role ``role``; the role they had, or None if they had it already.

    The last administrator cannot lose the role: nobody could give it back.
    """
    if user.role is role:
        return None
    if user.role is Role.ADMIN and admin_count(session) <= 1:
        raise LastAdministrator
    previous = user.role
    user.role = role
    return previous


def authenticate(session: Session, email: str, password: str) -> User:
    """The user with this email and password; raise ``InvalidCredentials`` otherwise.

    It only reads: ``record_sign_in`` writes what a successful sign-in changes.
    """
    user = find_user_by_email(session, email)
    if user is None:
        hashing.dummy_check(password)
        raise InvalidCredentials
    if not verify_password(user.password_hash, password):
        raise InvalidCredentials
    return user


def record_sign_in(user: User, password: str) -> None:
    """Note that ``user`` signed in with ``password``, which ``authenticate`` accepted."""
    if user.password_hash is not None and hashing.needs_rehash(user.password_hash):
        # Parameters were raised since this hash was made: upgrade it while we know the password.
        user.password_hash = hash_password(password)
    user.last_seen_at = utcnow()


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


def check_profile(profile: Profile) -> None:
    """Refuse an incomplete ``profile`` (``ProfileIncomplete``) or an unknown language."""
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


def _apply_profile(user: User, profile: Profile) -> None:
    check_profile(profile)
    other = profile.affiliation is Affiliation.OTHER
    user.certificate_name = profile.certificate_name.strip()
    user.language = profile.language
    user.roles_in_research = profile.research_roles
    user.affiliation = profile.affiliation
    user.affiliation_other = (profile.affiliation_other or "").strip() if other else None
    user.frq_fellowship = profile.frq_fellowship
    user.frq_sector = profile.frq_sector if profile.frq_fellowship else None


def check_sign_up(email: str, password: str, profile: Profile, *, privacy_consent: bool) -> None:
    """Refuse a sign-up that breaks a rule, with the rule's error.

    Every rule is checked here, before anyone looks the address up: a sign-up is refused,
    or taken, alike whether the address has an account or not.
    """
    check_new_password(password, email=email, name=profile.certificate_name)
    if not privacy_consent:
        raise PrivacyConsentMissing
    check_profile(profile)


def sign_up(
    session: Session,
    email: str,
    password_hash: str,
    profile: Profile,
    *,
    consented_at: datetime,
    secret_key: str,
) -> Mail | None:
    """Create a learner's account, from a sign-up ``check_sign_up`` took, with the password
    hashed when it was taken and the consent given then.

    Returns the mail to send once committed: the confirmation link, or, if the address
    already has an account, a note to its owner (with a reset link) instead.
    """
    existing = find_user_by_email(session, email)
    if existing is None:
        user = User(email=email, role=Role.LEARNER)
        _apply_profile(user, profile)
        user.password_hash = password_hash
        user.privacy_consent_at = consented_at
        user.privacy_notice_version = PRIVACY_NOTICE_VERSION
        try:
            with session.begin_nested():
                session.add(user)
        except IntegrityError:
            # Another request created it since the look-up: its owner gets the note below.
            existing = find_user_by_email(session, email)
        else:
            return mails.confirmation_mail(
                user, link_token(user, Purpose.CONFIRM_EMAIL, secret_key)
            )
    if existing is None:
        return None
    return mails.account_exists_mail(
        existing, link_token(existing, Purpose.RESET_PASSWORD, secret_key)
    )


def link_token(user: User, purpose: Purpose, secret_key: str) -> str:
    """The token of a new ``purpose`` link for ``user``, signed with the app's ``secret_key``
    (see ``lms.accounts.links``)."""
    return tokens.account_token(secret_key, purpose, user)


def change_password(session: Session, user: User, current_password: str, new_password: str) -> Mail:
    """Replace ``user``'s password, given the current one, and end their other sessions
    (whoever knew the old password is signed out); returns the mail telling them."""
    if not verify_password(user.password_hash, current_password):
        raise CurrentPasswordIncorrect
    check_new_password(new_password, email=user.email, name=user.certificate_name)
    user.password_hash = hash_password(new_password)
    devices.end_all(session, user, keep_current=True)
    return mails.password_changed_mail(user)


def update_profile(user: User, profile: Profile) -> None:
    """Replace ``user``'s profile; raise ``ProfileIncomplete`` or ``UnsupportedLanguage``."""
    _apply_profile(user, profile)


def set_language(user: User, language: str) -> None:
    """Remember ``user``'s interface language; raise ``UnsupportedLanguage`` for others."""
    if language not in SUPPORTED_LANGUAGES:
        raise UnsupportedLanguage
    user.language = language
