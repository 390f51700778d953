"""Signed-in devices: each sign-in is a session on the server, which can end one or all of them.

The browser holds a random secret (in the session cookie and the remember-me cookie, through
``User.get_id``); the server keeps only its SHA-256, beside the person, the browser's name and
the times. A request whose secret names no live session is anonymous: signing out, "sign out
everywhere", a password change or reset, and the absolute lifetime each end sessions so, and
a cookie copied before does not bring one back.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext
from sqlalchemy import ColumnElement, and_, delete, not_, or_, update
from sqlalchemy.orm import Session

from lms.accounts import browsers
from lms.accounts.models import DeviceSession, User
from lms.accounts.queries import device_and_user, devices_of
from lms.config import Settings
from lms.db import rows_changed, utcnow
from lms.errors import DomainError

SECRET_BYTES = 32
SECRET = re.compile(r"^[A-Za-z0-9_-]{43}$")
"""What ``secrets.token_urlsafe(SECRET_BYTES)`` gives; anything else is refused unlooked-up."""
MAX_USER_ID_DIGITS = 18
"""Longer ids cannot exist; refusing them spares the database an out-of-range number."""
LAST_SEEN_EVERY = timedelta(minutes=5)
"""A session's ``last_seen_at`` is written at most this often: not one write per request."""


class DeviceNotFound(DomainError):
    status_code = 404
    message = lazy_gettext("This device is not among the ones you are signed in on.")


@dataclass(frozen=True)
class Lifetimes:
    """How long a session lives: ``max_days`` after its sign-in at most, whatever happens, and
    ``idle_hours`` without a request unless the person asked to stay signed in."""

    max_days: int
    idle_hours: int

    @classmethod
    def of(cls, settings: Settings) -> Lifetimes:
        return cls(settings.session_max_days, settings.session_hours)

    @property
    def idle(self) -> timedelta:
        # last_seen_at lags the last request by up to LAST_SEEN_EVERY: never end one early.
        return timedelta(hours=self.idle_hours) + LAST_SEEN_EVERY

    def is_live(self, device: DeviceSession, now: datetime) -> bool:
        """Whether ``device`` still signs its browser in at ``now``."""
        if device.ended_at is not None or now - device.created_at >= timedelta(days=self.max_days):
            return False
        return device.remember or now - device.last_seen_at < self.idle

    def dead(self, now: datetime) -> ColumnElement[bool]:
        """``is_live``'s negation, as SQL."""
        return or_(
            DeviceSession.ended_at.is_not(None),
            DeviceSession.created_at <= now - timedelta(days=self.max_days),
            and_(not_(DeviceSession.remember), DeviceSession.last_seen_at <= now - self.idle),
        )


@dataclass(frozen=True)
class SignedInDevice:
    """A live session as the profile page lists it."""

    id: int
    browser: str
    system: str
    created_at: datetime
    last_seen_at: datetime
    current: bool
    """The browser asking: ending it signs this page out."""


def key_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("ascii")).hexdigest()


def start(
    session: Session,
    user: User,
    *,
    user_agent: str,
    remember: bool,
    lifetimes: Lifetimes,
    now: datetime | None = None,
) -> None:
    """Open a session for ``user`` on the browser of ``user_agent``, which becomes the user's
    ``device`` (and its secret part of ``get_id``, for Flask-Login to put in the cookies).

    The person's ended and expired sessions are deleted meanwhile: rows do not pile up.
    """
    moment = now or utcnow()
    session.execute(
        delete(DeviceSession).where(DeviceSession.user_id == user.id, lifetimes.dead(moment)),
        execution_options={"synchronize_session": False},
    )
    secret = secrets.token_urlsafe(SECRET_BYTES)
    browser = browsers.describe(user_agent)
    device = DeviceSession(
        user_id=user.id,
        key_hash=key_hash(secret),
        browser=browser.name,
        system=browser.system,
        remember=remember,
        created_at=moment,
        last_seen_at=moment,
    )
    session.add(device)
    session.flush()
    user.signed_in_on(device, secret)


def signed_in_user(
    session: Session, user_id: str, lifetimes: Lifetimes, now: datetime | None = None
) -> User | None:
    """The user of a Flask-Login id (``"<user id>:<secret>"``) if it names a live session of
    an account that still exists; None otherwise, without telling why."""
    raw_id, _sep, secret = user_id.partition(":")
    if not (raw_id.isascii() and raw_id.isdigit()) or len(raw_id) > MAX_USER_ID_DIGITS:
        return None
    if not SECRET.match(secret):
        return None
    found = device_and_user(session, key_hash(secret))
    if found is None:
        return None
    device, user = found
    if (
        device.user_id != int(raw_id)
        or not lifetimes.is_live(device, now or utcnow())
        or user.is_deleted
    ):
        return None
    user.signed_in_on(device, secret)
    return user


def seen_now(user: User, now: datetime | None = None) -> bool:
    """Set the current session's ``last_seen_at`` if older than ``LAST_SEEN_EVERY``; say if
    it was."""
    device = user.device
    moment = now or utcnow()
    if device is None or moment - device.last_seen_at < LAST_SEEN_EVERY:
        return False
    device.last_seen_at = moment
    return True


def live_devices(
    session: Session, user: User, lifetimes: Lifetimes, now: datetime | None = None
) -> tuple[SignedInDevice, ...]:
    """``user``'s live sessions, the one asking first, then the most recently active."""
    moment = now or utcnow()
    current = user.device.id if user.device is not None else None
    found = [
        SignedInDevice(
            device.id,
            device.browser,
            device.system,
            device.created_at,
            device.last_seen_at,
            device.id == current,
        )
        for device in devices_of(session, user.id)
        if lifetimes.is_live(device, moment)
    ]
    found.sort(key=lambda d: (not d.current, -d.last_seen_at.timestamp(), -d.id))
    return tuple(found)


def end_device(session: Session, user: User, device_id: int, now: datetime | None = None) -> bool:
    """End ``user``'s session ``device_id``; False if it had ended already.

    Raises ``DeviceNotFound`` for a session that is not ``user``'s, as for one that does not
    exist: nobody signs someone else out, nor learns which sessions exist.
    """
    device = session.get(DeviceSession, device_id)
    if device is None or device.user_id != user.id:
        raise DeviceNotFound
    if device.ended_at is not None:
        return False
    device.ended_at = now or utcnow()
    return True


def end_current(session: Session, user: User, now: datetime | None = None) -> None:
    """End the session ``user`` was loaded with (signing out), if there is one."""
    device = user.device
    if device is not None and device.ended_at is None:
        device.ended_at = now or utcnow()


def end_all(
    session: Session, user: User, *, keep_current: bool = False, now: datetime | None = None
) -> int:
    """End every session of ``user``, or all but the one asking (``keep_current``, as for a
    password change); how many it ended."""
    condition = and_(DeviceSession.user_id == user.id, DeviceSession.ended_at.is_(None))
    if keep_current and user.device is not None:
        condition = and_(condition, DeviceSession.id != user.device.id)
    return rows_changed(
        session, update(DeviceSession).where(condition).values(ended_at=now or utcnow())
    )


def forget_all(session: Session, user: User) -> None:
    """Delete every session row of ``user`` (their account is deleted): none can sign in."""
    session.execute(
        delete(DeviceSession).where(DeviceSession.user_id == user.id),
        execution_options={"synchronize_session": False},
    )
