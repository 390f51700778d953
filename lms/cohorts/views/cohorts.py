"""Staff's cohorts: the list (current or archived), making and changing one, archiving it, its
dashboard and exports."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from lms.accounts.access import signed_in_user
from lms.accounts.categories import FrqSector
from lms.audit.actions import AuditAction
from lms.audit.services import claim_action
from lms.catalog import current_catalog
from lms.cohorts import dashboard, queries, services, wording
from lms.cohorts.chart import CompletionChart, completion_chart
from lms.cohorts.dashboard import ReportQuery
from lms.cohorts.exports import CsvDialect
from lms.cohorts.forms import CSV_DIALECT_LABELS, CohortForm, EditCohortForm, ExportForm
from lms.cohorts.models import Cohort
from lms.cohorts.views.blueprint import blueprint
from lms.config import current_settings
from lms.db import get_session, run_in_transaction, utcnow
from lms.downloads import private_attachment
from lms.forms import ConfirmActionForm, already_done
from lms.i18n import current_language
from lms.periods import local_date


@blueprint.get("/")
def index() -> ResponseReturnValue:
    session = get_session()
    archived = request.args.get("archived") == "1"
    return render_template(
        "cohorts/index.html",
        summaries=queries.cohort_summaries(session, archived=archived),
        archived=archived,
        archived_count=queries.archived_count(session),
        catalog=current_catalog(),
    )


def _certificate_choices(current: str | None = None) -> list[tuple[str, str]]:
    language = current_language()
    certificates = current_catalog().certificates
    choices = [("", _("Choose a certificate"))] + [
        (c.id, f"{c.title.get(language)} ({c.id})") for c in certificates.values()
    ]
    if current and current not in certificates:
        # A certificate gone from the catalogue stays choosable: saving a rename keeps it.
        choices.append((current, _("“%(id)s”, no longer in the catalogue", id=current)))
    return choices


@blueprint.route("/cohorts/new", methods=["GET", "POST"])
def new_cohort() -> ResponseReturnValue:
    form = CohortForm()
    form.set_certificates(_certificate_choices())
    if form.validate_on_submit():
        cohort = _saved(form, services.create_cohort)
        if cohort is not None:
            get_session().commit()
            flash(_("The cohort “%(name)s” is created.", name=cohort.name), "success")
            return redirect(url_for("cohorts.import_roster", cohort_id=cohort.id))
    status = 400 if form.errors else 200
    return render_template("cohorts/new_cohort.html", form=form), status


_T = TypeVar("_T")


def _saved(form: CohortForm, save: Callable[..., _T]) -> _T | None:
    """What ``save`` (a service taking the session, the catalogue and the form's fields)
    returns; None, with the message on its field, when the name is taken or the
    certificate unknown."""
    session = get_session()
    try:
        return save(
            session,
            current_catalog(),
            name=form.name.data or "",
            certificate_id=form.certificate_id.data or "",
            due_date=form.due_date.data,
            actor=signed_in_user(),
        )
    except (services.CohortNameTaken, services.CertificateNotFound) as error:
        session.rollback()
        field = form.name if isinstance(error, services.CohortNameTaken) else form.certificate_id
        field.errors = [str(error.message)]
        return None


@blueprint.route("/cohorts/<int:cohort_id>/edit", methods=["GET", "POST"])
def edit_cohort(cohort_id: int) -> ResponseReturnValue:
    cohort = services.find_cohort(get_session(), cohort_id)
    form = EditCohortForm(obj=cohort)
    form.set_certificates(_certificate_choices(cohort.certificate_id))
    if form.validate_on_submit():
        changed = _saved(
            form,
            lambda session, catalog, **fields: services.update_cohort(
                session, catalog, cohort, **fields
            ),
        )
        if changed is not None:
            get_session().commit()
            if changed:
                flash(_("The cohort is saved."), "success")
            else:
                flash(_("Nothing was changed."), "info")
            return redirect(url_for("cohorts.cohort", cohort_id=cohort.id), 303)
    status = 400 if form.errors else 200
    page = render_template(
        "cohorts/edit_cohort.html", cohort=cohort, form=form, archive_form=ConfirmActionForm()
    )
    return page, status


@blueprint.post("/cohorts/<int:cohort_id>/archive")
def archive(cohort_id: int) -> ResponseReturnValue:
    return _set_archived(cohort_id, archived=True)


@blueprint.post("/cohorts/<int:cohort_id>/unarchive")
def unarchive(cohort_id: int) -> ResponseReturnValue:
    return _set_archived(cohort_id, archived=False)


def _set_archived(cohort_id: int, *, archived: bool) -> ResponseReturnValue:
    session = get_session()
    cohort = services.find_cohort(session, cohort_id)
    form = ConfirmActionForm()
    if not form.validate_on_submit():
        abort(400)
    back = redirect(url_for("cohorts.cohort", cohort_id=cohort.id), 303)
    action = AuditAction.COHORT_ARCHIVE if archived else AuditAction.COHORT_UNARCHIVE
    if not claim_action(session, form.key, action):
        return already_done(back)
    services.set_archived(session, cohort, archived, actor=signed_in_user(), now=utcnow())
    session.commit()
    if archived:
        flash(_("The cohort is archived: it is off the list and gets no reminder."), "success")
    else:
        flash(_("The cohort is back on the list."), "success")
    return back


@blueprint.get("/cohorts/<int:cohort_id>")
def cohort(cohort_id: int) -> ResponseReturnValue:
    session, zone = get_session(), current_settings().zone
    found = services.find_cohort(session, cohort_id)
    data = queries.cohort_report(session, found, current_catalog(), on=local_date(utcnow(), zone))
    query = ReportQuery.from_args(request.args)
    selected = dashboard.select_rows(data.rows, query)
    page = dashboard.paginate(selected, query.page, query.per_page)
    return render_template(
        "cohorts/cohort.html",
        data=data,
        query=query,
        page=page,
        chart=_chart(data, found),
        sectors=list(FrqSector),
        statuses=list(dashboard.StatusFilter),
        sort_keys=dashboard.SortKey,
        # The download's link is in the interface language's convention; this one, the other.
        other_csv=_other_dialect(current_language()),
        csv_labels=CSV_DIALECT_LABELS,
        window_days=current_settings().reminder_window_days,
        interval_days=current_settings().reminder_interval_days,
        archive_form=ConfirmActionForm(),
    )


def _chart(data: queries.CohortReport, cohort: Cohort) -> CompletionChart:
    zone = current_settings().zone
    completions = queries.completion_days(data.rows, zone)
    return completion_chart(
        completions,
        len(data.rows),
        start=local_date(cohort.created_at, zone),
        due_date=cohort.due_date,
        today=data.today,
        words=wording.chart_words(len(data.rows), len(completions), cohort.due_date),
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
    return private_attachment(made.content, made.mimetype, made.filename)
