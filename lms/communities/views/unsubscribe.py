"""The one-click unsubscribe links of communities' mail (RFC 8058), which work without
signing in: a GET shows what the link stops and asks to confirm (mail scanners that open
links stop nothing); a POST, from that page or a mail client's own button, stops it."""

from __future__ import annotations

from flask import Blueprint, make_response, render_template, request
from flask.typing import ResponseReturnValue

from lms.accounts import queries as accounts
from lms.catalog import current_catalog
from lms.communities import pages
from lms.communities import unsubscribe as links
from lms.config import current_settings
from lms.db import get_session, utcnow
from lms.extensions import csrf
from lms.i18n import current_language, show_in_language_of

blueprint = Blueprint(
    "community_mail",
    __name__,
    url_prefix="/communities/unsubscribe",
    template_folder="../templates",
)


# The route's part is named ``token`` so that the request log writes the route, never the
# link (``lms.logs``).
@blueprint.route("/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the proof; a mail client's one-click POST carries no form
def unsubscribe(token: str) -> ResponseReturnValue:
    session = get_session()
    subscription = links.read_token(current_settings().secret_key, token)
    recipient = accounts.user_by_id(session, subscription.user_id)
    show_in_language_of(recipient.language if recipient is not None else None)
    stopped = links.what_it_stops(session, subscription)
    if request.method == "POST" and links.stop(session, subscription, now=utcnow()):
        session.commit()
    state = links.link_state(session, subscription)
    community = (
        pages.community_label(stopped.community, current_catalog(), current_language())
        if stopped.community is not None
        else None
    )
    response = make_response(
        render_template(
            "communities/unsubscribe.html",
            stopped=stopped,
            community=community,
            state=state.value,
            token=token,
        )
    )
    # The page's address is the link itself: not to be passed on to another site.
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
