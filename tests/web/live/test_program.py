"""The program a certificate requiring sessions makes: its sessions as steps of the member's
dashboard, and attendance per member on the cohort's dashboard and in its exports."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from lms.accounts.categories import Role
from lms.cli import cli
from lms.db import get_session, utcnow
from lms.live.models import Attendance, AttendanceSource, LiveSession
from lms.live.times import when
from tests.support.smtp import Mailbox, html_of, text_of
from tests.web.helpers import submit_form
from tests.web.learning_helpers import record, sign_in
from tests.web.staff_helpers import add_cohort, add_member, add_user, site_today

from .helpers import PRACTICE, WEBINAR_PROGRAM, add_session


def _attended(app: Flask, session_id: int, user_id: int) -> None:
    with app.app_context():
        session = get_session()
        session.add(
            Attendance(
                session_id=session_id,
                user_id=user_id,
                present=True,
                source=AttendanceSource.TICKED,
                recorded_at=utcnow(),
            )
        )
        session.commit()


def test_the_members_dashboard_shows_the_sessions_as_steps(app: Flask, client: FlaskClient) -> None:
    ana = add_user(app, "ana@example.org")
    cohort = add_cohort(app, certificate_id=WEBINAR_PROGRAM)
    add_member(app, cohort, "ana@example.org", "Ana", "Roy", user_id=ana)
    past = add_session(app, "spring", starts_in=timedelta(days=-20))
    add_session(app, "missed", starts_in=timedelta(days=-10))
    add_session(app, "autumn", starts_in=timedelta(days=10))
    add_session(app, "unrelated", tags=("other",))
    sign_in(client, "ana@example.org")
    submit_form(client, "/sessions/autumn/register", {}, page="/sessions/autumn")

    before = client.get("/dashboard").get_data(as_text=True)
    _attended(app, past, ana)
    after = client.get("/dashboard").get_data(as_text=True)

    assert "Attended: 0 of 1" in before
    assert "/sessions/spring" not in before  # past, and not attended: no step
    assert "/sessions/autumn" in before
    assert "Registered" in before
    assert "/sessions/unrelated" not in before
    assert "Attended: 1 of 1" in after
    assert "/sessions/spring" in after
    assert "Attended" in after
    assert "/sessions/missed" not in after


def test_the_cohort_dashboard_and_export_show_attendance_per_member(
    app: Flask, client: FlaskClient
) -> None:
    ana, bob = add_user(app, "ana@example.org"), add_user(app, "bob@example.org")
    cohort = add_cohort(app, certificate_id=WEBINAR_PROGRAM)
    add_member(app, cohort, "ana@example.org", "Ana", "Roy", user_id=ana)
    add_member(app, cohort, "bob@example.org", "Bob", "Tremblay", user_id=bob)
    session_id = add_session(app, starts_in=timedelta(days=-3))
    record(app, ana, PRACTICE, "apply")
    record(app, bob, PRACTICE, "apply")
    _attended(app, session_id, ana)
    add_user(app, "sam@example.org", role=Role.STAFF)
    sign_in(client, "sam@example.org")

    page = client.get(f"/staff/cohorts/{cohort}").get_data(as_text=True)
    export = client.get(f"/staff/cohorts/{cohort}/export.csv?dialect=en")

    assert "1 of 1 attended" in page
    assert "0 of 1 attended" in page
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True).lstrip("\ufeff"))))
    column = rows[0].index("Live sessions attended (of 1)")
    by_email = {row[2]: row for row in rows[1:]}
    assert by_email["ana@example.org"][column] == "1"
    assert by_email["bob@example.org"][column] == "0"
    # The course alone does not complete the program: Bob is still in progress.
    status = rows[0].index("Status")
    assert by_email["bob@example.org"][status] == "In progress"


def test_a_cohort_reminder_names_the_sessions_still_to_attend(app: Flask, mailbox: Mailbox) -> None:
    """Ana and Chloé finished the course but attended no webinar: their reminders name the
    one to come that counts (in their language, at its time in its zone); Bob attended one,
    so he is done and gets none."""
    ana = add_user(app, "ana@example.org", language="en")
    chloe = add_user(app, "chloe@example.org", language="fr")
    bob = add_user(app, "bob@example.org")
    with app.app_context():
        today = site_today()
    cohort = add_cohort(app, certificate_id=WEBINAR_PROGRAM, due_date=today)
    for user_id, email in (
        (ana, "ana@example.org"),
        (chloe, "chloe@example.org"),
        (bob, "bob@example.org"),
    ):
        add_member(app, cohort, email, email.split("@")[0].title(), "Roy", user_id=user_id)
        record(app, user_id, PRACTICE, "apply")
    missed = add_session(app, "spring", starts_in=timedelta(days=-20))
    autumn = add_session(app, "autumn", starts_in=timedelta(days=10))
    add_session(app, "unrelated", starts_in=timedelta(days=5), tags=("other",))
    _attended(app, missed, bob)

    result = app.test_cli_runner().invoke(cli, ["reminders", "send"])

    assert result.exit_code == 0, result.output
    assert sorted(m["To"] for m in mailbox.messages) == ["ana@example.org", "chloe@example.org"]
    with app.app_context():
        live = get_session().get(LiveSession, autumn)
        assert live is not None
        in_english = when(live.starts_at, live.ends_at, live.time_zone, "en").text
        in_french = when(live.starts_at, live.ends_at, live.time_zone, "fr").text
    english = text_of(mailbox.last("ana@example.org"))
    assert "Still to attend: 1 live session" in english
    assert f"- Webinar: patient partnership, {in_english}: " in english
    assert "/sessions/autumn" in english
    assert "/sessions/unrelated" not in english
    assert "/sessions/spring" not in english
    french = text_of(mailbox.last("chloe@example.org"))
    assert "Encore à suivre\u00a0: 1 séance en direct" in french
    assert f"- Webinaire : le partenariat patient, {in_french}" in french
    assert "/sessions/autumn" in html_of(mailbox.last("chloe@example.org"))


def test_a_cohort_reminder_says_when_no_session_that_counts_is_scheduled(
    app: Flask, mailbox: Mailbox
) -> None:
    ana = add_user(app, "ana@example.org", language="en")
    with app.app_context():
        today = site_today()
    cohort = add_cohort(app, certificate_id=WEBINAR_PROGRAM, due_date=today)
    add_member(app, cohort, "ana@example.org", "Ana", "Roy", user_id=ana)
    record(app, ana, PRACTICE, "apply")
    add_session(app, "spring", starts_in=timedelta(days=-20))

    result = app.test_cli_runner().invoke(cli, ["reminders", "send"])

    assert result.exit_code == 0, result.output
    text = text_of(mailbox.last("ana@example.org"))
    assert "Still to attend: 1 live session" in text
    assert "No session that counts is scheduled yet" in text
