"""The rules of a person's second factor: turning it on and off, checking a code at sign-in,
recovery codes. Like services, nothing here commits; each change is told to the features
above (``signals.second_factor_changed``), which keep it in the audit trail.
"""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext
from sqlalchemy import ColumnElement, delete, func, or_, select, update
from sqlalchemy.orm import Session

from lms.accounts import totp
from lms.accounts.hashing import verify_password
from lms.accounts.models import RecoveryCode, User
from lms.accounts.signals import second_factor_changed
from lms.db import rows_changed, utcnow
from lms.errors import DomainError


class Change(enum.StrEnum):
    """What happened to a person's second factor (the audit trail's words for it)."""

    ENABLED = "enabled"
    DISABLED = "disabled"
    RECOVERY_CODE_USED = "recovery_code_used"
    RECOVERY_CODES_RENEWED = "recovery_codes_renewed"


class CodeIncorrect(DomainError):
    message = lazy_gettext("This code is not right, or was already used. Try the newest one.")


class PasswordIncorrect(DomainError):
    message = lazy_gettext("Your password is not right.")


class SecondFactorAlreadyOn(DomainError):
    status_code = 409
    message = lazy_gettext("Two-step verification is already on.")


def enable(session: Session, user: User, secret: str, code: str, secret_key: str) -> list[str]:
    """Turn on the second factor of ``secret`` once ``code`` shows the app has it; the
    recovery codes, to show once (only their digests are kept)."""
    if user.has_second_factor:
        raise SecondFactorAlreadyOn
    step = totp.matching_step(secret, code, after_step=None)
    if step is None:
        raise CodeIncorrect
    user.totp_secret = totp.seal(secret, secret_key)
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step
    codes = _replace_recovery_codes(session, user)
    second_factor_changed.send(session, user=user, change=Change.ENABLED)
    return codes


def disable(session: Session, user: User, password: str) -> None:
    """Turn the second factor off, given the account's password."""
    _check_password(user, password)
    remove(session, user)


def remove(session: Session, user: User) -> None:
    """Turn the second factor off: for ``disable``, and for an operator helping a person who
    lost both their phone and their recovery codes (``lms users remove-2fa``)."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    second_factor_changed.send(session, user=user, change=Change.DISABLED)


def renew_recovery_codes(session: Session, user: User, password: str) -> list[str]:
    """New recovery codes in place of the old ones (all of them stop working)."""
    _check_password(user, password)
    codes = _replace_recovery_codes(session, user)
    second_factor_changed.send(session, user=user, change=Change.RECOVERY_CODES_RENEWED)
    return codes


def check(session: Session, user: User, code: str, secret_key: str) -> None:
    """Accept ``code`` (from the app, or a recovery code, each good once) or raise
    ``CodeIncorrect``."""
    if not user.has_second_factor or user.totp_secret is None:
        raise CodeIncorrect
    secret = totp.unseal(user.totp_secret, secret_key)
    step = totp.matching_step(secret, code, after_step=user.totp_last_step)
    if step is not None:
        # Conditional, so that two requests with the same code cannot both pass.
        taken = rows_changed(
            session,
            update(User)
            .where(User.id == user.id, _step_is_before(step))
            .values(totp_last_step=step),
        )
        if taken == 1:
            session.refresh(user, ["totp_last_step"])
            return
        raise CodeIncorrect
    if _use_recovery_code(session, user, code):
        second_factor_changed.send(session, user=user, change=Change.RECOVERY_CODE_USED)
        return
    raise CodeIncorrect


def recovery_codes_left(session: Session, user: User) -> int:
    unused = RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
    return session.scalar(select(func.count(RecoveryCode.id)).where(*unused)) or 0


def _step_is_before(step: int) -> ColumnElement[bool]:
    return or_(User.totp_last_step.is_(None), User.totp_last_step < step)


def _use_recovery_code(session: Session, user: User, code: str) -> bool:
    statement = (
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.digest == totp.recovery_code_digest(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
    )
    return rows_changed(session, statement) == 1


def _replace_recovery_codes(session: Session, user: User) -> list[str]:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = totp.new_recovery_codes()
    session.add_all(
        RecoveryCode(user_id=user.id, digest=totp.recovery_code_digest(code)) for code in codes
    )
    session.flush()
    return codes


def _check_password(user: User, password: str) -> None:
    if not user.password_hash or not verify_password(user.password_hash, password):
        raise PasswordIncorrect
