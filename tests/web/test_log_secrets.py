"""Nothing secret reaches a log: gunicorn as shipped (gunicorn.conf.py, production settings)
serves a password-reset link, an invitation link and a staff search for an address, and its
whole output holds neither the tokens nor the address, while it does log each request."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from lms import schema
from lms.accounts.categories import Role
from lms.accounts.models import User
from lms.accounts.tokens import Purpose, account_token
from lms.certificates.badges import generate_signing_key
from lms.db import database, get_session
from tests.support.apps import FIXTURE_CONTENT, build_app
from tests.support.databases import Databases
from tests.support.servers import Client, Server, gunicorn_available, gunicorn_servers
from tests.web.helpers import PASSWORD, stored_hash

pytestmark = pytest.mark.skipif(not gunicorn_available(), reason="gunicorn is not installed")

SECRET = "log-secrets-test-secret-" + "y" * 40
SEARCHED = "t0.searched@example.org"


@pytest.fixture
def server(databases: Databases, tmp_path: Path) -> Iterator[tuple[Server, dict[str, str]]]:
    url = databases.url("logs")
    schema.upgrade(url, "head")
    app = build_app(url, with_schema=False, secret_key=SECRET)
    tokens = {}
    with app.app_context():
        session = get_session()
        for email, role, password in (
            ("sam@example.org", Role.STAFF, stored_hash()),
            (SEARCHED, Role.LEARNER, stored_hash()),
            ("invited@example.org", Role.LEARNER, None),
        ):
            session.add(User(email=email, role=role, password_hash=password, language="en"))
        session.commit()
        users = {u.email: u for u in session.query(User)}
        tokens["reset"] = account_token(SECRET, Purpose.RESET_PASSWORD, users[SEARCHED])
        tokens["invitation"] = account_token(
            SECRET, Purpose.ACCEPT_INVITATION, users["invited@example.org"]
        )
    database(app).engine.dispose()
    key = tmp_path / "badge-signing-key.pem"
    generate_signing_key(key, key_size=2048)
    environ = {
        "LMS_ENV": "production",
        "LMS_SECRET_KEY": SECRET,
        "LMS_SIGNING_KEY_FILE": str(key),
        "LMS_DATABASE_URL": url,
        "LMS_CONTENT_DIR": str(FIXTURE_CONTENT),
        "LMS_WORKERS": "1",
        # Staff pages' second factor has its own tests; this one is about the log.
        "LMS_REQUIRE_2FA_FOR_STAFF": "false",
    }
    with gunicorn_servers(1, environ, tmp_path) as (started,):
        yield started, tokens


def test_gunicorn_as_shipped_logs_no_token_and_no_address(
    server: tuple[Server, dict[str, str]],
) -> None:
    started, tokens = server
    visitor, staff = Client(), Client()
    reset = visitor.get(started.url, f"/accounts/reset/{tokens['reset']}")
    invitation = visitor.get(started.url, f"/invitation/{tokens['invitation']}")
    token = staff.csrf_token(started.url, "/accounts/sign-in")
    signed_in = staff.post(
        started.url,
        "/accounts/sign-in",
        {"email": "sam@example.org", "password": PASSWORD, "csrf_token": token},
    )
    search = staff.get(started.url, f"/staff/learners/?q={SEARCHED.replace('@', '%40')}")

    assert (reset.status, invitation.status, signed_in.status, search.status) == (
        200,
        200,
        302,
        200,
    )
    assert SEARCHED in search.body  # the search found them: the address was in the request
    output = started.log.read_text(errors="replace")
    assert "/staff/learners/" in output  # each request is logged...
    assert "/accounts/reset/<token>" in output  # ...a link as its route
    for secret in (tokens["reset"], tokens["invitation"], SEARCHED, "t0.searched%40example.org"):
        assert secret not in output
    assert "sam@example.org" not in output
