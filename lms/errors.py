"""Domain errors and the pages shown for them and for HTTP errors, in the user's language."""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from flask import Flask, g, render_template
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext
from flask_login import AnonymousUserMixin, current_user
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from werkzeug.exceptions import HTTPException, InternalServerError

from lms.db import get_session

logger = logging.getLogger(__name__)


class DomainError(Exception):
    """A rule said no. Subclasses are named as sentences (``AttemptLimitReached``).

    ``message`` is shown to the person; ``status_code`` is the HTTP answer (4xx).
    """

    status_code = 400
    message = lazy_gettext("This action is not possible.")


_TITLES = {
    400: lazy_gettext("Bad request"),
    403: lazy_gettext("Access denied"),
    404: lazy_gettext("Page not found"),
    405: lazy_gettext("Method not allowed"),
    413: lazy_gettext("Too large"),
    415: lazy_gettext("Not a form"),
    429: lazy_gettext("Too many attempts"),
    500: lazy_gettext("Something went wrong"),
    503: lazy_gettext("Unavailable for a moment"),
}

_MESSAGES = {
    400: lazy_gettext(
        "The request could not be understood. If you were sending a form, it may have "
        "expired: go back, reload the page and try again."
    ),
    403: lazy_gettext("You do not have permission to see this page."),
    404: lazy_gettext(
        "There is no page at this address. Check the address, or start again "
        "from the list of courses."
    ),
    405: lazy_gettext("This address does not accept this kind of request."),
    413: lazy_gettext(
        "What was sent is larger than this site accepts. A roster file must be smaller; "
        "a form’s text, a few pages at most."
    ),
    415: lazy_gettext("This address accepts the site’s forms only, sent from its pages."),
    429: lazy_gettext(
        "There were too many attempts in a short time. Wait a few minutes, then try again."
    ),
    500: lazy_gettext(
        "An unexpected error happened on our side and has been recorded. "
        "Please try again in a moment."
    ),
    503: lazy_gettext(
        "The site cannot reach its database right now. Nothing you did is lost: try again "
        "in a minute."
    ),
}


def _render(status: int, message: object | None = None) -> tuple[str, int]:
    shown = status if status in _TITLES else (500 if status >= 500 else 400)
    page = render_template(
        "errors/error.html",
        status=status,
        title=_TITLES[shown],
        message=message if message is not None else _MESSAGES[shown],
    )
    return page, status


def _handle_http_error(error: HTTPException) -> tuple[str, int]:
    return _render(error.code or 500)


def _rolled_back(page: ErrorPage) -> ErrorPage:
    def handle(error: DomainError) -> ResponseReturnValue:
        # Whatever the refused request wrote must not be committed by a later step.
        get_session().rollback()
        return page(error)

    return handle


def _handle_domain_error(error: DomainError) -> tuple[str, int]:
    get_session().rollback()
    return _render(error.status_code, error.message)


def _handle_internal_error(_error: InternalServerError) -> tuple[str, int]:
    _roll_back()
    _user_or_anonymous()
    return _render(500)


def _handle_database_unreachable(error: SQLAlchemyError) -> tuple[str, int]:
    logger.warning("The database cannot be reached: %s", type(error).__name__)
    _roll_back()
    _user_or_anonymous()
    return _render(503)


def _roll_back() -> None:
    """Drop whatever the failed request wrote, so that no later step commits it; when the
    database is what failed, there may be no connection left to do it on."""
    try:
        get_session().rollback()
    except SQLAlchemyError:
        logger.warning("Rolling back after an error failed too")


def _user_or_anonymous() -> None:
    """The error page's header names who is signed in, which loads them from the database:
    when that fails, the page shows as to a visitor rather than failing in turn."""
    try:
        current_user.is_authenticated  # noqa: B018 (loads the user)
    except SQLAlchemyError:
        # Flask-Login keeps the request's user here; a visitor is what it loads for no one.
        g._login_user = AnonymousUserMixin()


ErrorPage = Callable[[Any], ResponseReturnValue]
"""The page of one kind of domain error, given the error."""


def init_app(app: Flask, pages: Mapping[type[DomainError], ErrorPage]) -> None:
    """Every error's page: ``pages`` for the domain errors that have their own (the app
    factory lists them), the message page for the others and for HTTP errors."""
    for error_class, page in pages.items():
        app.register_error_handler(error_class, _rolled_back(page))
    app.register_error_handler(DomainError, _handle_domain_error)
    app.register_error_handler(InternalServerError, _handle_internal_error)
    # A database down, restarting, or out of connections: a 503 to retry, not a bug.
    app.register_error_handler(OperationalError, _handle_database_unreachable)
    app.register_error_handler(InterfaceError, _handle_database_unreachable)
    app.register_error_handler(HTTPException, _handle_http_error)
