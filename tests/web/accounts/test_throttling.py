"""Throttling beyond sign-in's own tests: guessing the current password, Retry-After."""

from __future__ import annotations

from collections.abc import Callable

from flask.testing import FlaskClient

from tests.web.account_helpers import post_form
from tests.web.conftest import MadeUser
from tests.web.helpers import PASSWORD


def test_guessing_the_current_password_is_limited(
    client: FlaskClient, make_user: Callable[..., MadeUser]
) -> None:
    user = make_user()
    post_form(client, "/accounts/sign-in", {"email": user.email, "password": PASSWORD})
    new = "a brand new long passphrase"
    answers = [
        post_form(
            client,
            "/accounts/password",
            {"current_password": f"guess {n}", "new_password": new, "confirm_password": new},
            page="/accounts/profile",
        ).status_code
        for n in range(6)
    ]

    assert answers == [400] * 5 + [429]


def test_a_blocked_sign_in_says_when_to_come_back(client: FlaskClient) -> None:
    for _ in range(5):
        post_form(client, "/accounts/sign-in", {"email": "x@example.org", "password": "wrong one"})

    blocked = post_form(
        client, "/accounts/sign-in", {"email": "x@example.org", "password": "wrong one"}
    )

    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
