"""Rate limits on sign-in, sign-up and mails, which strangers cannot turn against an owner.

Failed sign-ins get a 429 page, per address and per network address, except from a browser
where the address's owner signed in before or set a password from a mailed link. Sign-ups
and reset requests naming an address all get the same answer: what is limited is the mails
that address is sent.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from lms.accounts.known_browsers import COOKIE
from tests.support.smtp import Mailbox, links_in, path_of
from tests.web.account_helpers import post_form, sign_up
from tests.web.conftest import MadeUser, MakeApp
from tests.web.helpers import CSRF_INPUT, PASSWORD


@pytest.fixture
def app(mail_app: Flask) -> Flask:
    return mail_app


def sign_in(client: FlaskClient, email: str, password: str, ip: str = "192.0.2.1") -> TestResponse:
    page = client.get("/accounts/sign-in").get_data(as_text=True)
    token = CSRF_INPUT.search(page)
    assert token
    return client.post(
        "/accounts/sign-in",
        data={"email": email, "password": password, "csrf_token": token[1]},
        environ_base={"REMOTE_ADDR": ip},
    )


def test_five_failed_sign_ins_for_one_address_block_the_sixth(
    client: FlaskClient, make_user: Callable[..., MadeUser]
) -> None:
    user = make_user()
    for attempt in range(5):
        assert sign_in(client, user.email, "wrong", ip=f"192.0.2.{attempt}").status_code == 400

    # From another network address, and with the right password: the address is blocked.
    blocked = sign_in(client, user.email.upper(), user.password, ip="198.51.100.7")
    assert blocked.status_code == 429
    assert "Retry-After" in blocked.headers
    # Other addresses are not.
    assert sign_in(client, "someone.else@example.org", "wrong").status_code == 400


def test_an_unknown_address_is_limited_the_same_way(client: FlaskClient) -> None:
    for _ in range(5):
        assert sign_in(client, "nobody@example.org", "wrong").status_code == 400
    assert sign_in(client, "nobody@example.org", "wrong").status_code == 429


def test_successful_sign_ins_do_not_count_towards_the_address_limit(
    app: Flask, make_user: Callable[..., MadeUser]
) -> None:
    user = make_user()
    for _ in range(7):
        assert sign_in(app.test_client(), user.email, user.password).status_code == 302


def test_one_network_address_is_limited_across_email_addresses(client: FlaskClient) -> None:
    for number in range(20):
        response = sign_in(client, f"guess{number}@example.org", "wrong", ip="203.0.113.9")
        assert response.status_code == 400
    assert sign_in(client, "guess99@example.org", "wrong", ip="203.0.113.9").status_code == 429
    assert sign_in(client, "guess99@example.org", "wrong", ip="203.0.113.10").status_code == 400


def _sign_ins_through_a_proxy(client: FlaskClient, forwarded_for: Callable[[int], str]) -> int:
    """Status of the 21st sign-in from the proxy's address, each naming its client."""
    for number in range(21):
        page = client.get("/accounts/sign-in").get_data(as_text=True)
        token = CSRF_INPUT.search(page)
        assert token
        response = client.post(
            "/accounts/sign-in",
            data={"email": f"guess{number}@example.org", "password": "x", "csrf_token": token[1]},
            environ_base={"REMOTE_ADDR": "10.0.0.2"},
            headers={"X-Forwarded-For": f"{forwarded_for(number)}, 10.0.0.1"},
        )
    return response.status_code


def test_behind_trusted_proxies_each_client_is_limited_apart(make_app: MakeApp) -> None:
    # Two proxies: the client's address is the one the first proxy appended; what the
    # client itself wrote before it (the same "203.0.113.1" every time) is not believed.
    app = make_app(trusted_proxies=2)
    assert (
        _sign_ins_through_a_proxy(app.test_client(), lambda n: f"203.0.113.1, 192.0.2.{n}") == 400
    )
    assert _sign_ins_through_a_proxy(app.test_client(), lambda n: "192.0.2.200") == 429


def test_without_trusted_proxies_forwarded_addresses_are_ignored(make_app: MakeApp) -> None:
    # Otherwise a client could escape the limit by writing a new address each time.
    app = make_app()
    assert _sign_ins_through_a_proxy(app.test_client(), lambda n: f"192.0.2.{n}") == 429


def test_the_429_page_is_in_french_and_in_english(client: FlaskClient) -> None:
    for _ in range(5):
        sign_in(client, "nobody@example.org", "wrong")

    french = sign_in(client, "nobody@example.org", "wrong")
    assert french.status_code == 429
    assert '<html lang="fr">' in french.get_data(as_text=True)

    client.set_cookie("lang", "en")
    english = sign_in(client, "nobody@example.org", "wrong")
    assert english.status_code == 429
    page = english.get_data(as_text=True)
    assert '<html lang="en">' in page
    assert "<h1>Too many attempts</h1>" in page
    assert "Wait a few minutes" in page


def test_sign_ups_naming_one_address_mail_it_three_times_and_answer_alike(
    client: FlaskClient, make_user: Callable[..., MadeUser], mailbox: Mailbox
) -> None:
    make_user(email="taken@example.org")
    answers = [sign_up(client, "taken@example.org") for _ in range(5)]

    assert {(answer.status_code, answer.location) for answer in answers} == {
        (302, "/accounts/sign-up/check-email")
    }
    # The owner got one note per mail the address may be sent, no more.
    assert len(mailbox.to("taken@example.org")) == 3


def test_a_strangers_reset_requests_never_refuse_the_owner(
    client: FlaskClient, make_user: Callable[..., MadeUser], mailbox: Mailbox
) -> None:
    user = make_user()
    strangers = [post_form(client, "/accounts/reset", {"email": user.email}) for _ in range(4)]
    owner = post_form(user_client := client, "/accounts/reset", {"email": user.email})

    assert {answer.location for answer in [*strangers, owner]} == {"/accounts/reset/sent"}
    mails = mailbox.to(user.email)
    assert len(mails) == 3
    # What was sent is in the owner's mailbox, and its links work: the owner is not stuck.
    (link,) = [found for found in links_in(mails[-1]) if "/accounts/reset/" in found]
    assert user_client.get(path_of(link)).status_code == 200


def test_reset_requests_for_unknown_addresses_count_no_mail(
    client: FlaskClient, make_user: Callable[..., MadeUser], mailbox: Mailbox
) -> None:
    for number in range(5):
        post_form(client, "/accounts/reset", {"email": f"nobody{number}@example.org"})
    user = make_user()

    post_form(client, "/accounts/reset", {"email": user.email})

    assert len(mailbox.to(user.email)) == 1
    assert mailbox.messages == mailbox.to(user.email)


def test_the_owners_browser_signs_in_while_strangers_are_refused(
    app: Flask, make_user: Callable[..., MadeUser]
) -> None:
    user = make_user()
    owners = app.test_client()
    assert sign_in(owners, user.email, user.password).status_code == 302
    owners.post("/accounts/sign-out", data={"csrf_token": _token(owners, "/accounts/profile")})
    stranger = app.test_client()
    for attempt in range(6):
        sign_in(stranger, user.email, "wrong", ip=f"192.0.2.{attempt}")
    for _ in range(25):  # more than the network address's share, too
        sign_in(stranger, user.email, "wrong", ip="192.0.2.99")

    assert sign_in(stranger, user.email, user.password).status_code == 429
    assert sign_in(owners, user.email, "wrong", ip="192.0.2.99").status_code == 400
    assert sign_in(owners, user.email, user.password, ip="192.0.2.99").status_code == 302


def test_a_reset_link_makes_its_browser_the_owners(
    app: Flask, make_user: Callable[..., MadeUser], mailbox: Mailbox
) -> None:
    user = make_user()
    for attempt in range(6):
        sign_in(app.test_client(), user.email, "wrong", ip=f"192.0.2.{attempt}")
    fresh = app.test_client()
    assert sign_in(fresh, user.email, user.password).status_code == 429

    post_form(fresh, "/accounts/reset", {"email": user.email})
    (link,) = [found for found in links_in(mailbox.to(user.email)[-1]) if "/reset/" in found]
    new_password = "a brand new passphrase for Ada"
    assert (
        post_form(
            fresh, path_of(link), {"password": new_password, "confirm_password": new_password}
        ).status_code
        == 302
    )
    fresh.post("/accounts/sign-out", data={"csrf_token": _token(fresh, "/accounts/profile")})

    assert sign_in(fresh, user.email, new_password).status_code == 302


def test_a_made_up_known_browser_cookie_counts_for_nothing(
    app: Flask, make_user: Callable[..., MadeUser]
) -> None:
    user = make_user()
    stranger = app.test_client()
    stranger.set_cookie(COOKIE, "WyJhYmMiXQ.forged")
    for attempt in range(5):
        sign_in(stranger, user.email, "wrong", ip=f"192.0.2.{attempt}")

    assert sign_in(stranger, user.email, user.password).status_code == 429


def _token(client: FlaskClient, page: str) -> str:
    found = CSRF_INPUT.search(client.get(page).get_data(as_text=True))
    assert found
    return found[1]


def test_resending_the_confirmation_is_limited(client: FlaskClient, mailbox: Mailbox) -> None:
    sign_up(client)
    post_form(client, "/accounts/sign-in", {"email": "ada@example.org", "password": PASSWORD})
    for _ in range(3):
        response = post_form(client, "/accounts/confirm/resend", {}, page="/accounts/profile")
        assert response.status_code == 302
    response = post_form(client, "/accounts/confirm/resend", {}, page="/accounts/profile")
    assert response.status_code == 429
    assert len(mailbox.to("ada@example.org")) == 4


def test_get_requests_are_not_limited(client: FlaskClient) -> None:
    for _ in range(30):
        assert client.get("/accounts/sign-in").status_code == 200
