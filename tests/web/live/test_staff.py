"""Staff schedule a session (every field checked, nothing half-written), change it (registrants
mailed of a new time), cancel it after a confirmation (registrants and waiting mailed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from lms.accounts.categories import Role
from lms.audit.actions import AuditAction
from lms.db import get_session
from lms.live.models import LiveSession, RegistrationStatus
from tests.support.smtp import Mailbox, text_of
from tests.web.helpers import hidden_fields, submit_form
from tests.web.learning_helpers import sign_in
from tests.web.staff_helpers import add_user, audit_events

from .helpers import PRACTICE, WEBINAR_PROGRAM, add_session, registrations_of

NEW = "/staff/sessions/new"
FIELDS = {
    "slug": "frq-webinar-2027-03",
    "title_fr": "Webinaire : évaluer l’engagement",
    "title_en": "Webinar: evaluating engagement",
    "description_fr": "Premier paragraphe.\n\nSecond paragraphe.",
    "description_en": "First paragraph.",
    "day": "2027-03-18",
    "start_time": "13:00",
    "end_time": "14:30",
    "time_zone": "America/Montreal",
    "language": "bilingual",
    "capacity": "40",
    "video_url": "https://example.zoom.us/j/81234567890",
    "place": "",
    "course_id": PRACTICE,
    "certificate_id": WEBINAR_PROGRAM,
    "tags": "frq-webinar, FRQ-2027 frq-webinar",
}


@pytest.fixture
def staff(app: Flask, client: FlaskClient) -> int:
    staff_id = add_user(app, "sam@example.org", role=Role.STAFF)
    sign_in(client, "sam@example.org")
    return staff_id


def _sessions(app: Flask) -> list[LiveSession]:
    with app.app_context():
        session = get_session()
        found = list(session.scalars(select(LiveSession).order_by(LiveSession.id)))
        for live in found:
            _ = live.tag_names
        session.expunge_all()
        return found


def test_staff_schedule_a_session_kept_in_utc_and_shown_in_its_zone(
    app: Flask, client: FlaskClient, staff: int
) -> None:
    response = submit_form(client, NEW, FIELDS)

    assert response.status_code == 303
    (live,) = _sessions(app)
    assert live.slug == "frq-webinar-2027-03"
    assert live.starts_at == datetime(2027, 3, 18, 17, 0, tzinfo=UTC)  # daylight time by then
    assert live.ends_at == datetime(2027, 3, 18, 18, 30, tzinfo=UTC)
    assert live.tag_names == ("frq-2027", "frq-webinar")
    assert (live.course_id, live.certificate_id) == (PRACTICE, WEBINAR_PROGRAM)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Thursday, March 18, 2027, 1:00" in page
    (event,) = [e for e in audit_events(app) if e.action == AuditAction.LIVE_SESSION_CREATE]
    assert event.target == f"live_session:{live.id}"
    learners = app.test_client().get(
        "/sessions/frq-webinar-2027-03", headers={"Accept-Language": "fr"}
    )
    assert "jeudi 18 mars 2027, 13 h 00 – 14 h 30 HAE" in learners.get_data(as_text=True)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"slug": "Not A Slug"}, "Use lowercase letters, digits and single hyphens"),
        ({"slug": ""}, "Give the session an id."),
        ({"title_en": ""}, "Give the title in English."),
        ({"end_time": "12:00"}, "The session must end after it starts"),
        ({"start_time": "1 pm"}, "Enter a time such as 13:30."),
        ({"day": "2027-02-30"}, "Enter a date such as 2026-09-30."),
        ({"day": "2027-03-14", "start_time": "02:30", "end_time": "03:30"}, "the clocks change"),
        ({"time_zone": "Mars/Olympus"}, "Choose a time zone from the list."),
        ({"language": "de"}, "Choose the session’s language."),
        ({"capacity": "0"}, "From 1 to 10000 seats."),
        ({"capacity": "many"}, "Enter a whole number, such as 2."),
        ({"video_url": "", "place": ""}, "Give the video call link, the place, or both."),
        ({"video_url": "http://example.org/call"}, "Give an address that starts with https://."),
        ({"course_id": "por-404"}, "Choose a course from the list, or none."),
        ({"certificate_id": "nope"}, "Choose a program from the list, or none."),
        ({"tags": "Bad_Tag"}, "“bad_tag” is not a tag"),
        ({"tags": " ".join(f"t{n}" for n in range(11))}, "At most 10 tags."),
        ({"title_fr": "x" * 201}, "At most 200 characters."),
    ],
)
def test_a_bad_field_is_refused_beside_it_and_nothing_is_written(
    app: Flask, client: FlaskClient, staff: int, changes: dict[str, str], message: str
) -> None:
    response = submit_form(client, NEW, {**FIELDS, **changes})

    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _sessions(app) == []


def test_an_id_already_taken_is_refused(app: Flask, client: FlaskClient, staff: int) -> None:
    add_session(app, FIELDS["slug"])

    response = submit_form(client, NEW, FIELDS)

    assert response.status_code == 400
    assert "Another session already has this id" in response.get_data(as_text=True)
    assert len(_sessions(app)) == 1


def _learner(app: Flask, email: str, language: str = "en") -> FlaskClient:
    add_user(app, email, language=language)
    learner = app.test_client()
    sign_in(learner, email)
    return learner


def test_a_new_time_is_mailed_to_registrants_and_the_audit_keeps_the_old_one(
    app: Flask, client: FlaskClient, staff: int, mailbox: Mailbox
) -> None:
    session_id = add_session(app, "webinar", capacity=1)
    for email in ("ana@example.org", "bob@example.org"):
        submit_form(
            _learner(app, email), "/sessions/webinar/register", {}, page="/sessions/webinar"
        )
    edit = f"/staff/sessions/{session_id}/edit"
    form = client.get(edit).get_data(as_text=True)
    assert 'value="frq-webinar"' in form

    response = submit_form(
        client,
        edit,
        {**FIELDS, "day": "2027-04-01", "capacity": "2", "tags": "frq-webinar", "course_id": ""},
    )

    assert response.status_code == 303
    assert registrations_of(app, session_id) == {
        2: RegistrationStatus.REGISTERED,
        3: RegistrationStatus.REGISTERED,  # a second seat: the waiting moved up
    }
    changed = mailbox.last("ana@example.org")
    assert changed["Subject"].startswith("Changed: ")
    assert "Thursday, April 1, 2027" in text_of(changed)
    assert mailbox.last("bob@example.org")["Subject"].startswith("A seat is yours")
    (event,) = [e for e in audit_events(app) if e.action == AuditAction.LIVE_SESSION_UPDATE]
    assert event.details["starts_at"].startswith("2027-04-01")
    assert "previous_starts_at" in event.details


def test_cancelling_asks_first_then_mails_registered_and_waiting_once(
    app: Flask, client: FlaskClient, staff: int, mailbox: Mailbox
) -> None:
    session_id = add_session(app, "webinar", capacity=1)
    for email in ("ana@example.org", "bob@example.org"):
        submit_form(
            _learner(app, email), "/sessions/webinar/register", {}, page="/sessions/webinar"
        )
    confirm = f"/staff/sessions/{session_id}/cancel"
    page = client.get(confirm).get_data(as_text=True)
    assert "The 1 person registered is told by email" in page
    assert "The 1 person on the waiting list is told too." in page

    posted = {**hidden_fields(page, confirm), "reason": "The speaker is ill."}
    response = client.post(confirm, data=posted)
    again = client.post(confirm, data=posted)  # the same form, sent twice

    assert response.status_code == 303
    assert again.status_code == 303
    for email in ("ana@example.org", "bob@example.org"):
        mails = [m for m in mailbox.to(email) if m["Subject"].startswith("Cancelled")]
        assert len(mails) == 1
        assert "The speaker is ill." in text_of(mails[0])
    assert "zoom.us" not in text_of(mails[0])
    cancellations = [e for e in audit_events(app) if e.action == AuditAction.LIVE_SESSION_CANCEL]
    assert len(cancellations) == 1
    assert "/sessions/webinar" not in client.get("/sessions/").get_data(as_text=True)
    with app.app_context():
        count = get_session().scalar(select(func.count(LiveSession.id)))
    assert count == 1


def test_a_cancelled_session_cannot_be_changed(app: Flask, client: FlaskClient, staff: int) -> None:
    session_id = add_session(app, "webinar")
    submit_form(client, f"/staff/sessions/{session_id}/cancel", {"reason": "No room."})

    assert client.get(f"/staff/sessions/{session_id}/edit").status_code == 409


def test_the_staff_list_shows_seats_and_the_past_apart(
    app: Flask, client: FlaskClient, staff: int
) -> None:
    add_session(app, "soon", capacity=12)
    add_session(app, "long-ago", starts_in=timedelta(days=-30))

    upcoming = client.get("/staff/sessions/").get_data(as_text=True)
    past = client.get("/staff/sessions/?past=1").get_data(as_text=True)

    assert "/staff/sessions/1" in upcoming
    assert "/staff/sessions/2" not in upcoming
    assert "/staff/sessions/2" in past


def test_the_audit_trail_names_the_session_and_links_to_it(
    app: Flask, client: FlaskClient, staff: int
) -> None:
    submit_form(client, NEW, FIELDS)
    add_user(app, "ada@example.org", role=Role.ADMIN)
    admin = app.test_client()
    sign_in(admin, "ada@example.org")

    page = admin.get("/admin/audit").get_data(as_text=True)

    assert "Live session scheduled" in page
    assert "Live session Webinar: evaluating engagement" in page
    assert 'href="/staff/sessions/1"' in page
