"""Attendance after a session: ticked by staff, or imported from Zoom's or Teams' report
(all of it, or nothing and the lines at fault); the recording and captions for registrants."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import EnvironBuilder

from lms.accounts.categories import Role
from lms.audit.actions import AuditAction
from lms.db import utcnow
from tests.web.helpers import hidden_fields, submit_form
from tests.web.learning_helpers import sign_in
from tests.web.staff_helpers import add_user, audit_events

from .helpers import ATTENDANCE_SAMPLES, add_session, attendance_of, move_session

SLUG = "frq-webinar-oct"


@pytest.fixture
def staff(app: Flask, client: FlaskClient) -> int:
    staff_id = add_user(app, "sam@example.org", role=Role.STAFF)
    sign_in(client, "sam@example.org")
    return staff_id


def _learners(app: Flask, *emails: str) -> dict[str, int]:
    return {email: add_user(app, email) for email in emails}


def _register(app: Flask, email: str) -> None:
    client = app.test_client()
    sign_in(client, email)
    submit_form(client, f"/sessions/{SLUG}/register", {}, page=f"/sessions/{SLUG}")


def _import(
    client: FlaskClient, session_id: int, data: bytes, minimum: int = 60, name: str = "r.csv"
) -> tuple[int, str]:
    path = f"/staff/sessions/{session_id}/attendance/import"
    fields = hidden_fields(client.get(path).get_data(as_text=True), path)
    builder = EnvironBuilder(
        path=path,
        method="POST",
        data={**fields, "minimum_minutes": str(minimum), "report": (io.BytesIO(data), name)},
    )
    environ = builder.get_environ()
    try:
        response = client.open(environ)
        return response.status_code, response.get_data(as_text=True)
    finally:
        # A large body is spooled to a temporary file: the test client leaves it open.
        environ["wsgi.input"].close()
        builder.close()


@pytest.mark.parametrize(
    "sample",
    [
        "teams-attendance-en.csv",
        "teams-attendance-fr.csv",
        "teams-attendance-list-en.csv",
        "teams-attendance-list-fr.csv",
        "zoom-participants-en.csv",
        "zoom-participants-fr.csv",
    ],
)
def test_a_platforms_report_records_who_stayed_long_enough(
    app: Flask, client: FlaskClient, staff: int, sample: str
) -> None:
    people = _learners(app, "marie.tremblay@example.org", "luc.gagnon@example.org")
    session_id = add_session(app, starts_in=timedelta(hours=-2), minutes=95)

    status, _page = _import(client, session_id, (ATTENDANCE_SAMPLES / sample).read_bytes())

    assert status == 303
    recorded = attendance_of(app, session_id)
    minutes = 88 if "zoom" in sample else 85 if "list" in sample else 90
    assert recorded[people["marie.tremblay@example.org"]] == (True, minutes)
    assert recorded[people["luc.gagnon@example.org"]] == (False, 18)
    page = client.get(f"/staff/sessions/{session_id}").get_data(as_text=True)
    assert "1 present, 1 below the minimum" in page
    assert "animation@example.org" in page  # no account: the host, named after the import
    (event,) = [e for e in audit_events(app) if e.action == AuditAction.ATTENDANCE_IMPORT]
    assert event.details["platform"] == ("zoom" if "zoom" in sample else "teams")


def test_a_report_with_a_bad_line_imports_nothing_and_names_the_line(
    app: Flask, client: FlaskClient, staff: int
) -> None:
    _learners(app, "marie.tremblay@example.org")
    session_id = add_session(app, starts_in=timedelta(hours=-2))
    report = (
        b"Name,User Email,Duration (Minutes)\n"
        b"Marie Tremblay,marie.tremblay@example.org,80\n"
        b"Luc,luc.gagnon@,12\n"
        b"Cy,cy@example.org,a while\n"
    )

    status, page = _import(client, session_id, report)

    assert status == 400
    assert "The report has 2 problems: nothing was imported." in page
    assert "Line 3:" in page
    assert "“luc.gagnon@” is not a valid email address." in page
    assert "Line 4:" in page
    assert attendance_of(app, session_id) == {}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Choose the report’s CSV file."),
        (b"Name,Email\nAna,ana@example.org\n", "No line names the participants’ columns"),
        (b"\xff\xfe\x00\xd8garbage", "The file could not be read."),
        (
            b"Full Name\tUser Action\tTimestamp\nAna\tJoined\t10/15/2026, 1:00:00 PM\n",
            "This list of joins and leaves gives names without email addresses",
        ),
        (
            b"Full Name\tUser Action\tTimestamp\tEmail\nAna\tJoined\tsoon\tana@example.org\n",
            "“soon” is not a date and time",
        ),
    ],
)
def test_files_that_are_no_report_are_refused(
    app: Flask, client: FlaskClient, staff: int, data: bytes, message: str
) -> None:
    session_id = add_session(app, starts_in=timedelta(hours=-2))

    status, page = _import(client, session_id, data)

    assert status == 400
    assert message in page


def test_no_attendance_before_the_session_starts(
    app: Flask, client: FlaskClient, staff: int
) -> None:
    session_id = add_session(app)
    sample = (ATTENDANCE_SAMPLES / "teams-attendance-en.csv").read_bytes()

    status, _page = _import(client, session_id, sample)

    assert status == 409


def test_ticks_mark_those_ticked_present_and_the_others_absent(
    app: Flask, client: FlaskClient, staff: int
) -> None:
    people = _learners(app, "ana@example.org", "bob@example.org")
    session_id = add_session(app, starts_in=timedelta(hours=1))
    for email in people:
        _register(app, email)
    move_session(app, session_id, utcnow() - timedelta(hours=2))
    page = f"/staff/sessions/{session_id}"

    response = submit_form(
        client, f"{page}/attendance", {"present": [str(people["ana@example.org"])]}, page=page
    )

    assert response.status_code == 303
    assert attendance_of(app, session_id) == {
        people["ana@example.org"]: (True, None),
        people["bob@example.org"]: (False, None),
    }
    stranger = add_user(app, "eve@example.org")
    refused = submit_form(client, f"{page}/attendance", {"present": [str(stranger)]}, page=page)
    assert refused.status_code == 400
    assert "Tick people of the list only." in refused.get_data(as_text=True)


def test_the_recording_and_its_captions_are_for_registrants(
    app: Flask, client: FlaskClient, staff: int
) -> None:
    _learners(app, "ana@example.org", "bob@example.org")
    session_id = add_session(app)
    _register(app, "ana@example.org")
    path = f"/staff/sessions/{session_id}/recording"
    fields = hidden_fields(client.get(path).get_data(as_text=True), path)
    captions = "WEBVTT\n\n00:00.000 --> 00:04.000\nBonjour à toutes et à tous.\n"

    bad = client.post(
        path,
        data={**fields, "captions": (io.BytesIO(b"not captions"), "c.vtt")},
        content_type="multipart/form-data",
    )
    saved = client.post(
        path,
        data={
            **fields,
            "recording_url": "https://example.org/recording",
            "captions": (io.BytesIO(captions.encode()), "c.vtt"),
        },
        content_type="multipart/form-data",
    )

    assert bad.status_code == 400
    assert "its first line must be WEBVTT" in bad.get_data(as_text=True)
    assert saved.status_code == 303
    ana, bob = app.test_client(), app.test_client()
    sign_in(ana, "ana@example.org")
    sign_in(bob, "bob@example.org")
    assert "https://example.org/recording" in ana.get(f"/sessions/{SLUG}").get_data(as_text=True)
    assert "https://example.org/recording" not in bob.get(f"/sessions/{SLUG}").get_data(
        as_text=True
    )
    vtt = ana.get(f"/sessions/{SLUG}/captions.vtt")
    assert vtt.content_type == "text/vtt; charset=utf-8"
    assert vtt.get_data(as_text=True) == captions
    assert bob.get(f"/sessions/{SLUG}/captions.vtt").status_code == 404


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"\x00" * 1000, "report.csv"),
        (b"PK\x03\x04" + bytes(range(256)) * 20, "report.xlsx"),
        (b"Name,Email,Duration (Minutes)\n=cmd|' /C calc'!A0,=1+1,5\n", "r.csv"),
        (("Name,Email,Duration (Minutes)\n" + "a," * 50_000 + "\n").encode(), "wide.csv"),
        (b"Name,Email,Duration (Minutes)\n" + b"Ana,ana@example.org,5\n" * 200_000, "big.csv"),
        ("Nom;Courriel;Durée (minutes)\n\u202eAna;ana@example.org;\ufeff5\n".encode(), "r.csv"),
        (b"Name,Email,Duration (Minutes)\nAna,ana@example.org,99999999999999999999\n", "r.csv"),
        (b"Name,Email,Duration (Minutes)\nAna,ana@example.org,5\n", "../../" + "x" * 5000),
    ],
)
def test_hostile_reports_are_refused_or_imported_never_a_500(
    app: Flask, client: FlaskClient, staff: int, data: bytes, name: str
) -> None:
    session_id = add_session(app, starts_in=timedelta(hours=-2))

    status, _page = _import(client, session_id, data, name=name)

    assert status in (303, 400), status
    if status == 400:
        assert attendance_of(app, session_id) == {}


def test_ticking_after_an_import_keeps_the_minutes_of_those_it_does_not_change(
    app: Flask, client: FlaskClient, staff: int
) -> None:
    people = _learners(app, "marie.tremblay@example.org", "luc.gagnon@example.org")
    session_id = add_session(app, starts_in=timedelta(hours=-2), minutes=95)
    sample = (ATTENDANCE_SAMPLES / "teams-attendance-en.csv").read_bytes()
    assert _import(client, session_id, sample)[0] == 303
    marie, luc = people["marie.tremblay@example.org"], people["luc.gagnon@example.org"]
    page = f"/staff/sessions/{session_id}"

    # Luc called in by phone for the rest: staff tick him too.
    response = submit_form(
        client, f"{page}/attendance", {"present": [str(marie), str(luc)]}, page=page
    )

    assert response.status_code == 303
    recorded = attendance_of(app, session_id)
    assert recorded[marie] == (True, 90)  # as imported
    assert recorded[luc] == (True, None)  # ticked by staff


def test_a_page_of_ticks_made_before_an_import_does_not_undo_it(
    app: Flask, client: FlaskClient, staff: int
) -> None:
    """Staff open the session's page, import the report in another tab, then save the page
    they had open, ticking Luc: Marie, whom the stale page showed unticked, stays present."""
    people = _learners(app, "marie.tremblay@example.org", "luc.gagnon@example.org")
    session_id = add_session(app, starts_in=timedelta(hours=1), minutes=95)
    for email in people:
        _register(app, email)
    move_session(app, session_id, utcnow() - timedelta(hours=2))
    marie, luc = people["marie.tremblay@example.org"], people["luc.gagnon@example.org"]
    page = f"/staff/sessions/{session_id}"
    stale = client.get(page).get_data(as_text=True)
    sample = (ATTENDANCE_SAMPLES / "teams-attendance-en.csv").read_bytes()
    assert _import(client, session_id, sample)[0] == 303

    hidden = dict(hidden_fields(stale, f"{page}/attendance"))
    response = client.post(f"{page}/attendance", data={**hidden, "present": [str(luc)]})

    assert response.status_code == 303
    recorded = attendance_of(app, session_id)
    assert recorded[marie] == (True, 90)
    assert recorded[luc] == (True, None)
