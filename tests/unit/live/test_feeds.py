"""Calendar feed tokens: made from the site's key and the feed's nonce; a new nonce kills the
old token; anything malformed names no one."""

from __future__ import annotations

import pytest

from lms.live.feeds import feed_token, new_nonce, token_matches, token_user

KEY = "k" * 40


def test_a_token_names_its_user_and_matches_only_its_nonce_and_key() -> None:
    nonce = new_nonce()
    token = feed_token(KEY, 42, nonce)

    assert token_user(token) == 42
    assert token_matches(KEY, token, 42, nonce)
    assert not token_matches(KEY, token, 42, new_nonce())
    assert not token_matches("another key" * 4, token, 42, nonce)
    assert not token_matches(KEY, token, 43, nonce)
    assert token != feed_token(KEY, 42, new_nonce())


@pytest.mark.parametrize(
    "token",
    ["", "42", "42-short", "0-" + "a" * 32, "x-" + "a" * 32, "99999999999-" + "a" * 32,
     "4294967296-" + "a" * 32, "42-" + "a" * 31 + "=", "42-" + "a" * 32 + "\n"],
)  # fmt: skip
def test_a_malformed_token_names_no_one(token: str) -> None:
    assert token_user(token) is None
