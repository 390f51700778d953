"""Learners register for a session, join its waiting list when it is full, cancel; the first
waiting moves up; every step mailed in the learner's language."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from lms.live.models import RegistrationStatus
from tests.support.smtp import Mailbox, text_of
from tests.web.helpers import submit_form
from tests.web.learning_helpers import sign_in
from tests.web.staff_helpers import add_user, counting_statements

from .helpers import add_session, registrations_of

SLUG = "frq-webinar-oct"
PAGE = f"/sessions/{SLUG}"


def _register(app: Flask, email: str, language: str = "en") -> tuple[FlaskClient, int]:
    user_id = add_user(app, email, language=language)
    client = app.test_client()
    sign_in(client, email)
    response = submit_form(client, f"{PAGE}/register", {}, page=PAGE)
    assert response.status_code == 303
    return client, user_id


def test_a_learner_registers_and_is_mailed_the_time_in_the_sessions_zone(
    app: Flask, mailbox: Mailbox
) -> None:
    session_id = add_session(app, capacity=2)

    client, ana = _register(app, "ana@example.org", language="fr")

    assert registrations_of(app, session_id) == {ana: RegistrationStatus.REGISTERED}
    page = client.get(PAGE).get_data(as_text=True)
    assert "Vous êtes inscrite" in page or "Vous êtes inscrit" in page
    assert "https://example.zoom.us/j/81234567890" in page  # the link, to a registrant
    mail = mailbox.last("ana@example.org")
    assert mail["Subject"] == "Vous êtes inscrit·e\u00a0: Webinaire : le partenariat patient"
    text = text_of(mail)
    assert "HAE" in text or "HNE" in text
    assert "https://example.zoom.us/j/81234567890" in text
    assert f"/sessions/{SLUG}/calendar.ics" in text


def test_the_call_link_is_for_registrants_only(app: Flask, client: FlaskClient) -> None:
    add_session(app)
    add_user(app, "bob@example.org")

    anonymous = client.get(PAGE, headers={"Accept-Language": "en"}).get_data(as_text=True)
    sign_in(client, "bob@example.org")
    signed_in = client.get(PAGE).get_data(as_text=True)

    for page in (anonymous, signed_in):
        assert "zoom.us" not in page
        assert "video call’s link is given to those registered" in page


def test_a_full_session_puts_the_next_on_its_waiting_list_and_moves_them_up(
    app: Flask, mailbox: Mailbox
) -> None:
    session_id = add_session(app, capacity=1)
    first, ana = _register(app, "ana@example.org")
    second, bob = _register(app, "bob@example.org")
    _third, cy = _register(app, "cy@example.org")

    assert registrations_of(app, session_id) == {
        ana: RegistrationStatus.REGISTERED,
        bob: RegistrationStatus.WAITING,
        cy: RegistrationStatus.WAITING,
    }
    assert "zoom.us" not in text_of(mailbox.last("bob@example.org"))
    assert "waiting list, number 1" in second.get(PAGE).get_data(as_text=True)

    response = submit_form(first, f"{PAGE}/cancel", {}, page=f"{PAGE}/cancel")

    assert response.status_code == 303
    assert registrations_of(app, session_id) == {
        ana: RegistrationStatus.CANCELLED,
        bob: RegistrationStatus.REGISTERED,
        cy: RegistrationStatus.WAITING,
    }
    moved = mailbox.last("bob@example.org")
    assert moved["Subject"] == "A seat is yours: Webinar: patient partnership"
    assert "zoom.us" in text_of(moved)
    assert "waiting list, number 1" in _third.get(PAGE).get_data(as_text=True)


def test_registering_twice_changes_nothing_and_cancelling_then_registering_again_works(
    app: Flask, mailbox: Mailbox
) -> None:
    session_id = add_session(app, capacity=5)
    client, ana = _register(app, "ana@example.org")

    again = submit_form(client, f"{PAGE}/register", {}, page=PAGE)
    assert again.status_code == 303
    assert len(mailbox.to("ana@example.org")) == 1

    submit_form(client, f"{PAGE}/cancel", {}, page=PAGE)
    submit_form(client, f"{PAGE}/register", {}, page=PAGE)

    assert registrations_of(app, session_id) == {ana: RegistrationStatus.REGISTERED}
    assert len(mailbox.to("ana@example.org")) == 2


def test_no_registration_for_a_session_over_or_cancelled(app: Flask, client: FlaskClient) -> None:
    add_session(app, "over", starts_in=timedelta(hours=-3), minutes=60)
    add_user(app, "ana@example.org")
    sign_in(client, "ana@example.org")

    token_page = client.get("/sessions/over").get_data(as_text=True)
    assert "This session is over" in token_page
    response = submit_form(client, "/sessions/over/register", {}, page="/sessions/")

    assert response.status_code == 409
    assert "registration is closed" in response.get_data(as_text=True)


def test_cancelling_without_a_registration_is_refused(app: Flask, client: FlaskClient) -> None:
    add_session(app)
    add_user(app, "ana@example.org")
    sign_in(client, "ana@example.org")

    response = submit_form(client, f"{PAGE}/cancel", {}, page=PAGE)

    assert response.status_code == 409


def test_the_list_shows_sessions_to_come_with_seats_and_the_readers_own(
    app: Flask, client: FlaskClient
) -> None:
    add_session(app, capacity=3)
    add_session(app, "past", starts_in=timedelta(days=-2))
    _register(app, "ana@example.org")
    sign_in(client, "ana@example.org")

    page = client.get("/sessions/").get_data(as_text=True)

    assert PAGE in page
    assert "/sessions/past" not in page
    assert "2 seats left of 3" in page
    assert "You are registered." in page


def test_the_list_costs_the_same_statements_for_3_sessions_or_30(
    app: Flask, client: FlaskClient
) -> None:
    add_session(app)
    _register(app, "ana@example.org")
    sign_in(client, "ana@example.org")
    for n in range(2):
        add_session(app, f"first-{n}", tags=("a", "b"))
    with counting_statements(app) as few:
        client.get("/sessions/")
    for n in range(27):
        add_session(app, f"more-{n}", tags=("a", "b", "c"))
    with counting_statements(app) as many:
        page = client.get("/sessions/").get_data(as_text=True)

    assert page.count('class="course-card"') == 30
    assert len(many) == len(few)


def test_cancelling_asks_first_and_a_second_post_says_it_was_done(
    app: Flask, mailbox: Mailbox
) -> None:
    session_id = add_session(app, capacity=1)
    first, ana = _register(app, "ana@example.org")
    _second, bob = _register(app, "bob@example.org")

    page = first.get(PAGE).get_data(as_text=True)
    question = first.get(f"{PAGE}/cancel")

    assert f'href="{PAGE}/cancel"' in page
    assert question.status_code == 200
    text = question.get_data(as_text=True)
    assert "Your seat goes to the first person on the waiting list" in text
    assert f'href="{PAGE}"' in text  # keep the seat: back to the session
    assert registrations_of(app, session_id)[ana] is RegistrationStatus.REGISTERED

    done = submit_form(first, f"{PAGE}/cancel", {}, page=f"{PAGE}/cancel")
    again = submit_form(first, f"{PAGE}/cancel", {}, page=PAGE)

    assert done.status_code == 303
    assert again.status_code == 303
    assert again.headers["Location"].endswith(PAGE)
    assert "already" in first.get(PAGE).get_data(as_text=True)
    assert registrations_of(app, session_id) == {
        ana: RegistrationStatus.CANCELLED,
        bob: RegistrationStatus.REGISTERED,
    }
    assert len(mailbox.to("bob@example.org")) == 2  # waiting, then moved up: once
