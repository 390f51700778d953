"""A person's live sessions in their data export; deleting their account gives up their seats
to come (the waiting list moves up) and kills their feed's address."""

from __future__ import annotations

import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from lms.live.models import RegistrationStatus
from tests.support.smtp import Mailbox
from tests.web.account_helpers import post_form
from tests.web.helpers import csrf_token, submit_form
from tests.web.learning_helpers import sign_in
from tests.web.staff_helpers import add_user

from .helpers import add_session, registrations_of

FEED = re.compile(r'id="feed-url"[^>]*value="http://127.0.0.1:5000([^"]+)"')


def _signed_in(app: Flask, email: str) -> FlaskClient:
    add_user(app, email)
    client = app.test_client()
    sign_in(client, email)
    return client


def _export(client: FlaskClient) -> Any:
    token = csrf_token(client, "/accounts/my-data")
    return client.post("/accounts/my-data/export", data={"csrf_token": token}).get_json()


def test_the_export_holds_the_persons_sessions_and_no_feed_address(app: Flask) -> None:
    add_session(app, "soon")
    ana = _signed_in(app, "ana@example.org")
    submit_form(ana, "/sessions/soon/register", {}, page="/sessions/soon")
    submit_form(ana, "/my-sessions/feed", {}, page="/my-sessions")
    token = FEED.search(ana.get("/my-sessions").get_data(as_text=True))
    assert token is not None

    data = _export(ana)

    (registration,) = data["live_session_registrations"]
    assert (registration["session"], registration["status"]) == ("soon", "registered")
    assert data["live_session_attendance"] == []
    assert data["calendar_feed"]["created_at"]
    assert token.group(1).split("/")[-1].removesuffix(".ics") not in str(data)


def test_deleting_an_account_gives_its_seat_to_the_next_and_kills_its_feed(
    app: Flask, mailbox: Mailbox
) -> None:
    session_id = add_session(app, "soon", capacity=1)
    ana, bob = _signed_in(app, "ana@example.org"), _signed_in(app, "bob@example.org")
    submit_form(ana, "/sessions/soon/register", {}, page="/sessions/soon")
    submit_form(bob, "/sessions/soon/register", {}, page="/sessions/soon")
    submit_form(ana, "/my-sessions/feed", {}, page="/my-sessions")
    feed = FEED.search(ana.get("/my-sessions").get_data(as_text=True))
    assert feed is not None
    assert app.test_client().get(feed.group(1)).status_code == 200

    response = post_form(
        ana,
        "/accounts/my-data/delete",
        {"confirmation": "ana@example.org"},
        page="/accounts/my-data",
    )

    assert response.status_code == 303
    statuses = sorted(registrations_of(app, session_id).values())
    assert statuses == [RegistrationStatus.CANCELLED, RegistrationStatus.REGISTERED]
    assert mailbox.last("bob@example.org")["Subject"].startswith("A seat is yours")
    assert app.test_client().get(feed.group(1)).status_code == 404
