"""Sessions count toward certificates: issuing waits for the attended sessions a definition
requires, as it waits for courses; recording attendance issues it, as completing a course does."""

from __future__ import annotations

import io
import os
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from lms.cli import cli
from lms.db import database
from tests.support.smtp import Mailbox
from tests.web.certificate_helpers import certificates_in
from tests.web.helpers import hidden_fields, submit_form
from tests.web.learning_helpers import record, sign_in
from tests.web.staff_helpers import add_user

from .helpers import (
    ATTENDANCE_SAMPLES,
    LIVE_CONTENT,
    PRACTICE,
    WEBINAR_PROGRAM,
    add_session,
    staff_client,
)

MARIE = "marie.tremblay@example.org"


def _import(client: FlaskClient, session_id: int, sample: str, minimum: int = 60) -> int:
    path = f"/staff/sessions/{session_id}/attendance/import"
    fields = hidden_fields(client.get(path).get_data(as_text=True), path)
    data = (ATTENDANCE_SAMPLES / sample).read_bytes()
    response = client.post(
        path,
        data={**fields, "minimum_minutes": str(minimum), "report": (io.BytesIO(data), sample)},
        content_type="multipart/form-data",
    )
    return response.status_code


def test_the_course_alone_issues_nothing_and_says_a_session_is_missing(
    app: Flask, client: FlaskClient
) -> None:
    marie = add_user(app, MARIE, name="Marie Tremblay")
    sign_in(client, MARIE)

    assert record(app, marie, PRACTICE, "apply") == [True]

    assert certificates_in(app) == []
    page = client.get(f"/courses/{PRACTICE}").get_data(as_text=True)
    assert "It also requires attending 1 more live session." in page


def test_an_imported_teams_report_issues_the_certificate_waiting_for_it(
    app: Flask, client: FlaskClient, mailbox: Mailbox
) -> None:
    marie = add_user(app, MARIE, name="Marie Tremblay")
    record(app, marie, PRACTICE, "apply")
    session_id = add_session(app, starts_in=timedelta(hours=-2), minutes=95)

    assert _import(staff_client(app), session_id, "teams-attendance-en.csv") == 303

    (certificate,) = certificates_in(app)
    assert (certificate.user_id, certificate.definition_id) == (marie, WEBINAR_PROGRAM)
    assert any("certificate" in m["Subject"].lower() for m in mailbox.to(MARIE))


def test_attendance_first_then_the_course_issues_it_too(app: Flask) -> None:
    marie = add_user(app, MARIE, name="Marie Tremblay")
    session_id = add_session(app, starts_in=timedelta(hours=-2), minutes=95)
    assert _import(staff_client(app), session_id, "zoom-participants-en.csv") == 303
    assert certificates_in(app) == []

    record(app, marie, PRACTICE, "apply")

    assert [c.definition_id for c in certificates_in(app)] == [WEBINAR_PROGRAM]


def test_too_few_minutes_an_untagged_or_a_cancelled_session_count_for_nothing(
    app: Flask,
) -> None:
    marie = add_user(app, MARIE, name="Marie Tremblay")
    record(app, marie, PRACTICE, "apply")
    staff = staff_client(app)
    short = add_session(app, "short", starts_in=timedelta(hours=-2))
    untagged = add_session(app, "untagged", starts_in=timedelta(hours=-2), tags=())
    cancelled = add_session(app, "cancelled", starts_in=timedelta(hours=-2))

    assert _import(staff, short, "teams-attendance-en.csv", minimum=95) == 303
    assert _import(staff, untagged, "teams-attendance-en.csv") == 303
    submit_form(staff, f"/staff/sessions/{cancelled}/cancel", {"reason": "Storm."})
    assert _import(staff, cancelled, "teams-attendance-en.csv") == 303

    assert certificates_in(app) == []


def test_ticking_a_learner_present_issues_it(app: Flask) -> None:
    marie = add_user(app, MARIE, name="Marie Tremblay")
    record(app, marie, PRACTICE, "apply")
    session_id = add_session(app, starts_in=timedelta(hours=-1))
    staff = staff_client(app)
    page = f"/staff/sessions/{session_id}"
    # The report lists her below the minimum (she joined by phone too): staff tick her.
    assert _import(staff, session_id, "teams-attendance-en.csv", minimum=500) == 303
    assert certificates_in(app) == []

    response = submit_form(staff, f"{page}/attendance", {"present": [str(marie)]}, page=page)

    assert response.status_code == 303
    assert [c.user_id for c in certificates_in(app)] == [marie]


def test_courses_check_reports_a_required_tag_no_session_has(
    app: Flask, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LMS_INSTANCE_DIR", str(tmp_path / "instance"))
    monkeypatch.setenv("LMS_DATABASE_URL", str(database(app).engine.url.render_as_string(False)))
    runner = app.test_cli_runner()

    before = runner.invoke(cli, ["courses", "check", str(LIVE_CONTENT)])
    add_session(app, "frq-webinar-oct", tags=("frq-webinar",))
    after = runner.invoke(cli, ["courses", "check", str(LIVE_CONTENT)])

    assert before.exit_code == 1, before.output
    place = Path(os.path.relpath(LIVE_CONTENT / "certificates" / "webinar-program.yaml"))
    assert (
        f"{place}:4:36: error: 'requires_sessions': no live session has the id or tag 'frq-webinar'"
    ) in before.stdout
    assert after.exit_code == 0, after.output


def test_courses_check_without_a_database_warns_that_it_could_not_tell(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, app: Flask
) -> None:
    monkeypatch.setenv("LMS_INSTANCE_DIR", str(tmp_path / "instance"))
    monkeypatch.setenv("LMS_DATABASE_URL", f"sqlite:///{tmp_path / 'none.db'}")

    result = app.test_cli_runner().invoke(cli, ["courses", "check", str(LIVE_CONTENT)])

    assert result.exit_code == 0, result.output
    assert "warning: 'requires_sessions' not checked" in result.stdout
    assert not (tmp_path / "none.db").exists()


def test_the_content_errors_page_names_a_required_tag_no_session_has(app: Flask) -> None:
    """The staff's page shows what ``lms courses check`` says of ``requires_sessions``."""
    client = staff_client(app)

    before = client.get("/staff/content/")
    add_session(app, "frq-webinar-oct", tags=("frq-webinar",))
    after = client.get("/staff/content/")

    assert before.status_code == 200
    text = before.get_data(as_text=True)
    assert "certificates/webinar-program.yaml:4:36: " in text
    assert "no live session has the id or tag &#39;frq-webinar&#39;" in text
    assert "Live sessions that certificates require and nobody scheduled" in text
    assert 'href="/staff/sessions/"' in text
    assert "frq-webinar" not in after.get_data(as_text=True)


def test_staff_pages_show_the_banner_while_a_required_tag_has_no_session(app: Flask) -> None:
    client = staff_client(app)

    before = client.get("/staff/sessions/").get_data(as_text=True)
    add_session(app, "frq-webinar-oct", tags=("frq-webinar",))
    after = client.get("/staff/sessions/").get_data(as_text=True)

    assert "notice-content-errors" in before
    assert "A certificate requires live sessions by 1 id or tag that no session has" in before
    assert 'href="/staff/content/"' in before
    assert "notice-content-errors" not in after
