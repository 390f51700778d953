"""Errors in the course files, for staff: the list, and the banner every staff page shows."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from lms.accounts.access import STAFF_ROLES, restrict
from lms.admin.content_status import ContentStatus, content_status
from lms.catalog import catalog_store
from lms.config import current_settings
from lms.db import get_session
from lms.i18n import current_language
from lms.live import queries as live

blueprint = Blueprint(
    "content_problems", __name__, url_prefix="/staff/content", template_folder="../templates"
)
restrict(blueprint, STAFF_ROLES)


def _status() -> ContentStatus:
    content = catalog_store().content
    # Sessions are scheduled in the app: only the database tells whether one has the id or
    # tag a definition requires (the check of ``lms courses check``, here too). Two small
    # queries, and none when no definition requires sessions.
    unknown = live.unknown_session_problems(get_session(), content.session_references)
    return content_status(content, current_language(), unknown)


@blueprint.get("/")
def index() -> ResponseReturnValue:
    return render_template(
        "admin/content.html", status=_status(), reloading=current_settings().content_reload
    )


@blueprint.app_template_global()
def content_problems_banner() -> ContentStatus | None:
    """What the banner tells staff of errors in the course files, and of sessions that
    certificates require and nobody scheduled; None when there are none."""
    # Called by base.html for staff only, so learners' pages never pay for it.
    status = _status()
    return status if status.errors or status.unknown_sessions else None
