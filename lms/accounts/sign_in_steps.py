"""A sign-in in two steps: the password, then, for an account with a second factor, a code.

Between the two, the session holds a pending sign-in (whose account, "keep me signed in",
where to go next), for ``PENDING_MINUTES``; nobody is signed in until the code is right.
Once it is, the session records that it passed the second factor, which staff pages ask for
(``LMS_REQUIRE_2FA_FOR_STAFF``). "Remember this device" gives the browser a cookie, signed and
bound to the password, that skips the code for ``DEVICE_DAYS``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import request
from flask import session as flask_session
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from lms.accounts.models import User
from lms.config import current_settings

PENDING_KEY = "lms.pending_sign_in"
PASSED_KEY = "lms.second_factor_for"
PENDING_MINUTES = 10
DEVICE_COOKIE = "lms_2fa_device"
DEVICE_DAYS = 30
_DEVICE_SALT = "lms.accounts.second-factor-device"


def _account_key(user: User) -> str:
    # Changes with the password: a password changed meanwhile ends what this module keeps.
    return f"{user.id}:{user.session_key}"


@dataclass(frozen=True)
class PendingSignIn:
    user: User
    remember: bool
    next: str


def start(user: User, *, remember: bool, next_page: str) -> None:
    """The password was right: wait for the code before signing ``user`` in."""
    flask_session[PENDING_KEY] = {
        "user": _account_key(user),
        "remember": remember,
        "next": next_page,
        "at": int(time.time()),
    }


def pending(session: Session) -> PendingSignIn | None:
    """The sign-in waiting for its code, if it is recent and its account unchanged."""
    found = flask_session.get(PENDING_KEY)
    if not isinstance(found, dict) or not isinstance(found.get("user"), str):
        return None
    if time.time() - float(found.get("at", 0)) > PENDING_MINUTES * 60:
        return None
    raw_id, _sep, _key = found["user"].partition(":")
    user = session.get(User, int(raw_id)) if raw_id.isdigit() else None
    if user is None or user.is_deleted or _account_key(user) != found["user"]:
        return None
    return PendingSignIn(user, bool(found.get("remember")), str(found.get("next", "")))


def finish() -> None:
    flask_session.pop(PENDING_KEY, None)


def mark_passed(user: User) -> None:
    """This session passed ``user``'s second factor (or just set one up)."""
    flask_session[PASSED_KEY] = _account_key(user)


def passed(user: User) -> bool:
    return flask_session.get(PASSED_KEY) == _account_key(user)


def _device_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_settings().secret_key, salt=_DEVICE_SALT)


def remember_device(response: Response, user: User) -> Response:
    """``response``, with the cookie that skips ``user``'s code on this browser."""
    response.set_cookie(
        DEVICE_COOKIE,
        _device_serializer().dumps(_account_key(user)),
        max_age=DEVICE_DAYS * 86_400,
        samesite="Lax",
        secure=current_settings().is_production,
        httponly=True,
    )
    return response


def device_remembered(user: User) -> bool:
    """Whether this browser was remembered for ``user`` within ``DEVICE_DAYS``, since the
    password last changed."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return False
    try:
        remembered = _device_serializer().loads(raw, max_age=DEVICE_DAYS * 86_400)
    except BadSignature:
        return False
    return bool(remembered == _account_key(user))
