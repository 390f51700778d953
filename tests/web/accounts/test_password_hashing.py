"""Each app hashes passwords at its environment's cost: production's, or the cheapest in tests;
signing in makes a new hash only when the parameters changed since the stored one was made."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher, extract_parameters, profiles
from flask import Flask

from lms.accounts import hashing
from lms.accounts import services as accounts
from lms.accounts.models import User
from lms.certificates.badges import generate_signing_key
from lms.db import get_session
from tests.web.conftest import MadeUser, MakeApp
from tests.web.helpers import CSRF_INPUT, PASSWORD, submit_form

SECURE = "https://parcours.example.org"
"""Production cookies are Secure: the test client sends them over https only."""


@pytest.fixture(autouse=True)
def _testing_parameters_afterwards() -> Iterator[None]:
    """A production app switches the process to production's parameters: switch back."""
    yield
    hashing.use(hashing.TESTING)


@pytest.fixture(scope="module")
def signing_key(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Production refuses to start without one."""
    key = tmp_path_factory.mktemp("keys") / "signing-key.pem"
    generate_signing_key(key, key_size=2048)
    return key


@pytest.fixture
def production_app(make_app: MakeApp, signing_key: Path) -> Flask:
    return make_app(env="production", secret_key="a-real-secret-" * 3, signing_key_file=signing_key)


def stored_hash(app: Flask, email: str) -> str:
    with app.app_context():
        user = accounts.find_user_by_email(get_session(), email)
        assert user is not None
        assert user.password_hash is not None
        return user.password_hash


def cost_of(password_hash: str) -> tuple[int, int, int]:
    """Memory (KiB), passes and lanes, as the hash's prefix states them."""
    found = re.match(r"\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$", password_hash)
    assert found, password_hash
    memory, passes, lanes = found.groups()
    return int(memory), int(passes), int(lanes)


def add_user_with_hash(app: Flask, email: str, password_hash: str) -> None:
    with app.app_context():
        session = get_session()
        session.add(User(email=email, password_hash=password_hash))
        session.commit()


def sign_in_over_https(app: Flask, email: str) -> int:
    """Sign in through the form, as a browser does over https (where production's cookies
    and Flask-WTF's Referer check apply); the answer's status."""
    client = app.test_client()
    page = client.get("/accounts/sign-in", base_url=SECURE).get_data(as_text=True)
    token = CSRF_INPUT.search(page)
    assert token
    response = client.post(
        "/accounts/sign-in",
        data={"email": email, "password": PASSWORD, "csrf_token": token[1]},
        base_url=SECURE,
        headers={"Referer": f"{SECURE}/accounts/sign-in"},
    )
    return response.status_code


def test_a_production_app_hashes_with_argon2_cffis_default_parameters(
    production_app: Flask,
) -> None:
    with production_app.app_context():
        session = get_session()
        accounts.create_user(session, "ada@example.org", PASSWORD)
        session.commit()

    made = stored_hash(production_app, "ada@example.org")
    assert cost_of(made) == (65536, 3, 4)
    assert extract_parameters(made) == profiles.RFC_9106_LOW_MEMORY
    assert PasswordHasher().verify(made, PASSWORD)
    assert not PasswordHasher().check_needs_rehash(made)


def test_a_testing_app_hashes_at_the_cheapest_cost(
    app: Flask, make_user: Callable[..., MadeUser]
) -> None:
    with app.app_context():
        session = get_session()
        accounts.create_user(session, "ada@example.org", "another long passphrase")
        session.commit()
    made = stored_hash(app, "ada@example.org")

    assert cost_of(made) == (8, 1, 1)
    assert extract_parameters(made) == hashing.TESTING
    assert PasswordHasher().verify(made, "another long passphrase")
    # make_user's users have such a hash too, of PASSWORD.
    user = make_user()
    assert cost_of(stored_hash(app, user.email)) == (8, 1, 1)
    assert PasswordHasher().verify(stored_hash(app, user.email), PASSWORD)


def test_production_upgrades_an_older_hash_when_its_owner_signs_in(
    production_app: Flask,
) -> None:
    older = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1).hash(PASSWORD)
    add_user_with_hash(production_app, "ada@example.org", older)

    assert sign_in_over_https(production_app, "ada@example.org") == 302

    upgraded = stored_hash(production_app, "ada@example.org")
    assert upgraded != older
    assert extract_parameters(upgraded) == profiles.RFC_9106_LOW_MEMORY
    # The new hash is of the same password, and signing in again keeps it: it is already at
    # production's parameters.
    assert sign_in_over_https(production_app, "ada@example.org") == 302
    assert stored_hash(production_app, "ada@example.org") == upgraded


def test_a_testing_app_keeps_its_cheap_hashes_when_their_owners_sign_in(
    app: Flask, make_user: Callable[..., MadeUser]
) -> None:
    user = make_user()
    before = stored_hash(app, user.email)

    response = submit_form(
        app.test_client(), "/accounts/sign-in", {"email": user.email, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert stored_hash(app, user.email) == before
