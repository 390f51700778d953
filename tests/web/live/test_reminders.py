"""The reminders of the day and the hour before, queued by the chore: each once to each seat,
in the learner's language, with the call's link or the place; none to the waiting list."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask import Flask
from flask.testing import FlaskClient

from lms import jobs
from lms.accounts.categories import Role
from lms.cli import cli
from lms.db import get_session, utcnow
from lms.live import reminders
from lms.live.models import Registration
from tests.support.smtp import Mailbox, text_of
from tests.web.helpers import submit_form
from tests.web.learning_helpers import sign_in
from tests.web.staff_helpers import add_user

from .helpers import add_session, move_session

PAGE = "/sessions/frq-webinar-oct"


def _register(app: Flask, email: str, language: str) -> FlaskClient:
    add_user(app, email, language=language)
    client = app.test_client()
    sign_in(client, email)
    submit_form(client, f"{PAGE}/register", {}, page=PAGE)
    return client


def _remind(app: Flask, now: datetime) -> int:
    with app.app_context():
        session = get_session()
        count = reminders.send_due_reminders(session, now)
        session.commit()
        return count


def _subjects(mailbox: Mailbox, email: str) -> list[str]:
    return [m["Subject"] for m in mailbox.to(email)]


def test_the_day_before_then_the_hour_before_each_once(app: Flask, mailbox: Mailbox) -> None:
    start = utcnow().replace(microsecond=0) + timedelta(days=5)
    session_id = add_session(app, capacity=1, place="Salle 1.23")
    move_session(app, session_id, start)
    _register(app, "ana@example.org", "fr")
    _register(app, "bob@example.org", "en")  # on the waiting list

    assert _remind(app, start - timedelta(hours=30)) == 0
    assert _remind(app, start - timedelta(hours=23)) == 1
    assert _remind(app, start - timedelta(hours=22)) == 0
    assert _remind(app, start - timedelta(minutes=50)) == 1
    assert _remind(app, start - timedelta(minutes=10)) == 0

    assert _subjects(mailbox, "ana@example.org")[1:] == [
        "Demain\u00a0: Webinaire : le partenariat patient",
        "Dans une heure\u00a0: Webinaire : le partenariat patient",
    ]
    hour = text_of(mailbox.to("ana@example.org")[-1])
    assert "commence dans une heure" in hour
    assert "https://example.zoom.us/j/81234567890" in hour
    assert "Lieu\u00a0: Salle 1.23" in hour
    assert [s for s in _subjects(mailbox, "bob@example.org") if "Tomorrow" in s] == []


def test_a_seat_taken_within_the_day_gets_the_hours_reminder_only(
    app: Flask, mailbox: Mailbox
) -> None:
    start = utcnow().replace(microsecond=0) + timedelta(hours=5)
    session_id = add_session(app)
    move_session(app, session_id, start)
    _register(app, "ana@example.org", "en")

    assert _remind(app, start - timedelta(hours=4)) == 0
    assert _remind(app, start - timedelta(minutes=30)) == 1

    assert _subjects(mailbox, "ana@example.org") == [
        "You are registered: Webinar: patient partnership",
        "In an hour: Webinar: patient partnership",
    ]


def test_a_chore_that_missed_the_day_sends_one_reminder_not_two(
    app: Flask, mailbox: Mailbox
) -> None:
    start = utcnow().replace(microsecond=0) + timedelta(days=3)
    session_id = add_session(app)
    move_session(app, session_id, start)
    _register(app, "ana@example.org", "en")

    assert _remind(app, start - timedelta(minutes=40)) == 1

    assert _subjects(mailbox, "ana@example.org")[1:] == ["In an hour: Webinar: patient partnership"]
    assert _remind(app, start - timedelta(minutes=20)) == 0


def test_a_new_time_brings_new_reminders_and_a_cancelled_session_none(
    app: Flask, client: FlaskClient, mailbox: Mailbox
) -> None:
    start = utcnow().replace(microsecond=0) + timedelta(days=3)
    session_id = add_session(app)
    move_session(app, session_id, start)
    _register(app, "ana@example.org", "en")
    assert _remind(app, start - timedelta(hours=20)) == 1
    add_user(app, "sam@example.org", role=Role.STAFF)
    sign_in(client, "sam@example.org")
    edit = f"/staff/sessions/{session_id}/edit"
    later = (start + timedelta(days=7)).astimezone(ZoneInfo("America/Montreal"))
    fields = {
        "title_fr": "Webinaire", "title_en": "Webinar", "day": later.date().isoformat(),
        "start_time": later.strftime("%H:%M"), "end_time": "23:59",
        "time_zone": "America/Montreal", "language": "fr", "capacity": "5",
        "video_url": "https://example.zoom.us/j/1", "course_id": "", "certificate_id": "",
    }  # fmt: skip
    assert submit_form(client, edit, fields).status_code == 303

    assert _remind(app, later - timedelta(hours=20)) == 1

    submit_form(client, f"/staff/sessions/{session_id}/cancel", {"reason": "No room."})
    assert _remind(app, later - timedelta(minutes=30)) == 0


def test_the_chore_is_registered_to_run_in_the_worker(app: Flask) -> None:
    assert reminders.CHORE in jobs.jobs(app).chores
    with app.app_context():
        jobs.run_soon(reminders.CHORE, app)  # runs at once in testing, on the real clock


def test_the_command_queues_what_is_due_now(app: Flask, mailbox: Mailbox) -> None:
    session_id = add_session(app)
    _register(app, "ana@example.org", "en")
    move_session(app, session_id, utcnow() + timedelta(minutes=30))
    with app.app_context():
        session = get_session()
        for registration in session.query(Registration):
            registration.seated_at = utcnow() - timedelta(days=2)
        session.commit()

    first = app.test_cli_runner().invoke(cli, ["sessions", "remind"])
    again = app.test_cli_runner().invoke(cli, ["sessions", "remind"])

    assert first.output == "1 reminder(s) queued.\n"
    assert again.output == "0 reminder(s) queued.\n"
    assert _subjects(mailbox, "ana@example.org")[-1] == "In an hour: Webinar: patient partnership"
