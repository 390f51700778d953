"""A learner's own sessions and their personal calendar feed: its address (a secret), made
anew or turned off by them; the feed itself, read by calendar apps without a sign-in."""

from __future__ import annotations

from datetime import timedelta

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required

from lms.accounts import queries as account_queries
from lms.accounts.access import signed_in_user
from lms.catalog import current_catalog
from lms.config import current_settings
from lms.db import get_session, run_in_transaction, utcnow
from lms.extensions import limiter
from lms.forms import ConfirmForm, already_done
from lms.i18n import current_language, language_or_default
from lms.live import calendar_files, feeds, pages, queries, registrations, services
from lms.live.forms import RenewFeedForm
from lms.live.ical import MEDIA_TYPE
from lms.live.models import RegistrationStatus
from lms.live.views.learners import blueprint
from lms.mail import external_url

FEED_PAST_DAYS = 30
"""A feed keeps last month's sessions, so that a calendar does not lose them at once."""
FEED_READS_PER_IP = "60 per minute"
"""Calendar apps read a feed every few hours; a token has 192 bits, this only slows a robot."""


@blueprint.get("/my-sessions")
@login_required
def mine() -> ResponseReturnValue:
    session, user, now, language = get_session(), signed_in_user(), utcnow(), current_language()
    held = queries.registrations_by_session(session, user)
    upcoming = [s for s in queries.upcoming(session, now) if s.id in held]
    views = []
    for summary in queries.summaries(session, upcoming):
        registration = held[summary.live.id]
        position = (
            registrations.waiting_position(session, registration)
            if registration.status is RegistrationStatus.WAITING
            else None
        )
        views.append(
            pages.session_view(
                summary,
                registration,
                position=position,
                language=language,
                catalog=current_catalog(),
                now=now,
            )
        )
    feed = queries.feed_of(session, user.id)
    feed_url = (
        external_url(
            "live.feed", token=feeds.feed_token(current_settings().secret_key, user.id, feed.nonce)
        )
        if feed is not None
        else None
    )
    response = Response(
        render_template(
            "live/mine.html", sessions=views, feed=feed, feed_url=feed_url, form=ConfirmForm()
        )
    )
    # The page shows a secret address: it must reach no other site, nor any cache.
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _back_to_feed() -> ResponseReturnValue:
    return redirect(url_for(".mine", _anchor="feed"), 303)


@blueprint.post("/my-sessions/feed")
@login_required
def start_feed() -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    user = signed_in_user()
    if not run_in_transaction(lambda session: services.start_feed(session, user, now=utcnow())):
        return already_done(_back_to_feed())
    flash(_("Your calendar feed is ready: copy its address into your calendar app."), "success")
    return _back_to_feed()


@blueprint.route("/my-sessions/feed/new-address", methods=["GET", "POST"])
@login_required
def renew_feed() -> ResponseReturnValue:
    """What a new address does (calendars subscribed to the old one stop), then it."""
    user = signed_in_user()
    feed = queries.feed_of(get_session(), user.id)
    if feed is None:
        return _back_to_feed()  # nothing to renew: the page offers to make a feed
    form = RenewFeedForm()
    if request.method == "GET":
        form.shown.data = feeds.address_version(feed.nonce)
        return _confirm_page("live/feed_renew.html", form)
    if not form.validate_on_submit():
        abort(400)
    shown = form.shown.data or ""
    if not run_in_transaction(
        lambda session: services.renew_feed(session, user, shown, now=utcnow())
    ):
        return already_done(_back_to_feed())
    flash(_("Your feed has a new address: the old one no longer works."), "success")
    return _back_to_feed()


@blueprint.route("/my-sessions/feed/stop", methods=["GET", "POST"])
@login_required
def stop_feed() -> ResponseReturnValue:
    """What turning the feed off does, then it; posted twice, it says so."""
    user = signed_in_user()
    form = ConfirmForm()
    if request.method == "GET":
        if queries.feed_of(get_session(), user.id) is None:
            return _back_to_feed()
        return _confirm_page("live/feed_stop.html", form)
    if not form.validate_on_submit():
        abort(400)
    if not run_in_transaction(lambda session: services.stop_feed(session, user)):
        return already_done(_back_to_feed())
    flash(_("Your calendar feed is off: its address no longer works."), "success")
    return _back_to_feed()


def _confirm_page(template: str, form: ConfirmForm | RenewFeedForm) -> ResponseReturnValue:
    response = Response(render_template(template, form=form))
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@blueprint.get("/calendar/<token>.ics")
@limiter.limit(FEED_READS_PER_IP)
def feed(token: str) -> ResponseReturnValue:
    """A learner's sessions for their calendar app: found by the token alone (the route's
    ``token``, which the log never shows: ``lms.logs``)."""
    session, now = get_session(), utcnow()
    found = services.feed_owner(session, token, current_settings().secret_key)
    user = account_queries.user_by_id(session, found.user_id) if found is not None else None
    if found is None or user is None or user.deleted_at is not None:
        abort(404)
    language = language_or_default(user.language)
    sessions = queries.sessions_of(session, user, since=now - timedelta(days=FEED_PAST_DAYS))
    content = calendar_files.feed_file(sessions, language, now=now)
    run_in_transaction(lambda write: services.feed_read(write, found.user_id, now=now))
    response = Response(content, mimetype=MEDIA_TYPE)
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
