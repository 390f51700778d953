"""A session's staff page: who registered, waits and attended, ticked there; the platform's
attendance report imported; the recording and its captions added afterwards."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from werkzeug.datastructures import FileStorage

from lms.accounts.access import signed_in_user
from lms.catalog import current_catalog
from lms.db import get_session, utcnow
from lms.i18n import current_language
from lms.live import attendance, pages, queries, services, wording
from lms.live.attendance_report import ReportProblem, parse_report
from lms.live.forms import (
    MAX_CAPTIONS_BYTES,
    MAX_REPORT_BYTES,
    AttendanceForm,
    ImportAttendanceForm,
    RecordingForm,
)
from lms.live.models import LiveSession
from lms.live.times import default_minimum_minutes
from lms.live.views.staff import blueprint

SHOWN_UNKNOWN = 10
"""Addresses without an account named after an import; the others are counted."""

for function in (wording.registration_label, wording.report_problem_text):
    blueprint.add_app_template_global(function)


def _people(roster: list[queries.RosterLine]) -> list[tuple[int, str]]:
    return [
        (line.user_id, f"{line.name} ({line.email})" if line.name else line.email)
        for line in roster
    ]


@blueprint.get("/<int:session_id>")
def session_page(session_id: int) -> ResponseReturnValue:
    session = get_session()
    live = services.find_session(session, session_id)
    (summary,) = queries.summaries(session, [live])
    roster = queries.roster(session, live)
    form = AttendanceForm(formdata=None)
    form.set_people(_people(roster))
    form.present.data = [line.user_id for line in roster if line.present]
    form.set_shown(form.present.data)
    return _page(live, summary, roster, form)


def _page(
    live: LiveSession,
    summary: queries.SessionSummary,
    roster: list[queries.RosterLine],
    form: AttendanceForm,
    status: int = 200,
) -> ResponseReturnValue:
    view = pages.session_view(
        summary,
        None,
        position=None,
        language=current_language(),
        catalog=current_catalog(),
        now=utcnow(),
        staff=True,
    )
    page = render_template(
        "live/staff/session.html",
        live=live,
        view=view,
        roster=roster,
        form=form,
        started=utcnow() >= live.starts_at,
    )
    return page, status


@blueprint.post("/<int:session_id>/attendance")
def record_attendance(session_id: int) -> ResponseReturnValue:
    """The ticks of the session's page: those ticked were there, the others listed not."""
    session = get_session()
    live = services.find_session(session, session_id)
    roster = queries.roster(session, live)
    form = AttendanceForm()
    form.set_people(_people(roster))
    if not form.validate_on_submit():
        (summary,) = queries.summaries(session, [live])
        return _page(live, summary, roster, form, 400)
    result = attendance.record_ticks(
        session,
        live,
        [line.user_id for line in roster],
        form.present.data or [],
        shown=form.shown_present(),
        actor=signed_in_user(),
        now=utcnow(),
    )
    session.commit()
    flash(
        _(
            "Attendance saved: %(present)s present, %(absent)s absent.",
            present=result.present,
            absent=result.absent,
        ),
        "success",
    )
    return redirect(url_for(".session_page", session_id=live.id), 303)


def _upload(field_name: str, limit: int) -> tuple[str, bytes | None]:
    """The uploaded file's name and bytes (one more than ``limit`` tells it is too large)."""
    upload: FileStorage | None = request.files.get(field_name)
    filename = (upload.filename or "") if upload is not None else ""
    if upload is None or not filename:
        return "", None
    return filename, upload.stream.read(limit + 1)


@blueprint.route("/<int:session_id>/attendance/import", methods=["GET", "POST"])
def import_attendance(session_id: int) -> ResponseReturnValue:
    session = get_session()
    live = services.find_session(session, session_id)
    form = ImportAttendanceForm()
    if request.method == "GET":
        form.minimum_minutes.data = default_minimum_minutes(live.starts_at, live.ends_at)
    problems: tuple[ReportProblem, ...] = ()
    status = 200
    if form.validate_on_submit():
        filename, data = _upload(form.report.name, MAX_REPORT_BYTES)
        if not data:
            form.report.errors = [_("Choose the report’s CSV file.")]
        elif len(data) > MAX_REPORT_BYTES:
            form.report.errors = [_("This file is larger than 4 MB: is it an attendance report?")]
        else:
            report = parse_report(data)
            if report.ok:
                result = attendance.import_report(
                    session,
                    live,
                    report,
                    minimum_minutes=form.minimum_minutes.data or 0,
                    filename=filename,
                    actor=signed_in_user(),
                    now=utcnow(),
                )
                session.commit()
                _flash_import(result)
                return redirect(url_for(".session_page", session_id=live.id), 303)
            problems = report.problems
        status = 400
    elif form.errors:
        status = 400
    page = render_template("live/staff/import.html", live=live, form=form, problems=problems)
    return page, status


def _flash_import(result: attendance.ImportedReport) -> None:
    flash(
        _(
            "Report imported: %(present)s present, %(absent)s below the minimum.",
            present=result.present,
            absent=result.absent,
        ),
        "success",
    )
    if result.unknown:
        shown = ", ".join(result.unknown[:SHOWN_UNKNOWN])
        more = len(result.unknown) - SHOWN_UNKNOWN
        flash(
            ngettext(
                "%(num)d address of the report has no account here (a guest?): %(emails)s",
                "%(num)d addresses of the report have no account here (guests?): %(emails)s",
                len(result.unknown),
                emails=shown + (f" (+{more})" if more > 0 else ""),
            ),
            "info",
        )


@blueprint.route("/<int:session_id>/recording", methods=["GET", "POST"])
def recording(session_id: int) -> ResponseReturnValue:
    session = get_session()
    live = services.find_session(session, session_id)
    form = RecordingForm(obj=live) if request.method == "GET" else RecordingForm()
    if form.validate_on_submit():
        captions = _captions(form)
        if not form.errors:
            services.set_recording(
                session,
                live,
                recording_url=form.recording_url.data or None,
                captions_vtt=captions,
                keep_captions=not form.remove_captions.data,
                actor=signed_in_user(),
            )
            session.commit()
            flash(_("The recording is saved: registrants see it on the session’s page."), "success")
            return redirect(url_for(".session_page", session_id=live.id), 303)
    status = 400 if form.errors else 200
    page = render_template(
        "live/staff/recording.html", live=live, form=form, has_captions=bool(live.captions_vtt)
    )
    return page, status


def _captions(form: RecordingForm) -> str | None:
    """The uploaded captions (WebVTT, UTF-8) if any; an error on the field if not one."""
    _filename, data = _upload(form.captions.name, MAX_CAPTIONS_BYTES)
    if data is None:
        return None
    if len(data) > MAX_CAPTIONS_BYTES:
        form.captions.errors = [_("Captions are at most 1 MB: is it really a .vtt file?")]
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = ""
    if not text.startswith("WEBVTT") or "\x00" in text:
        form.captions.errors = [_("This is not a WebVTT file: its first line must be WEBVTT.")]
        return None
    return text.replace("\r\n", "\n")
