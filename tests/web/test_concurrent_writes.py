"""Requests that write at the same instant, each read before the other's write: on SQLite
too, neither fails (a sign-in, a page that records the learner's place)."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select

from lms.accounts import services as accounts
from lms.accounts.models import User
from lms.db import get_session
from lms.learning import queries as learning
from lms.learning.models import Enrolment
from tests.support.databases import Databases

from .conftest import MakeApp
from .helpers import PASSWORD, csrf_token
from .learning_helpers import BASICS, LEARNING_CONTENT, sign_in
from .races import Race, at_once

PEOPLE = ("ana@example.org", "ben@example.org")


@pytest.fixture
def two_apps(make_app: MakeApp, databases: Databases) -> tuple[Flask, Flask]:
    """Two app servers (own engine, own sessions) on one database, and two learners."""
    url = databases.url("writes")
    one = make_app(content_dir=LEARNING_CONTENT, database_url=url)
    two = make_app(content_dir=LEARNING_CONTENT, database_url=url, with_schema=False)
    with one.app_context():
        session = get_session()
        for email in PEOPLE:
            accounts.create_user(session, email, PASSWORD, language="en")
        session.commit()
    return one, two


def test_two_sign_ins_at_once_both_succeed(
    two_apps: tuple[Flask, Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    clients = [app.test_client() for app in two_apps]
    tokens = [csrf_token(client, "/accounts/sign-in") for client in clients]
    # Both have read their user, and check their password side by side, before either
    # records its sign-in.
    race = Race(two_apps, read_first=True)
    monkeypatch.setattr(accounts, "find_user_by_email", race.hold(accounts.find_user_by_email))

    responses = at_once(
        race,
        *(
            lambda c=client, e=email, t=token: c.post(
                "/accounts/sign-in", data={"email": e, "password": PASSWORD, "csrf_token": t}
            )
            for client, email, token in zip(clients, PEOPLE, tokens, strict=True)
        ),
    )

    assert [r.status_code for r in responses] == [302, 302]
    with two_apps[0].app_context():
        seen = get_session().scalars(select(User.last_seen_at)).all()
    assert all(moment is not None for moment in seen)


def test_two_learners_opening_lessons_at_once_both_have_their_place_kept(
    two_apps: tuple[Flask, Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    clients = [app.test_client() for app in two_apps]
    for client, email in zip(clients, PEOPLE, strict=True):
        sign_in(client, email)
        assert client.get(f"/courses/{BASICS}/welcome").status_code == 200
    race = Race(two_apps, read_first=True)
    # Both read their enrolment, then both write their new place.
    reads = race.hold(learning.enrolment_and_completions)
    monkeypatch.setattr(learning, "enrolment_and_completions", reads)

    responses = at_once(
        race, *(lambda c=client: c.get(f"/courses/{BASICS}/first-steps") for client in clients)
    )

    assert [r.status_code for r in responses] == [200, 200]
    with two_apps[0].app_context():
        places = get_session().scalars(select(Enrolment.last_item)).all()
    assert places == ["first-steps", "first-steps"]
