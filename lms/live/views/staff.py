"""Staff's live sessions: the list (to come or past), scheduling one, changing it, cancelling
it after a confirmation; its page, with who registered, waits, and attended (``attendance``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from lms.accounts.access import STAFF_ROLES, restrict, signed_in_user
from lms.audit.actions import AuditAction
from lms.audit.services import claim_action
from lms.catalog import current_catalog
from lms.db import get_session, utcnow
from lms.forms import already_done
from lms.i18n import current_language
from lms.live import queries, services
from lms.live.forms import CancelSessionForm, EditSessionForm, NewSessionForm
from lms.live.models import LiveSession
from lms.live.times import in_zone, when

blueprint = Blueprint(
    "live_staff", __name__, url_prefix="/staff/sessions", template_folder="../templates"
)
restrict(blueprint, STAFF_ROLES)


@blueprint.app_template_global()
def session_when(live: LiveSession) -> str:
    """A session's day and hours in its zone, in the reader's language (staff's lists)."""
    return when(live.starts_at, live.ends_at, live.time_zone, current_language()).text


@blueprint.get("/")
def index() -> ResponseReturnValue:
    session, now = get_session(), utcnow()
    past = request.args.get("past") == "1"
    found = queries.summaries(session, queries.staff_list(session, now, past=past))
    return render_template("live/staff/index.html", summaries=found, past=past, now=now)


def _links() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The choices of a linked course and program: none, or one of the catalogue's."""
    catalog, language = current_catalog(), current_language()
    courses = [("", _("None"))] + [
        (c.id, f"{c.title.get(language)} ({c.id})") for c in catalog.courses.values()
    ]
    programs = [("", _("None"))] + [
        (c.id, f"{c.title.get(language)} ({c.id})") for c in catalog.certificates.values()
    ]
    return courses, programs


_T = TypeVar("_T")


def _saved(form: EditSessionForm, save: Callable[..., _T]) -> _T | None:
    """What ``save`` (a service given the session, catalogue and details) returns; None,
    with the message on its field, when a time does not exist or an id is taken."""
    times = form.times()
    if times is None:
        return None
    session = get_session()
    try:
        return save(session, current_catalog(), form.details(*times))
    except services.SlugTaken as error:
        session.rollback()
        if isinstance(form, NewSessionForm):
            form.slug.errors = [str(error.message)]
        return None
    except (services.CourseNotFound, services.CertificateNotFound) as error:
        session.rollback()
        field = (
            form.course_id if isinstance(error, services.CourseNotFound) else form.certificate_id
        )
        field.errors = [str(error.message)]
        return None


@blueprint.route("/new", methods=["GET", "POST"])
def new_session() -> ResponseReturnValue:
    form = NewSessionForm()
    form.set_links(*_links())
    if form.validate_on_submit():
        slug = form.slug.data or ""
        live = _saved(
            form,
            lambda session, catalog, details: services.create_session(
                session, catalog, slug, details, actor=signed_in_user()
            ),
        )
        if live is not None:
            get_session().commit()
            flash(_("The session is scheduled."), "success")
            return redirect(url_for(".session_page", session_id=live.id), 303)
    status = 400 if form.errors else 200
    return render_template("live/staff/new.html", form=form), status


def _filled(form: EditSessionForm, live: LiveSession) -> None:
    start, end = in_zone(live.starts_at, live.time_zone), in_zone(live.ends_at, live.time_zone)
    form.day.data, form.start_time.data = start.date(), start.time()
    form.end_day.data, form.end_time.data = end.date(), end.time()
    form.tags.data = " ".join(live.tag_names)
    form.language.data = live.language.value
    form.course_id.data = live.course_id or ""
    form.certificate_id.data = live.certificate_id or ""


@blueprint.route("/<int:session_id>/edit", methods=["GET", "POST"])
def edit_session(session_id: int) -> ResponseReturnValue:
    live = services.find_session(get_session(), session_id)
    if live.cancelled_at is not None:
        raise services.SessionAlreadyCancelled
    # The row fills the form when it is shown, never a field missing from a post.
    form = EditSessionForm(obj=live) if request.method == "GET" else EditSessionForm()
    form.set_links(*_links())
    if request.method == "GET":
        _filled(form, live)
    elif form.validate_on_submit():
        changed = _saved(
            form,
            lambda session, catalog, details: services.update_session(
                session, catalog, live, details, actor=signed_in_user(), now=utcnow()
            ),
        )
        if changed is not None:
            get_session().commit()
            flash(_("The session is saved.") if changed else _("Nothing was changed."), "success")
            return redirect(url_for(".session_page", session_id=live.id), 303)
    status = 400 if form.errors else 200
    return render_template("live/staff/edit.html", live=live, form=form), status


@blueprint.route("/<int:session_id>/cancel", methods=["GET", "POST"])
def cancel_session(session_id: int) -> ResponseReturnValue:
    """What cancelling does (everyone registered or waiting is mailed), then it, once."""
    session = get_session()
    live = services.find_session(session, session_id)
    back = redirect(url_for(".session_page", session_id=live.id), 303)
    form = CancelSessionForm() if request.method == "POST" else CancelSessionForm(formdata=None)
    if request.method == "GET" or not form.validate_on_submit():
        if live.cancelled_at is not None:
            return already_done(back)
        (summary,) = queries.summaries(session, [live])
        status = 400 if form.errors else 200
        page = render_template("live/staff/cancel.html", live=live, summary=summary, form=form)
        return page, status
    if not claim_action(session, form.key, AuditAction.LIVE_SESSION_CANCEL):
        return already_done(back)
    reason = form.reason.data or ""
    if not services.cancel_session(
        session, live, reason=reason, actor=signed_in_user(), now=utcnow()
    ):
        session.rollback()
        return already_done(back)
    session.commit()
    flash(_("The session is cancelled; everyone registered or waiting is told."), "success")
    return back
