"""A new name on the profile: issued certificates keep the old one, the profile says so, and
the holder may ask staff, once, to reissue one; staff see the request on the learner's record."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from lms.accounts.categories import Role
from lms.accounts.models import User
from lms.certificates import services
from lms.db import get_session
from tests.support.databases import Databases
from tests.web.certificate_helpers import (
    CERTIFICATE_CONTENT,
    RENEWABLE,
    add_learner,
    complete_course,
    only_certificate,
)
from tests.web.conftest import MakeApp
from tests.web.helpers import csrf_token
from tests.web.learning_helpers import sign_in
from tests.web.races import Race, at_once


@pytest.fixture
def app(make_app: MakeApp) -> Flask:
    return make_app(content_dir=CERTIFICATE_CONTENT)


@pytest.fixture
def learner(app: Flask, client: FlaskClient) -> int:
    """Léa, signed in, with a certificate printed in her former name."""
    user_id = add_learner(app)
    complete_course(app, user_id, RENEWABLE)
    rename(app, user_id)
    sign_in(client, "lea@example.org")
    return user_id


def rename(app: Flask, user_id: int) -> None:
    """The learner's name for certificates, changed since her certificate was issued."""
    with app.app_context():
        session = get_session()
        user = session.get(User, user_id)
        assert user is not None
        user.certificate_name = "Léa Côté"
        session.commit()


def ask(client: FlaskClient, code: str) -> str:
    token = csrf_token(client, "/accounts/profile")
    response = client.post(f"/certificates/{code}/reissue-request", data={"csrf_token": token})
    assert response.status_code == 303
    assert response.headers["Location"] == "/accounts/profile"
    return client.get("/accounts/profile").get_data(as_text=True)


def test_the_profile_says_issued_certificates_keep_the_old_name(
    client: FlaskClient, learner: int
) -> None:
    page = client.get("/accounts/profile").get_data(as_text=True)

    assert "Certificates in your former name" in page
    assert "printed in the name Léa Tremblay-Côté" in page
    assert "Ask for a reissue in my current name" in page


def test_asking_records_the_request_once(app: Flask, client: FlaskClient, learner: int) -> None:
    code = only_certificate(app).code

    page = ask(client, code)

    assert "Your request is sent" in page
    assert re.search(r"Reissue asked on \w+ \d+, \d{4}, in the name Léa Côté\.", page)
    assert "Ask for a reissue in my current name" not in page
    first = only_certificate(app)
    assert first.reissue_requested_name == "Léa Côté"
    assert first.reissue_requested_at is not None

    again = ask(client, code)

    assert "You have already asked for this certificate to be reissued" in again
    assert only_certificate(app).reissue_requested_at == first.reissue_requested_at


def test_staff_see_the_request_on_the_learners_record(
    app: Flask, client: FlaskClient, learner: int
) -> None:
    ask(client, only_certificate(app).code)
    add_learner(app, "sam@example.org", name="Sam", role=Role.STAFF)
    staff = app.test_client()
    sign_in(staff, "sam@example.org")

    page = staff.get(f"/staff/learners/{learner}").get_data(as_text=True)

    assert "asked on" in page
    assert "for a reissue in the name Léa Côté (printed: Léa Tremblay-Côté)" in page


def test_nothing_to_ask_when_the_name_is_the_same_or_the_certificate_not_yours(
    app: Flask, client: FlaskClient
) -> None:
    user_id = add_learner(app)
    complete_course(app, user_id, RENEWABLE)
    sign_in(client, "lea@example.org")
    code = only_certificate(app).code

    assert "Certificates in your former name" not in client.get("/accounts/profile").get_data(
        as_text=True
    )
    assert "there is nothing to reissue" in ask(client, code)
    assert only_certificate(app).reissue_requested_at is None

    add_learner(app, "mallory@example.org", name="Mallory")
    other = app.test_client()
    sign_in(other, "mallory@example.org")
    token = csrf_token(other, "/accounts/profile")
    response = other.post(f"/certificates/{code}/reissue-request", data={"csrf_token": token})
    assert response.status_code == 404


def test_two_tabs_asking_at_once_record_one_request(
    make_app: MakeApp, databases: Databases, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = databases.url("race")
    one = make_app(content_dir=CERTIFICATE_CONTENT, database_url=url)
    two = make_app(content_dir=CERTIFICATE_CONTENT, database_url=url, with_schema=False)
    user_id = add_learner(one)
    complete_course(one, user_id, RENEWABLE)
    rename(one, user_id)
    code = only_certificate(one).code
    tabs = one.test_client(), two.test_client()
    for tab in tabs:
        sign_in(tab, "lea@example.org")
    tokens = [csrf_token(tab, "/accounts/profile") for tab in tabs]
    # The requests meet once both have read that the certificate's name is out of date.
    race = Race((one, two))
    monkeypatch.setattr(services, "names_out_of_date", race.hold(services.names_out_of_date))

    responses = at_once(
        race,
        *(
            lambda tab=tab, token=token: tab.post(
                f"/certificates/{code}/reissue-request", data={"csrf_token": token}
            )
            for tab, token in zip(tabs, tokens, strict=True)
        ),
    )

    assert [r.status_code for r in responses] == [303, 303]
    pages = [tab.get("/accounts/profile").get_data(as_text=True) for tab in tabs]
    assert sum("Your request is sent" in page for page in pages) == 1
    assert sum("You have already asked" in page for page in pages) == 1
