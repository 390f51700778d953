"""Two learners asking for the last seat at the same instant, each having read the session
before either writes: one gets the seat, the other the waiting list. On PostgreSQL at READ
COMMITTED (``.ci/with-postgres``) as on SQLite."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from flask import Flask
from werkzeug.test import EnvironBuilder

from lms.accounts import queries as account_queries
from lms.live import services
from lms.live.models import RegistrationStatus
from tests.support.databases import Databases
from tests.support.smtp import Mailbox
from tests.web.conftest import MakeApp
from tests.web.helpers import csrf_token, hidden_fields
from tests.web.learning_helpers import sign_in
from tests.web.races import Race, at_once
from tests.web.staff_helpers import add_user

from .helpers import (
    ATTENDANCE_SAMPLES,
    LIVE_CONTENT,
    add_session,
    attendance_of,
    registrations_of,
    staff_client,
)

PAGE = "/sessions/frq-webinar-oct"


@pytest.fixture
def two_apps(make_app: MakeApp, databases: Databases, mailbox: Mailbox) -> tuple[Flask, Flask]:
    """Two app servers on one database."""
    url = databases.url("seats")
    one = make_app(content_dir=LIVE_CONTENT, database_url=url, **mailbox.settings)
    two = make_app(
        content_dir=LIVE_CONTENT, database_url=url, with_schema=False, **mailbox.settings
    )
    return one, two


@pytest.mark.parametrize("seats", [1, 2])
def test_two_learners_for_the_last_seat_one_gets_it_the_other_waits(
    two_apps: tuple[Flask, Flask], monkeypatch: pytest.MonkeyPatch, seats: int
) -> None:
    one, two = two_apps
    session_id = add_session(one, capacity=seats)
    if seats == 2:
        add_user(one, "first@example.org")
        early = one.test_client()
        sign_in(early, "first@example.org")
        early.post(f"{PAGE}/register", data={"csrf_token": csrf_token(early, PAGE)})
    ids = [add_user(one, email) for email in ("ana@example.org", "bob@example.org")]
    clients = [one.test_client(), two.test_client()]
    for client, email in zip(clients, ("ana@example.org", "bob@example.org"), strict=True):
        sign_in(client, email)
    tokens = [csrf_token(client, PAGE) for client in clients]
    race = Race(two_apps)
    # Both have read the session (its capacity) before either counts the seats taken.
    monkeypatch.setattr(services, "find_by_slug", race.hold(services.find_by_slug))

    responses = at_once(
        race,
        *(
            lambda c=client, t=token: c.post(f"{PAGE}/register", data={"csrf_token": t})
            for client, token in zip(clients, tokens, strict=True)
        ),
    )

    assert [r.status_code for r in responses] == [303, 303]
    statuses = registrations_of(one, session_id)
    assert sorted(statuses[i] for i in ids) == [
        RegistrationStatus.REGISTERED,
        RegistrationStatus.WAITING,
    ]


def test_two_staff_importing_one_report_at_once_both_succeed_and_record_it_once(
    two_apps: tuple[Flask, Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    one, two = two_apps
    session_id = add_session(one, starts_in=timedelta(hours=-2), minutes=95)
    marie = add_user(one, "marie.tremblay@example.org")
    report = (ATTENDANCE_SAMPLES / "teams-attendance-en.csv").read_bytes()
    path = f"/staff/sessions/{session_id}/attendance/import"
    environs = []
    for app, email in ((one, "sam@example.org"), (two, "eve@example.org")):
        client = staff_client(app, email)
        fields = hidden_fields(client.get(path).get_data(as_text=True), path)
        data = {**fields, "minimum_minutes": "60", "report": (io.BytesIO(report), "r.csv")}
        environs.append((client, EnvironBuilder(path=path, method="POST", data=data)))
    race = Race(two_apps)
    # Both have looked the report's people up before either reads what is recorded.
    monkeypatch.setattr(
        account_queries, "account_keys_by_email", race.hold(account_queries.account_keys_by_email)
    )

    responses = at_once(
        race, *(lambda c=client, b=builder: c.open(b.get_environ()) for client, builder in environs)
    )

    assert [r.status_code for r in responses] == [303, 303]
    assert attendance_of(one, session_id)[marie] == (True, 90)
