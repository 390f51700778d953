"""Browsers an account has signed in from: a signed cookie that spares the account's owner
the sign-in limits that strangers' failures set off.

Failed sign-ins are limited per address and per network address, so that nobody can guess a
password; but anyone could then lock an owner out by failing on purpose. A browser where the
owner has signed in before (or has just set a password from a mailed link, which proves the
address) carries this cookie, naming the address by its digest: the limits do not apply to
that address from that browser. The cookie is signed with the app's secret key, so that it
cannot be made up; it names at most ``MAX_ADDRESSES`` addresses and holds no email.
"""

from __future__ import annotations

from datetime import timedelta

from flask import request
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response

from lms.accounts.access import email_digest
from lms.config import current_settings

COOKIE = "lms_known"
MAX_ADDRESSES = 5
MAX_AGE = timedelta(days=365)
_SALT = "lms.accounts.known-browser"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_settings().secret_key, salt=_SALT)


def _known() -> list[str]:
    """The digests this request's cookie names; none if it is missing or not ours."""
    raw = request.cookies.get(COOKIE)
    if not raw:
        return []
    try:
        digests = _serializer().loads(raw)
    except BadSignature:
        return []
    if not isinstance(digests, list):
        return []
    return [digest for digest in digests if isinstance(digest, str)][:MAX_ADDRESSES]


def knows(email: str) -> bool:
    """Whether this browser has signed in as ``email`` before."""
    return email_digest(email) in _known()


def knows_the_form_address() -> bool:
    """``knows`` for the address a sign-in form names (the limits' ``exempt_when``)."""
    return knows(request.form.get("email", ""))


def remember(response: Response, email: str) -> Response:
    """``response``, with the cookie naming ``email`` first (and the others it knew)."""
    digest = email_digest(email)
    digests = [digest] + [known for known in _known() if known != digest]
    response.set_cookie(
        COOKIE,
        _serializer().dumps(digests[:MAX_ADDRESSES]),
        max_age=int(MAX_AGE.total_seconds()),
        samesite="Lax",
        secure=current_settings().is_production,
        httponly=True,
    )
    return response
