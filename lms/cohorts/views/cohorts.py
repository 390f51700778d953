"""Staff's cohort pages: list, creation, roster import, dashboard, exports, reminders."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup

from lms.accounts.access import STAFF_ROLES, restrict, signed_in_user
from lms.accounts.categories import FrqSector
from lms.catalog import current_catalog
from lms.cohorts import dashboard, pages, queries, services, wording
from lms.cohorts.chart import completion_chart
from lms.cohorts.dashboard import ReportQuery
from lms.cohorts.exports import CsvDialect
from lms.cohorts.forms import (
    CSV_DIALECT_LABELS,
    MAX_ROSTER_BYTES,
    CohortForm,
    ExportForm,
    RosterForm,
)
from lms.cohorts.pages import ROSTER_COLUMN_LABELS
from lms.cohorts.roster import REQUIRED_COLUMNS, RosterProblem, parse_roster, sector_names
from lms.config import current_settings
from lms.db import get_session, run_in_transaction, utcnow
from lms.forms import ConfirmForm
from lms.i18n import current_language
from lms.learning import queries as learning_queries
from lms.learning import services as learning
from lms.mail import send_mail, send_mail_soon
from lms.pagination import page_numbers
from lms.panels import render_panel
from lms.periods import local_date

if TYPE_CHECKING:
    from lms.accounts.models import User

blueprint = Blueprint("cohorts", __name__, url_prefix="/staff", template_folder="templates")
restrict(blueprint, STAFF_ROLES)
# App-wide, as the other staff and admin blueprints' pages use them too.
for function in (
    page_numbers,
    wording.problem_text,
    wording.column_name,
    wording.status_label,
    wording.sector_label,
):
    blueprint.add_app_template_global(function)


def program_panel(user: User) -> Markup:
    """The programs (cohorts) ``user`` belongs to, atop their dashboard (see ``lms.panels``):
    not a staff page, though this blueprint's pages are."""
    session, catalog, language = get_session(), current_catalog(), current_language()
    memberships = queries.memberships_of(session, user)
    if not memberships:
        return Markup()
    progress = learning.progress_by_course(session, user, catalog)
    completed = learning_queries.completed_courses(session, user, list(catalog.courses))
    programs = [pages.program(m, catalog, language, completed, progress) for m in memberships]
    return render_panel("cohorts/_program.html", programs=programs)


@blueprint.get("/")
def index() -> ResponseReturnValue:
    summaries = queries.cohort_summaries(get_session())
    catalog = current_catalog()
    return render_template("cohorts/index.html", summaries=summaries, catalog=catalog)


def _certificate_choices() -> list[tuple[str, str]]:
    language = current_language()
    certificates = current_catalog().certificates.values()
    return [("", _("Choose a certificate"))] + [
        (c.id, f"{c.title.get(language)} ({c.id})") for c in certificates
    ]


@blueprint.route("/cohorts/new", methods=["GET", "POST"])
def new_cohort() -> ResponseReturnValue:
    form = CohortForm()
    form.set_certificates(_certificate_choices())
    if form.validate_on_submit():
        session = get_session()
        try:
            cohort = services.create_cohort(
                session,
                current_catalog(),
                name=form.name.data or "",
                certificate_id=form.certificate_id.data or "",
                due_date=form.due_date.data,
                actor=signed_in_user(),
            )
        except (services.CohortNameTaken, services.CertificateNotFound) as error:
            session.rollback()
            field = (
                form.name if isinstance(error, services.CohortNameTaken) else form.certificate_id
            )
            field.errors = [str(error.message)]
        else:
            session.commit()
            flash(_("The cohort “%(name)s” is created.", name=cohort.name), "success")
            return redirect(url_for("cohorts.import_roster", cohort_id=cohort.id))
    status = 400 if form.errors else 200
    return render_template("cohorts/new_cohort.html", form=form), status


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
            roster = parse_roster(data, filename)
            if roster.ok:
                result = services.import_roster(
                    session,
                    cohort,
                    roster,
                    actor=signed_in_user(),
                    secret_key=current_settings().secret_key,
                )
                session.commit()
                # From a thread: a large roster's invitations must not hold the response.
                send_mail_soon(result.mails)
                flash(_import_summary(result), "success")
                return redirect(url_for("cohorts.cohort", cohort_id=cohort.id))
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


def _import_summary(result: services.ImportResult) -> str:
    parts = [
        ngettext("%(num)d person added", "%(num)d people added", result.added),
        ngettext("%(num)d updated", "%(num)d updated", result.updated),
        ngettext("%(num)d invitation sent", "%(num)d invitations sent", result.invited),
    ]
    return _("Roster imported: %(summary)s.", summary=", ".join(parts))


@blueprint.get("/cohorts/<int:cohort_id>")
def cohort(cohort_id: int) -> ResponseReturnValue:
    session, zone = get_session(), current_settings().zone
    found = services.find_cohort(session, cohort_id)
    data = queries.cohort_report(session, found, current_catalog(), on=local_date(utcnow(), zone))
    query = ReportQuery.from_args(request.args)
    selected = dashboard.select_rows(data.rows, query)
    page = dashboard.paginate(selected, query.page, query.per_page)
    completions = queries.completion_days(data.rows, zone)
    chart = completion_chart(
        completions,
        len(data.rows),
        start=local_date(data.cohort.created_at, zone),
        due_date=data.cohort.due_date,
        today=data.today,
        words=wording.chart_words(len(data.rows), len(completions), data.cohort.due_date),
    )
    return render_template(
        "cohorts/cohort.html",
        data=data,
        query=query,
        page=page,
        chart=chart,
        sectors=list(FrqSector),
        statuses=list(dashboard.StatusFilter),
        sort_keys=dashboard.SortKey,
        # The download's link is in the interface language's convention; this one, the other.
        other_csv=_other_dialect(current_language()),
        csv_labels=CSV_DIALECT_LABELS,
        window_days=current_settings().reminder_window_days,
        interval_days=current_settings().reminder_interval_days,
    )


def _other_dialect(language: str) -> CsvDialect:
    default = CsvDialect.for_language(language)
    return next(dialect for dialect in CsvDialect if dialect is not default)


@blueprint.get("/cohorts/<int:cohort_id>/export.<kind>")
def export(cohort_id: int, kind: str) -> ResponseReturnValue:
    if kind not in services.EXPORT_TYPES:
        abort(404)
    form = ExportForm(request.args)
    if not form.validate():
        raise services.UnknownCsvDialect
    language = current_language()
    # A download is a page that writes: its audit event.
    made = run_in_transaction(
        lambda session: services.export_report(
            session,
            current_catalog(),
            services.find_cohort(session, cohort_id),
            ReportQuery.from_args(request.args),
            kind=kind,
            language=language,
            csv_dialect=form.chosen_dialect(language),
            zone=current_settings().zone,
            now=utcnow(),
            actor=signed_in_user(),
        )
    )
    response = send_file(
        io.BytesIO(made.content),
        mimetype=made.mimetype,
        as_attachment=True,
        download_name=made.filename,
    )
    # Names and addresses: not for shared caches, nor for the browser's after sign-out.
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.post("/cohorts/<int:cohort_id>/reminders")
def send_reminders(cohort_id: int) -> ResponseReturnValue:
    if not ConfirmForm().validate_on_submit():
        abort(400)
    session = get_session()
    cohort = services.find_cohort(session, cohort_id)
    catalog, settings, now = current_catalog(), current_settings(), utcnow()
    planned = services.plan_reminders(session, catalog, settings, now=now, cohort=cohort)
    mails = services.record_reminders(
        session, catalog, planned, actor=signed_in_user(), now=now, secret_key=settings.secret_key
    )
    session.commit()
    if mails:
        send_mail(mails)
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
    return redirect(url_for("cohorts.cohort", cohort_id=cohort.id))
