"""Who may see staff and admin pages: checked once per blueprint, before any of its views."""

from __future__ import annotations

from flask import Blueprint, abort
from flask.typing import ResponseReturnValue
from flask_login import current_user

from lms.accounts.models import Role, User
from lms.extensions import login_manager

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
    """The signed-in user itself, not Flask-Login's proxy: what services record as the actor."""
    user: User = current_user._get_current_object()
    return user
