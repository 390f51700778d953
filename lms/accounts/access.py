"""Who is asking: the signed-in user, the roles a blueprint requires, rate-limit keys."""

from __future__ import annotations

import hashlib

from flask import Blueprint, abort, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from lms.accounts.categories import Role
from lms.accounts.models import User, normalize_email
from lms.extensions import login_manager

MAILS_PER_EMAIL = "3 per 15 minutes"
"""Sign-ups and reset requests naming one address: each may mail its owner."""

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
        return None

    blueprint.before_request(check)


def signed_in_user() -> User:
    """The signed-in user itself, not Flask-Login's proxy: what services take (as the learner,
    or as the actor they record), and what ``login_user`` needs."""
    user: User = current_user._get_current_object()
    return user


def email_key() -> str:
    """The rate-limit key of the address in the form, hashed so that storage holds no email."""
    email = normalize_email(request.form.get("email", ""))[:254]
    return "email:" + hashlib.sha256(email.encode("utf-8")).hexdigest()


def user_key() -> str:
    """The rate-limit key of the signed-in user."""
    return f"user:{current_user.get_id()}" if current_user.is_authenticated else "anonymous"
