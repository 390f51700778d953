"""Signed, expiring tokens for the links in account mails (confirmation, reset, invitation).

Tokens are signed with the app's secret key (itsdangerous), not stored: any app server can
check them, and no table of tokens needs cleaning. Each one carries a fingerprint of the
account state its use changes (the unconfirmed address, the current password hash), so it
works once: using it changes that state, and the fingerprint no longer matches.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Any, Protocol

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer


class Purpose(StrEnum):
    """What a token is for; also the salt, so that one kind cannot stand in for another."""

    CONFIRM_EMAIL = "confirm-email"
    RESET_PASSWORD = "reset-password"  # noqa: S105  (a salt name, not a password)
    ACCEPT_INVITATION = "accept-invitation"
    """An account made by a cohort import: its owner sets a password (lms.cohorts)."""


MAX_AGE = {
    Purpose.CONFIRM_EMAIL: timedelta(days=3),
    Purpose.RESET_PASSWORD: timedelta(hours=1),
    # Invitations wait in inboxes over holidays and busy weeks; each still works only once.
    Purpose.ACCEPT_INVITATION: timedelta(days=14),
}
"""How long a link stays valid after it was mailed."""


class TokenExpired(Exception):
    """The token is genuine but older than its purpose allows."""


class TokenInvalid(Exception):
    """The token was altered, made for another purpose, or already used."""


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    fingerprint: str


def fingerprint(*state: str | None) -> str:
    """A short digest of account state: changes whenever any part of ``state`` changes.

    A digest, not the state itself: the token's payload is signed but readable by anyone.
    """
    digest = hashlib.sha256("\x1f".join(part or "" for part in state).encode("utf-8"))
    return digest.hexdigest()[:24]


class Account(Protocol):
    """What a token is bound to: an account's id, address and password hash."""

    @property
    def id(self) -> int: ...
    @property
    def email(self) -> str: ...
    @property
    def password_hash(self) -> str | None: ...


def account_state(account: Account, purpose: Purpose) -> str:
    """The fingerprint a ``purpose`` token of ``account`` is bound to: using it changes it."""
    if purpose is Purpose.CONFIRM_EMAIL:
        return fingerprint(str(account.id), account.email)
    # Resets and invitations: bound to the password hash (None until an invitation is
    # accepted), so that setting a password spends the link.
    return fingerprint(str(account.id), account.email, account.password_hash)


def account_token(secret_key: str, purpose: Purpose, account: Account) -> str:
    """A new ``purpose`` token for ``account``, bound to its current state."""
    return make_token(secret_key, purpose, account.id, account_state(account, purpose))


def _serializer(secret_key: str, purpose: Purpose) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=f"lms.accounts.{purpose.value}")


def make_token(secret_key: str, purpose: Purpose, user_id: int, state_fingerprint: str) -> str:
    """A URL-safe token naming ``user_id`` and the fingerprint of its state, timestamped now."""
    return _serializer(secret_key, purpose).dumps({"u": user_id, "f": state_fingerprint})


def read_token(secret_key: str, purpose: Purpose, token: str) -> TokenClaims:
    """The claims of ``token``; raise ``TokenExpired`` or ``TokenInvalid``.

    The caller still compares the fingerprint with the account's current one
    (``fingerprint_matches``): only that makes the token single-use.
    """
    max_age = int(MAX_AGE[purpose].total_seconds())
    try:
        payload: Any = _serializer(secret_key, purpose).loads(token, max_age=max_age)
    except SignatureExpired:
        raise TokenExpired from None
    except BadSignature:
        raise TokenInvalid from None
    if not isinstance(payload, dict):
        raise TokenInvalid
    user_id, state = payload.get("u"), payload.get("f")
    if not isinstance(user_id, int) or isinstance(user_id, bool) or not isinstance(state, str):
        raise TokenInvalid
    return TokenClaims(user_id, state)


def fingerprint_matches(claims: TokenClaims, current: str) -> bool:
    return hmac.compare_digest(claims.fingerprint, current)
