"""Account rules: creating users, hashing and checking passwords, the chosen language."""

from __future__ import annotations

import contextlib
import functools
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import lazy_gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.accounts.models import Role, User, normalize_email
from lms.content import SUPPORTED_LANGUAGES
from lms.db import utcnow
from lms.errors import DomainError

_hasher = PasswordHasher()


class EmailAlreadyRegistered(DomainError):
    status_code = 409
    message = lazy_gettext("An account with this email address already exists.")


class InvalidCredentials(DomainError):
    status_code = 401
    message = lazy_gettext("The email address or the password is not correct.")


class UnsupportedLanguage(DomainError):
    message = lazy_gettext("This language is not available.")


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
) -> User:
    """Add a user; raise ``EmailAlreadyRegistered`` if the address is taken."""
    if find_user_by_email(session, email) is not None:
        raise EmailAlreadyRegistered
    user = User(
        email=email,
        password_hash=hash_password(password) if password is not None else None,
        role=role,
        language=language,
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
    """The user with this email and password; raise ``InvalidCredentials`` otherwise."""
    user = find_user_by_email(session, email)
    if user is None:
        _dummy_check(password)
        raise InvalidCredentials
    if not verify_password(user.password_hash, password):
        raise InvalidCredentials
    if user.password_hash is not None and _hasher.check_needs_rehash(user.password_hash):
        # Parameters were raised since this hash was made: upgrade it while we know the password.
        user.password_hash = hash_password(password)
    user.last_seen_at = utcnow()
    return user


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def _dummy_check(password: str) -> None:
    """Spend the time of a real check, so that response times do not tell which emails exist."""
    with contextlib.suppress(VerificationError):
        _hasher.verify(_dummy_hash(), password)


def set_language(user: User, language: str) -> None:
    """Remember ``user``'s interface language; raise ``UnsupportedLanguage`` for others."""
    if language not in SUPPORTED_LANGUAGES:
        raise UnsupportedLanguage
    user.language = language


def admin_exists(session: Session) -> bool:
    """Whether any account has the admin role."""
    return session.scalar(select(User.id).where(User.role == Role.ADMIN).limit(1)) is not None
