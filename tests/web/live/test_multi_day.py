"""A session that ends on another day (a two-day workshop): scheduled with its end's day,
kept in UTC, and shown with both days in its own zone on the pages, in the ``.ics`` and in
the mails; the edit form gives its end's day back."""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar
from flask import Flask
from sqlalchemy import select

from lms.db import get_session
from lms.live.models import LiveSession
from tests.support.smtp import Mailbox, text_of
from tests.web.helpers import submit_form
from tests.web.learning_helpers import sign_in
from tests.web.staff_helpers import add_user

from .helpers import staff_client
from .test_staff import FIELDS, NEW

WORKSHOP = {
    **FIELDS,
    "slug": "atelier-deux-jours",
    "day": "2027-03-18",
    "start_time": "09:00",
    "end_day": "2027-03-19",
    "end_time": "12:00",
}
FRENCH = "jeudi 18 mars 2027, 09 h 00 – vendredi 19 mars 2027, 12 h 00 HAE"
ENGLISH_END = "Friday, March 19, 2027, 12:00"


def _stored(app: Flask) -> tuple[int, datetime, datetime]:
    with app.app_context():
        live = get_session().scalars(select(LiveSession)).one()
        return live.id, live.starts_at, live.ends_at


def test_a_two_day_session_shows_both_days_everywhere(app: Flask, mailbox: Mailbox) -> None:
    staff = staff_client(app)

    response = submit_form(staff, NEW, WORKSHOP)

    assert response.status_code == 303
    session_id, starts_at, ends_at = _stored(app)
    assert starts_at == datetime(2027, 3, 18, 13, 0, tzinfo=UTC)
    assert ends_at == datetime(2027, 3, 19, 16, 0, tzinfo=UTC)
    assert ENGLISH_END in staff.get(f"/staff/sessions/{session_id}").get_data(as_text=True)
    assert ENGLISH_END in staff.get("/staff/sessions/").get_data(as_text=True)
    page = app.test_client().get("/sessions/atelier-deux-jours", headers={"Accept-Language": "fr"})
    assert FRENCH in page.get_data(as_text=True)

    add_user(app, "ana@example.org", language="fr")
    ana = app.test_client()
    sign_in(ana, "ana@example.org")
    submit_form(
        ana, "/sessions/atelier-deux-jours/register", {}, page="/sessions/atelier-deux-jours"
    )

    assert FRENCH in text_of(mailbox.last("ana@example.org"))
    assert FRENCH in ana.get("/my-sessions").get_data(as_text=True)
    (event,) = icalendar.Calendar.from_ical(
        ana.get("/sessions/atelier-deux-jours/calendar.ics").data
    ).walk("VEVENT")
    assert event.decoded("DTSTART") == starts_at
    assert event.decoded("DTEND") == ends_at


def test_the_edit_form_gives_the_end_day_back_and_keeps_it(app: Flask) -> None:
    staff = staff_client(app)
    submit_form(staff, NEW, WORKSHOP)
    session_id, _starts_at, ends_at = _stored(app)
    edit = f"/staff/sessions/{session_id}/edit"

    form = staff.get(edit).get_data(as_text=True)
    response = submit_form(staff, edit, {**WORKSHOP, "capacity": "41"})

    assert 'name="end_day" type="date" value="2027-03-19"' in form
    assert response.status_code == 303
    assert _stored(app)[2] == ends_at


def test_an_end_before_the_start_across_days_is_refused(app: Flask) -> None:
    staff = staff_client(app)

    before_day = submit_form(staff, NEW, {**WORKSHOP, "end_day": "2027-03-17"})
    same_day_earlier = submit_form(staff, NEW, {**WORKSHOP, "end_day": "", "end_time": "08:00"})

    assert before_day.status_code == 400
    assert "The session cannot end before the day it starts." in before_day.get_data(as_text=True)
    assert same_day_earlier.status_code == 400
    assert "The session must end after it starts." in same_day_earlier.get_data(as_text=True)
    with app.app_context():
        assert get_session().scalars(select(LiveSession)).all() == []
