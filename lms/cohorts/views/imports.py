"""Roster imports: the file checked at once (its problems shown on the form), then imported by
a job whose progress page survives a reload and answers from any server."""

from __future__ import annotations

from flask import redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from lms import jobs
from lms.accounts.access import signed_in_user
from lms.cohorts import imports, services
from lms.cohorts.forms import MAX_ROSTER_BYTES, RosterForm
from lms.cohorts.import_jobs import JOB_NAME
from lms.cohorts.pages import ROSTER_COLUMN_LABELS
from lms.cohorts.roster import REQUIRED_COLUMNS, RosterProblem, parse_roster, sector_names
from lms.cohorts.views.blueprint import blueprint
from lms.db import get_session, utcnow


@blueprint.route("/cohorts/<int:cohort_id>/import", methods=["GET", "POST"])
def import_roster(cohort_id: int) -> ResponseReturnValue:
    session = get_session()
    cohort = services.find_cohort(session, cohort_id)
    form = RosterForm()
    problems: tuple[RosterProblem, ...] = ()
    status = 200
    if form.validate_on_submit():
        upload = request.files.get(form.roster.name)
        filename = (upload.filename or "") if upload is not None else ""
        data = upload.stream.read(MAX_ROSTER_BYTES + 1) if upload is not None and filename else b""
        if not data:
            form.roster.errors = [_("Choose a CSV or XLSX file to import.")]
        elif len(data) > MAX_ROSTER_BYTES:
            form.roster.errors = [_("This file is larger than 5 MB: is it really a roster?")]
        else:
            # Checked here, in bounded time, so that its problems come back on this form.
            roster = parse_roster(data, filename)
            if roster.ok:
                job = imports.queue_import(
                    session,
                    cohort,
                    filename=filename,
                    rows=roster.rows,
                    actor=signed_in_user(),
                )
                session.commit()
                jobs.enqueue(JOB_NAME, job.id)
                return redirect(
                    url_for("cohorts.import_progress", cohort_id=cohort.id, import_id=job.id), 303
                )
            problems = roster.problems
        status = 400
    elif form.errors:
        status = 400
    return render_template(
        "cohorts/import.html",
        cohort=cohort,
        form=form,
        problems=problems,
        required=REQUIRED_COLUMNS,
        column_labels=ROSTER_COLUMN_LABELS,
        sector_names=sector_names(),
    ), status


@blueprint.get("/cohorts/<int:cohort_id>/imports/<int:import_id>")
def import_progress(cohort_id: int, import_id: int) -> ResponseReturnValue:
    """Where the import stands: lines checked, written, invitations queued, or its problems."""
    session = get_session()
    cohort = services.find_cohort(session, cohort_id)
    job = imports.find_import(session, cohort, import_id)
    progress = imports.progress_of(job, now=utcnow())
    return render_template("cohorts/import_progress.html", cohort=cohort, progress=progress)
