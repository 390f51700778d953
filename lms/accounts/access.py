"""Who is asking: the signed-in user and their session, the roles a blueprint requires,
rate-limit keys."""

from __future__ import annotations

import hashlib
import logging

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from limits import parse
from sqlalchemy.orm import Session

from lms.accounts import devices, sign_in_steps
from lms.accounts.categories import Role
from lms.accounts.models import User, normalize_email
from lms.config import current_settings
from lms.extensions import limiter, login_manager

MAILS_PER_EMAIL = "3 per 15 minutes"
"""Mails that sign-ups and reset requests naming one address send its owner: counted on the
mails sent (``may_mail``), never on the requests, which are all answered alike."""

logger = logging.getLogger(__name__)

STAFF_ROLES = frozenset({Role.STAFF, Role.ADMIN})
ADMIN_ROLES = frozenset({Role.ADMIN})


def restrict(blueprint: Blueprint, roles: frozenset[Role]) -> None:
    """Refuse every page of ``blueprint`` to anyone without one of ``roles``.

    Anonymous visitors are sent to sign in; signed-in people without the role get a 403.
    A hook on the blueprint rather than a decorator per view: a view added later cannot
    forget it.
    """

    def check() -> ResponseReturnValue | None:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if current_user.role not in roles:
            abort(403)
        if roles & STAFF_ROLES and current_settings().require_2fa_for_staff:
            return _second_factor_asked(signed_in_user())
        return None

    blueprint.before_request(check)


def _second_factor_asked(user: User) -> ResponseReturnValue | None:
    """Send a staff member whose session has not passed a second factor to set one up, or
    to type its code, and back (LMS_REQUIRE_2FA_FOR_STAFF)."""
    if sign_in_steps.passed(user):
        return None
    if not user.has_second_factor:
        flash(_("Staff pages need two-step verification: set it up to continue."), "info")
        return redirect(url_for("second_factor.settings"))
    return redirect(url_for("second_factor.sign_in_code", next=request.full_path))


def signed_in_user() -> User:
    """The signed-in user itself, not Flask-Login's proxy: what services take (as the learner,
    or as the actor they record), and what ``login_user`` needs."""
    user: User = current_user._get_current_object()
    return user


def email_digest(email: str) -> str:
    """What identifies an address in limits and cookies: hashed, so that they hold no email."""
    return hashlib.sha256(normalize_email(email)[:254].encode("utf-8")).hexdigest()


def session_lifetimes() -> devices.Lifetimes:
    """How long signed-in sessions live, as this app's settings say."""
    return devices.Lifetimes.of(current_settings())


def start_session(session: Session, user: User, *, remember: bool) -> None:
    """Open a session for ``user`` on the browser asking, before ``login_user`` (which puts
    its secret in the cookies)."""
    devices.start(
        session,
        user,
        user_agent=request.user_agent.string,
        remember=remember,
        lifetimes=session_lifetimes(),
    )


def email_key() -> str:
    """The rate-limit key of the address in the form."""
    return "email:" + email_digest(request.form.get("email", ""))


def may_mail(email: str) -> bool:
    """Whether the owner of ``email`` may be sent one more sign-up or reset mail now
    (``MAILS_PER_EMAIL``); if so, the mail is counted."""
    if not limiter.enabled:
        return True
    try:
        return limiter.limiter.hit(parse(MAILS_PER_EMAIL), "account-mail", email_digest(email))
    except Exception:  # the store (Redis) is down: a mail too many beats a lost one
        logger.warning("Could not count an account mail; sending it", exc_info=True)
        return True


def user_key() -> str:
    """The rate-limit key of the signed-in user: the person, whichever their session."""
    return f"user:{current_user.id}" if current_user.is_authenticated else "anonymous"
