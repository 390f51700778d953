"""Learners' live sessions: the list, a session's page, registering and cancelling, its
``.ics``, its recording's captions; their own sessions and calendar feed (``my_sessions``)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from lms.accounts.access import signed_in_user
from lms.catalog import current_catalog
from lms.db import get_session, run_in_transaction, utcnow
from lms.forms import ConfirmForm, already_done
from lms.i18n import current_language
from lms.live import calendar_files, pages, queries, registrations, services
from lms.live.forms import LANGUAGE_LABELS
from lms.live.ical import MEDIA_TYPE
from lms.live.models import RegistrationStatus

blueprint = Blueprint("live", __name__, template_folder="../templates")

REGISTRATIONS_PER_USER = "30 per minute"


@blueprint.app_template_global()
def session_language_label(value: str) -> str:
    return next(
        (str(label) for lang, label in LANGUAGE_LABELS.items() if lang.value == value), value
    )


@blueprint.get("/sessions/")
def index() -> ResponseReturnValue:
    """The sessions to come, each with its seats; the reader's own registrations marked."""
    session, now, language = get_session(), utcnow(), current_language()
    summaries = queries.summaries(session, queries.upcoming(session, now))
    mine = (
        queries.registrations_by_session(session, signed_in_user())
        if current_user.is_authenticated
        else {}
    )
    views = [
        pages.session_view(
            summary,
            mine.get(summary.live.id),
            position=None,
            language=language,
            catalog=current_catalog(),
            now=now,
        )
        for summary in summaries
    ]
    return render_template("live/index.html", sessions=views)


def _view(slug: str) -> pages.SessionView:
    session, now = get_session(), utcnow()
    live = services.find_by_slug(session, slug)
    (summary,) = queries.summaries(session, [live])
    registration = None
    position = None
    staff = False
    if current_user.is_authenticated:
        user = signed_in_user()
        staff = user.is_staff
        registration = registrations.own_registration(session, live, user)
        if registration is not None and registration.status is RegistrationStatus.WAITING:
            position = registrations.waiting_position(session, registration)
    return pages.session_view(
        summary,
        registration,
        position=position,
        language=current_language(),
        catalog=current_catalog(),
        now=now,
        staff=staff,
    )


@blueprint.get("/sessions/<slug>")
def session_page(slug: str) -> ResponseReturnValue:
    return render_template("live/session.html", view=_view(slug), form=ConfirmForm())


@blueprint.post("/sessions/<slug>/register")
@login_required
def register(slug: str) -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    registration = run_in_transaction(
        lambda session: registrations.register(
            session, services.find_by_slug(session, slug), signed_in_user(), now=utcnow()
        )
    )
    if registration.status is RegistrationStatus.REGISTERED:
        flash(_("You are registered. A confirmation is on its way by email."), "success")
    else:
        flash(
            _("The session is full: you are on its waiting list. We will write if a seat frees."),
            "info",
        )
    return redirect(url_for(".session_page", slug=slug), 303)


@blueprint.route("/sessions/<slug>/cancel", methods=["GET", "POST"])
@login_required
def cancel(slug: str) -> ResponseReturnValue:
    """What cancelling does (the seat goes to the first waiting), then it; a second post
    (a double click, another tab) says it was done."""
    back = redirect(url_for(".session_page", slug=slug), 303)
    if request.method == "GET":
        view = _view(slug)
        if view.mine is None:
            raise registrations.NotRegistered
        if view.phase in (pages.Phase.STARTED, pages.Phase.OVER):
            raise registrations.SessionStarted
        return render_template("live/cancel.html", view=view, form=ConfirmForm())
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        run_in_transaction(
            lambda session: registrations.cancel(
                session, services.find_by_slug(session, slug), signed_in_user(), now=utcnow()
            )
        )
    except registrations.AlreadyCancelled:
        return already_done(back)
    flash(_("Your registration is cancelled."), "success")
    return back


@blueprint.get("/sessions/<slug>/calendar.ics")
@login_required
def session_calendar(slug: str) -> ResponseReturnValue:
    """The session as an ``.ics`` file, for those who hold a seat (it has the call's link)."""
    session = get_session()
    live = services.find_by_slug(session, slug)
    registration = registrations.own_registration(session, live, signed_in_user())
    if registration is None or registration.status is not RegistrationStatus.REGISTERED:
        abort(404)
    content = calendar_files.session_file(live, current_language(), now=utcnow())
    response = Response(content, mimetype=MEDIA_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{live.slug}.ics"'
    return response


@blueprint.get("/sessions/<slug>/captions.vtt")
@login_required
def captions(slug: str) -> ResponseReturnValue:
    """The recording's captions, for those who held a seat, and staff."""
    session, user = get_session(), signed_in_user()
    live = services.find_by_slug(session, slug)
    registration = registrations.own_registration(session, live, user)
    seated = registration is not None and registration.status is RegistrationStatus.REGISTERED
    if not live.captions_vtt or not (seated or user.is_staff):
        abort(404)
    response = Response(live.captions_vtt, mimetype="text/vtt")
    response.headers["Content-Disposition"] = f'inline; filename="{live.slug}.vtt"'
    return response
