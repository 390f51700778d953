"""A session's .ics for those who hold a seat; a personal feed whose secret address works
until its owner makes a new one or turns it off, and never reaches the log."""

from __future__ import annotations

import logging
import re
from datetime import timedelta

import icalendar
import pytest
from flask import Flask
from flask.testing import FlaskClient

from lms.db import get_session, utcnow
from lms.live.models import LiveSession
from tests.web.helpers import hidden_fields, submit_form
from tests.web.learning_helpers import sign_in
from tests.web.staff_helpers import add_user

from .helpers import add_session

RENEW = "/my-sessions/feed/new-address"
STOP = "/my-sessions/feed/stop"
FEED = re.compile(r'id="feed-url"[^>]*value="([^"]+)"')


def _registered(app: Flask, client: FlaskClient, slug: str = "frq-webinar-oct") -> None:
    submit_form(client, f"/sessions/{slug}/register", {}, page=f"/sessions/{slug}")


@pytest.fixture
def ana(app: Flask, client: FlaskClient) -> FlaskClient:
    add_user(app, "ana@example.org", language="fr")
    sign_in(client, "ana@example.org")
    return client


def test_the_ics_of_a_seat_is_a_calendar_apps_read(app: Flask, ana: FlaskClient) -> None:
    session_id = add_session(app, place="Salle 1.23, Pavillon Jeanne-Mance")
    _registered(app, ana)

    response = ana.get("/sessions/frq-webinar-oct/calendar.ics")

    assert response.status_code == 200
    assert response.content_type == "text/calendar; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    (event,) = icalendar.Calendar.from_ical(response.data).walk("VEVENT")
    assert str(event["UID"]) == f"live-session-{session_id}@127.0.0.1"
    assert str(event["SUMMARY"]) == "Webinaire : le partenariat patient"
    assert str(event["LOCATION"]) == "Salle 1.23, Pavillon Jeanne-Mance"
    assert str(event["URL"]) == "https://example.zoom.us/j/81234567890"
    assert "Visioconférence\u00a0: https://example.zoom.us" in str(event["DESCRIPTION"])
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(minutes=90)


def test_no_ics_without_a_seat(app: Flask, ana: FlaskClient) -> None:
    add_session(app, capacity=1)
    add_user(app, "bob@example.org")
    bob = app.test_client()
    sign_in(bob, "bob@example.org")
    _registered(app, bob)
    _registered(app, ana)  # on the waiting list

    assert ana.get("/sessions/frq-webinar-oct/calendar.ics").status_code == 404


def _feed_url(client: FlaskClient) -> str | None:
    found = FEED.search(client.get("/my-sessions").get_data(as_text=True))
    return found.group(1) if found else None


def test_a_feed_lists_the_seats_and_tells_of_a_cancellation(app: Flask, ana: FlaskClient) -> None:
    add_session(app)
    other = add_session(app, "other", starts_in=timedelta(days=9))
    add_session(app, "not-mine")
    _registered(app, ana)
    _registered(app, ana, "other")
    submit_form(ana, "/my-sessions/feed", {}, page="/my-sessions")
    url = _feed_url(ana)
    assert url is not None
    path = url.removeprefix("http://127.0.0.1:5000")
    anonymous = app.test_client()

    response = anonymous.get(path)

    assert response.status_code == 200
    assert response.content_type == "text/calendar; charset=utf-8"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    parsed = icalendar.Calendar.from_ical(response.data)
    assert str(parsed["X-WR-CALNAME"]) == "Parcours\u00a0: mes séances en direct"
    assert [str(e["STATUS"]) for e in parsed.walk("VEVENT")] == ["CONFIRMED", "CONFIRMED"]
    assert "Lu pour la dernière fois" in ana.get("/my-sessions").get_data(as_text=True)

    with app.app_context():
        session = get_session()
        live = session.get(LiveSession, other)
        assert live is not None
        live.cancelled_at, live.sequence = utcnow(), live.sequence + 1
        session.commit()
    later = icalendar.Calendar.from_ical(anonymous.get(path).data)

    assert [str(e["STATUS"]) for e in later.walk("VEVENT")] == ["CONFIRMED", "CANCELLED"]
    assert int(later.walk("VEVENT")[1]["SEQUENCE"]) == 1


def test_a_new_address_kills_the_old_and_turning_it_off_kills_both(
    app: Flask, ana: FlaskClient
) -> None:
    submit_form(ana, "/my-sessions/feed", {}, page="/my-sessions")
    first = _feed_url(ana)
    submit_form(ana, RENEW, {})
    second = _feed_url(ana)
    assert first is not None
    assert second is not None
    assert first != second
    anonymous = app.test_client()

    assert anonymous.get(first.removeprefix("http://127.0.0.1:5000")).status_code == 404
    assert anonymous.get(second.removeprefix("http://127.0.0.1:5000")).status_code == 200

    submit_form(ana, STOP, {})

    assert _feed_url(ana) is None
    assert anonymous.get(second.removeprefix("http://127.0.0.1:5000")).status_code == 404


def test_the_feeds_token_never_reaches_the_log(
    app: Flask, ana: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    submit_form(ana, "/my-sessions/feed", {}, page="/my-sessions")
    url = _feed_url(ana)
    assert url is not None
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    caplog.set_level(logging.INFO, logger="lms")

    app.test_client().get(f"/calendar/{token}.ics")
    app.test_client().get(f"/calendar/{token[:-3]}abc.ics")

    logged = "\n".join(f"{r.getMessage()} {vars(r)}" for r in caplog.records)
    assert "GET /calendar/<token>.ics 200" in logged
    assert "GET /calendar/<token>.ics 404" in logged
    assert token not in logged
    assert token[:-3] not in logged


def test_someone_elses_token_opens_nothing(app: Flask, ana: FlaskClient) -> None:
    submit_form(ana, "/my-sessions/feed", {}, page="/my-sessions")
    url = _feed_url(ana)
    assert url is not None
    user_id, mac = url.rsplit("/", 1)[1].removesuffix(".ics").split("-", 1)

    forged = f"/calendar/{int(user_id) + 1}-{mac}.ics"

    assert app.test_client().get(forged).status_code == 404


def test_a_new_address_and_turning_off_confirm_first_and_act_once(
    app: Flask, ana: FlaskClient
) -> None:
    for path in (RENEW, STOP):
        # No feed yet: nothing to change, back to the page that offers to make one.
        assert ana.get(path).status_code == 303
    submit_form(ana, "/my-sessions/feed", {}, page="/my-sessions")
    first = _feed_url(ana)
    page = ana.get(RENEW)
    assert page.status_code == 200
    assert "les applications de calendrier qui y sont abonnées" in page.get_data(as_text=True)
    assert _feed_url(ana) == first  # showing the question changes nothing
    hidden = dict(hidden_fields(page.get_data(as_text=True), RENEW))

    renewed, again = ana.post(RENEW, data=hidden), ana.post(RENEW, data=hidden)

    assert renewed.status_code == again.status_code == 303
    # The same form posted twice: one new address, and a note that nothing more happened.
    assert "rien de plus n’a été fait" in ana.get("/my-sessions").get_data(as_text=True)
    second = _feed_url(ana)
    assert second not in (None, first)
    assert "Son adresse cessera de fonctionner" in ana.get(STOP).get_data(as_text=True)
    stop = dict(hidden_fields(ana.get(STOP).get_data(as_text=True), STOP))
    assert ana.post(STOP, data=stop).status_code == 303
    assert ana.post(STOP, data=stop).status_code == 303
    assert "rien de plus n’a été fait" in ana.get("/my-sessions").get_data(as_text=True)
    assert _feed_url(ana) is None
