"""Staff's overrides of a learner's progress: a step marked as done, a course reset."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext

from lms.accounts.access import STAFF_ROLES, restrict, signed_in_user
from lms.accounts.services import find_user
from lms.admin import services
from lms.admin.forms import MarkDoneForm, ResetProgressForm
from lms.admin.pages import CourseLine
from lms.admin.views.learners import OpenForm, render_record, steps_left
from lms.audit.actions import AuditAction
from lms.audit.queries import action_claimed
from lms.audit.services import claim_action
from lms.catalog import current_catalog
from lms.db import get_session
from lms.errors import DomainError
from lms.forms import already_done

if TYPE_CHECKING:
    from lms.accounts.models import User

blueprint = Blueprint(
    "progress", __name__, url_prefix="/staff/learners", template_folder="../templates"
)
restrict(blueprint, STAFF_ROLES)


def _course_line(user: User, course_id: str) -> CourseLine:
    """The course as the learner's record shows it; 404 for a course they never began."""
    record = services.learner_record(get_session(), user, current_catalog())
    line = next((c for c in record.courses if c.course_id == course_id), None)
    if line is None:
        abort(404)
    return line


def _render_reset(
    user: User, course: CourseLine, form: ResetProgressForm, status: int = 200
) -> ResponseReturnValue:
    page = render_template("admin/reset_progress.html", profile=user, course=course, form=form)
    return page, status


@blueprint.get("/<int:user_id>/courses/<course_id>/reset")
def confirm_reset(user_id: int, course_id: str) -> ResponseReturnValue:
    """What resetting will forget, and the reason to give, before anything is done."""
    user = find_user(get_session(), user_id)
    return _render_reset(user, _course_line(user, course_id), ResetProgressForm(formdata=None))


@blueprint.post("/<int:user_id>/courses/<course_id>/reset")
def reset(user_id: int, course_id: str) -> ResponseReturnValue:
    session = get_session()
    user = find_user(session, user_id)
    course = _course_line(user, course_id)
    form = ResetProgressForm()
    if not form.validate_on_submit():
        return _render_reset(user, course, form, 400)
    back = redirect(url_for("learners.record", user_id=user.id), 303)
    if not claim_action(session, form.key, AuditAction.PROGRESS_RESET):
        return already_done(back)
    steps = services.reset_course_progress(
        session, user, course_id, reason=form.reason.data or "", actor=signed_in_user()
    )
    session.commit()
    flash(
        ngettext(
            "The progress is reset: %(num)d step done before is forgotten.",
            "The progress is reset: %(num)d steps done before are forgotten.",
            steps,
        ),
        "success",
    )
    return back


@blueprint.post("/<int:user_id>/courses/<course_id>/mark-done")
def mark_done(user_id: int, course_id: str) -> ResponseReturnValue:
    session = get_session()
    user = find_user(session, user_id)
    course = current_catalog().course(course_id)
    if course is None:
        abort(404)
    form = MarkDoneForm()
    form.set_steps(steps_left(_course_line(user, course_id)))
    back = redirect(url_for("learners.record", user_id=user.id), 303)
    if not form.validate_on_submit():
        # A repeated post finds its step done, so no longer a choice: it was done already.
        if form.key and action_claimed(session, form.key):
            return already_done(back)
        return render_record(user, open_form=OpenForm("mark", course_id, form))
    if not claim_action(session, form.key, AuditAction.STEP_MARK_DONE):
        return already_done(back)
    try:
        completed = services.mark_step_done(
            session,
            user,
            course,
            form.item.data,
            reason=form.reason.data or "",
            actor=signed_in_user(),
        )
    except DomainError as error:
        # Prerequisites not complete: the step cannot count before them.
        session.rollback()
        flash(str(error.message), "error")
        return back
    session.commit()
    if completed:
        flash(_("The step is marked as done, and with it the course is complete."), "success")
    else:
        flash(_("The step is marked as done."), "success")
    return back
