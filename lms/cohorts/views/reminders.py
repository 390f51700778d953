"""Reminders from a cohort's dashboard: first who gets one, who is skipped and why, and the
mail in each language; then the sending, once however often the form is posted."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext

from lms.accounts.access import signed_in_user
from lms.audit.actions import AuditAction
from lms.audit.services import claim_action
from lms.catalog import current_catalog
from lms.cohorts import services
from lms.cohorts.views.blueprint import blueprint
from lms.config import current_settings
from lms.content import SUPPORTED_LANGUAGES
from lms.db import get_session, utcnow
from lms.forms import ConfirmActionForm, already_done
from lms.i18n import LANGUAGE_NAMES
from lms.outbox.services import enqueue


@blueprint.get("/cohorts/<int:cohort_id>/reminders")
def confirm_reminders(cohort_id: int) -> ResponseReturnValue:
    session = get_session()
    cohort = services.find_cohort(session, cohort_id)
    catalog, settings = current_catalog(), current_settings()
    now = utcnow()
    plan = services.reminder_plan(session, catalog, settings, now=now, cohort=cohort)
    # The first person's own mail, as each language writes it: what everyone gets, their
    # name and courses aside.
    previews = (
        services.reminder_previews(
            session, catalog, plan.reminders[0], tuple(SUPPORTED_LANGUAGES), now=now
        )
        if plan.reminders
        else {}
    )
    return render_template(
        "cohorts/reminders.html",
        cohort=cohort,
        plan=plan,
        previews=previews,
        language_names=LANGUAGE_NAMES,
        window_days=settings.reminder_window_days,
        interval_days=settings.reminder_interval_days,
        form=ConfirmActionForm(),
    )


@blueprint.post("/cohorts/<int:cohort_id>/reminders")
def send_reminders(cohort_id: int) -> ResponseReturnValue:
    form = ConfirmActionForm()
    if not form.validate_on_submit():
        abort(400)
    session = get_session()
    cohort = services.find_cohort(session, cohort_id)
    back = redirect(url_for("cohorts.cohort", cohort_id=cohort.id), 303)
    if not claim_action(session, form.key, AuditAction.REMINDER_SEND):
        return already_done(back)
    catalog, settings, now = current_catalog(), current_settings(), utcnow()
    planned = services.plan_reminders(session, catalog, settings, now=now, cohort=cohort)
    mails = services.record_reminders(
        session, catalog, planned, actor=signed_in_user(), now=now, secret_key=settings.secret_key
    )
    enqueue(session, mails)
    session.commit()
    if mails:
        flash(
            ngettext(
                "A reminder was sent to %(num)d member.",
                "Reminders were sent to %(num)d members.",
                len(mails),
            ),
            "success",
        )
    else:
        flash(
            _(
                "Nobody to remind: every member has completed, the due date is not near yet, "
                "or they had a reminder recently."
            ),
            "info",
        )
    return back
