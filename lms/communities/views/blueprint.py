"""The members' blueprint of communities, which the modules of ``lms.communities.views`` add
their pages to; every page needs an account. The header's unread count is app-wide."""

from __future__ import annotations

from flask import Blueprint
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from lms.accounts.access import signed_in_user, user_key
from lms.communities import pages, queries
from lms.communities.queries import Viewer
from lms.communities.services import viewer_of
from lms.db import get_session
from lms.extensions import limiter, login_manager

blueprint = Blueprint(
    "communities", __name__, url_prefix="/communities", template_folder="../templates"
)

POSTS_PER_PERSON = "10 per 10 minutes;60 per day"
"""Questions and replies one person may send: a lively discussion, not a flood."""
REPORTS_PER_PERSON = "20 per hour"
"""Each report mails the moderators."""

posting_limit = limiter.shared_limit(
    POSTS_PER_PERSON, scope="community-posts", key_func=user_key, methods=["POST"]
)
reporting_limit = limiter.limit(REPORTS_PER_PERSON, key_func=user_key, methods=["POST"])


@blueprint.before_request
def _signed_in_only() -> ResponseReturnValue | None:
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def current_viewer() -> Viewer:
    return viewer_of(signed_in_user())


@blueprint.app_template_global()
def community_unread() -> str | None:
    """How many threads have posts the signed-in member has not read, in words, for the
    header ("99+" past ``UNREAD_CAP``); None when there is none."""
    if not current_user.is_authenticated:
        return None
    count = queries.unread_count(get_session(), current_viewer())
    if not count:
        return None
    if count >= queries.UNREAD_CAP:
        return _("%(num)d+ unread", num=queries.UNREAD_CAP - 1)
    return ngettext("%(num)d unread", "%(num)d unread", count)


blueprint.add_app_template_global(pages.shown_name, "shown_name")
