"""A learner registers for a live session, downloads its .ics, is marked present by staff from
the Teams attendance report they import, and receives the program certificate requiring the
course and the session; then staff's other pages of sessions. Each page checked with axe, in
French and English."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import icalendar
import pytest
from playwright.sync_api import Page, expect

from lms.accounts.categories import Role
from lms.db import utcnow
from tests.support.smtp import Mailbox
from tests.web.certificate_helpers import certificates_in
from tests.web.learning_helpers import record
from tests.web.live.helpers import (
    ATTENDANCE_SAMPLES,
    LIVE_CONTENT,
    PRACTICE,
    WEBINAR_PROGRAM,
    add_session,
    move_session,
)
from tests.web.staff_helpers import add_cohort, add_member, add_user

from .conftest import Serve
from .helpers import LOCALES, Words, check_accessibility, sign_in

MARIE = "marie.tremblay@example.org"
"""Present for 90 minutes in the Teams report of tests/fixtures/attendance."""


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_session_attended_completes_the_program_certificate(
    serve: Serve,
    new_page: Callable[..., Page],
    mailbox: Mailbox,
    language: str,
    tmp_path: Path,
) -> None:
    server = serve(content_dir=LIVE_CONTENT, **mailbox.settings)
    app, words = server.app, Words(server.app, language)
    marie = add_user(app, MARIE, name="Marie Tremblay", language=language)
    add_user(app, "sam@example.org", role=Role.STAFF, language=language)
    session_id = add_session(app, capacity=30, place="Salle 1.23, Pavillon Jeanne-Mance")
    record(app, marie, PRACTICE, "apply")
    assert certificates_in(app) == []  # the course alone is not enough
    cohort = add_cohort(app, "Boursiers FRQ 2026", certificate_id=WEBINAR_PROGRAM)
    add_member(app, cohort, MARIE, "Marie", "Tremblay", user_id=marie)

    learner = new_page(locale=LOCALES[language])
    sign_in(learner, server, words, MARIE)
    learner.get_by_role("navigation", name=words("Main menu")).get_by_role(
        "link", name=words("Live sessions")
    ).click()
    check_accessibility(learner, f"live-sessions-{language}")
    title = (
        "Webinaire : le partenariat patient" if language == "fr" else "Webinar: patient partnership"
    )
    learner.get_by_role("link", name=title).click()
    check_accessibility(learner, f"live-session-{language}")
    learner.get_by_role("button", name=words("Register")).click()
    expect(learner.locator(".flash-success")).to_contain_text(
        words("You are registered. A confirmation is on its way by email.")
    )
    check_accessibility(learner, f"live-session-registered-{language}")
    learner.get_by_role("link", name=words("Cancel my registration")).click()
    check_accessibility(learner, f"live-cancel-{language}")
    learner.get_by_role("link", name=words("Keep my seat")).click()

    calendar_link = learner.get_by_role("link", name=words("Add to my calendar (.ics)"))
    with learner.expect_download() as download:
        calendar_link.click()
    ics = Path(download.value.path()).read_bytes()
    (event,) = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert str(event["SUMMARY"]) == title
    assert str(event["LOCATION"]) == "Salle 1.23, Pavillon Jeanne-Mance"
    fetched = learner.request.get(f"{server.url}/sessions/frq-webinar-oct/calendar.ics")
    assert fetched.headers["content-type"] == "text/calendar; charset=utf-8"
    (again,) = icalendar.Calendar.from_ical(fetched.body()).walk("VEVENT")
    assert str(again["UID"]) == str(event["UID"])

    # The session takes place; staff import the Teams report afterwards.
    move_session(app, session_id, utcnow() - timedelta(hours=2))
    staff = new_page(locale=LOCALES[language])
    sign_in(staff, server, words, "sam@example.org")
    staff.goto(f"{server.url}/staff/sessions/{session_id}")
    check_accessibility(staff, f"live-staff-session-{language}")
    staff.get_by_role("link", name=words("Import an attendance report (Zoom, Teams)")).click()
    check_accessibility(staff, f"live-staff-import-{language}")
    report = ATTENDANCE_SAMPLES / f"teams-attendance-{language}.csv"
    staff.get_by_label(
        words("Attendance report (CSV from Zoom or Microsoft Teams)")
    ).set_input_files(str(report))
    staff.get_by_label(words("Minutes attended to count as present")).fill("60")
    staff.get_by_role("button", name=words("Check and import")).click()
    expect(staff.locator(".flash-success")).to_contain_text(
        words(
            "Report imported: %(present)s present, %(absent)s below the minimum.",
            present=1,
            absent=0,
        )
    )
    row = staff.get_by_role("row").filter(has_text=MARIE)
    expect(row).to_contain_text(words("Present"))
    check_accessibility(staff, f"live-staff-attendance-{language}")

    (certificate,) = certificates_in(app)
    assert (certificate.user_id, certificate.definition_id) == (marie, WEBINAR_PROGRAM)
    learner.goto(f"{server.url}/certificates")
    expect(learner.locator("main")).to_contain_text(certificate.code)
    check_accessibility(learner, f"live-certificate-{language}")
    learner.goto(f"{server.url}/dashboard")
    program = learner.locator("section.program")
    expect(program).to_contain_text(words("Attended: %(done)s of %(total)s", done=1, total=1))
    expect(program.get_by_role("link", name=title)).to_be_visible()
    check_accessibility(learner, f"live-program-{language}")
    learner.goto(f"{server.url}/my-sessions")
    learner.get_by_role("button", name=words("Make my calendar feed")).click()
    feed_address = re.compile(rf"^{re.escape(server.url)}/calendar/\d+-[A-Za-z0-9_-]{{32}}\.ics$")
    expect(learner.get_by_label(words("Your feed’s address"))).to_have_value(feed_address)
    check_accessibility(learner, f"live-my-sessions-{language}")
    first_address = learner.get_by_label(words("Your feed’s address")).input_value()
    # A new address and turning the feed off each ask first, on a page of their own.
    learner.get_by_role("link", name=words("Give my feed a new address")).click()
    expect(learner.locator("h1")).to_have_text(words("Give your calendar feed a new address?"))
    check_accessibility(learner, f"live-feed-renew-{language}")
    learner.get_by_role("button", name=words("Give my feed a new address")).click()
    renewed = learner.get_by_label(words("Your feed’s address"))
    expect(renewed).to_have_value(feed_address)
    expect(renewed).not_to_have_value(first_address)
    learner.get_by_role("link", name=words("Turn my feed off")).click()
    expect(learner.locator("h1")).to_have_text(words("Turn your calendar feed off?"))
    check_accessibility(learner, f"live-feed-stop-{language}")
    learner.get_by_role("button", name=words("Turn my feed off")).click()
    expect(learner.get_by_role("button", name=words("Make my calendar feed"))).to_be_visible()
    subject = words("Your certificate: %(title)s", title=certificate.title[language])
    assert subject in [m["Subject"] for m in mailbox.to(MARIE)]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_staff_pages_of_sessions_read_well(
    serve: Serve, new_page: Callable[..., Page], language: str, tmp_path: Path
) -> None:
    server = serve(content_dir=LIVE_CONTENT)
    app, words = server.app, Words(server.app, language)
    add_user(app, "sam@example.org", role=Role.STAFF, language=language)
    session_id = add_session(app)
    page = new_page(locale=LOCALES[language])
    sign_in(page, server, words, "sam@example.org")

    page.goto(f"{server.url}/staff/sessions/")
    check_accessibility(page, f"live-staff-list-{language}")
    page.get_by_role("link", name=words("Schedule a session")).click()
    page.get_by_role("button", name=words("Schedule the session")).click()
    expect(page.get_by_role("alert")).to_contain_text(words("Give the session an id."))
    check_accessibility(page, f"live-staff-new-refused-{language}")
    page.goto(f"{server.url}/staff/sessions/{session_id}/edit")
    check_accessibility(page, f"live-staff-edit-{language}")
    page.goto(f"{server.url}/staff/sessions/{session_id}/cancel")
    check_accessibility(page, f"live-staff-cancel-{language}")
    page.goto(f"{server.url}/staff/sessions/{session_id}/recording")
    check_accessibility(page, f"live-staff-recording-{language}")
    move_session(app, session_id, utcnow() - timedelta(hours=2))
    bad = tmp_path / "rapport.csv"
    bad.write_text("Name,Email,Duration (Minutes)\nAna,ana@,12\n", encoding="utf-8")
    page.goto(f"{server.url}/staff/sessions/{session_id}/attendance/import")
    page.get_by_label(
        words("Attendance report (CSV from Zoom or Microsoft Teams)")
    ).set_input_files(str(bad))
    page.get_by_role("button", name=words("Check and import")).click()
    expect(page.get_by_role("alert").last).to_contain_text("ana@")
    check_accessibility(page, f"live-staff-import-refused-{language}")
