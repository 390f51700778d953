"""Two gunicorn servers on one PostgreSQL database, as in production behind a load balancer.

A learner signs in on one and goes on on the other; simultaneous quiz starts and submissions
and simultaneous completions of the last lesson, spread over both, never exceed the attempt
limit nor issue a certificate twice. With Redis, rate limits count across both servers.
Runs with LMS_TEST_DATABASE_URL (PostgreSQL) only: SQLite is one machine's file.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import TypeVar

import pytest
from sqlalchemy import func, select
from sqlalchemy.pool import NullPool

from lms import schema
from lms.certificates.badges import generate_signing_key
from lms.certificates.models import Certificate
from lms.db import create_db_engine, database
from lms.quizzes.models import QuizAttempt
from tests.support.apps import FIXTURE_CONTENT, build_app
from tests.support.databases import Databases, on_postgresql
from tests.support.servers import (
    Client,
    Response,
    Server,
    gunicorn_available,
    gunicorn_servers,
    redis_server,
    redis_server_binary,
)

from .certificate_helpers import add_learner
from .helpers import PASSWORD

pytestmark = [
    pytest.mark.skipif(
        not on_postgresql(),
        reason="needs PostgreSQL: set LMS_TEST_DATABASE_URL (make test-postgres)",
    ),
    pytest.mark.skipif(not gunicorn_available(), reason="gunicorn is not installed"),
]

COURSE = "/courses/partnership-essentials"
QUIZ = f"{COURSE}/final.quiz"
MAX_ATTEMPTS = 3
"""The minimal content's final quiz allows three attempts."""
RIGHT = {"answer-when-to-involve": "0", "answer-lived-experience": "true"}
WRONG = {"answer-when-to-involve": "1", "answer-lived-experience": "false"}
AT_ONCE = 8
"""Simultaneous requests of each race, half to each server."""
SIGN_IN_PER_IP = 20
"""``lms.accounts.views.SIGN_IN_PER_IP``: sign-in posts per minute from one address."""
T = TypeVar("T")


@pytest.fixture
def servers(databases: Databases, tmp_path: Path) -> Iterator[list[Server]]:
    """Two servers (two workers each) on one fresh database migrated by Alembic, with one
    Redis of their own when redis-server is installed."""
    url = databases.url("servers")
    schema.upgrade(url, "head")
    key = tmp_path / "badge-signing-key.pem"
    generate_signing_key(key, key_size=2048)
    environ = {
        "LMS_ENV": "production",
        "LMS_SECRET_KEY": "several-servers-test-secret-" + "x" * 32,
        "LMS_SIGNING_KEY_FILE": str(key),
        "LMS_DATABASE_URL": url,
        "LMS_CONTENT_DIR": str(FIXTURE_CONTENT),
        "LMS_WORKERS": "2",
    }
    with ExitStack() as stack:
        if redis_server_binary():
            environ["LMS_REDIS_URL"] = stack.enter_context(redis_server(tmp_path))
        yield stack.enter_context(gunicorn_servers(2, environ, tmp_path))


def at_once(*requests: Callable[[], T]) -> list[T]:
    """Run ``requests`` in threads released together by a barrier."""
    barrier = threading.Barrier(len(requests))

    def run(request: Callable[[], T]) -> T:
        barrier.wait(timeout=30)
        return request()

    with ThreadPoolExecutor(len(requests)) as pool:
        futures = [pool.submit(run, request) for request in requests]
        return [future.result(timeout=120) for future in futures]


def spread(
    servers: list[Server], request: Callable[[str], Response], count: int = AT_ONCE
) -> list[Response]:
    """``request`` sent ``count`` times at once, alternately to each server."""
    bases = [servers[n % len(servers)].url for n in range(count)]
    return at_once(*(lambda base=base: request(base) for base in bases))


def counted(url: str) -> tuple[list[tuple[int, bool]], int]:
    """The attempts (number, graded) and the number of certificates in the database."""
    engine = create_db_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            attempts = connection.execute(
                select(QuizAttempt.number, QuizAttempt.submitted_at.is_not(None)).order_by(
                    QuizAttempt.number
                )
            ).all()
            certificates = connection.scalar(select(func.count()).select_from(Certificate))
    finally:
        engine.dispose()
    return [(number, bool(graded)) for number, graded in attempts], int(certificates or 0)


def test_a_learner_moves_between_servers_and_races_across_them_hold(
    servers: list[Server], databases: Databases
) -> None:
    url = databases.url("servers")
    helper = build_app(url, with_schema=False)
    try:
        add_learner(helper, "lea@example.org")
    finally:
        database(helper).engine.dispose()
    one, two = (server.url for server in servers)
    learner = Client()

    # Signed in on one server, signed in on the other: the session is the cookie alone.
    token = learner.csrf_token(one, "/accounts/sign-in")
    signed_in = learner.post(
        one,
        "/accounts/sign-in",
        {"email": "lea@example.org", "password": PASSWORD, "csrf_token": token},
    )
    assert signed_in.status == 302, signed_in.body[:500]
    assert learner.get(two, "/accounts/profile").status == 200
    token = learner.csrf_token(two, f"{COURSE}/welcome")
    assert learner.post(two, f"{COURSE}/welcome/complete", {"csrf_token": token}).status == 302

    # Each attempt: started from both servers at once (one row), then submitted from both
    # at once (graded once); wrong twice, then right.
    for number in range(1, MAX_ATTEMPTS + 1):
        starts = spread(
            servers, lambda base: learner.post(base, f"{QUIZ}/attempts", {"csrf_token": token})
        )
        assert {r.status for r in starts} == {303}, [r.status for r in starts]
        assert {r.headers["Location"] for r in starts} == {f"{QUIZ}/attempts/{number}"}
        answers = RIGHT if number == MAX_ATTEMPTS else WRONG
        form = {**answers, "action": "grade", "csrf_token": token}
        path = f"{QUIZ}/attempts/{number}"
        submits = spread(servers, lambda base, path=path, form=form: learner.post(base, path, form))
        assert all(r.status < 500 for r in submits), [r.status for r in submits]
        attempts, _ = counted(url)
        assert attempts == [(n, True) for n in range(1, number + 1)]

    refused = spread(
        servers, lambda base: learner.post(base, f"{QUIZ}/attempts", {"csrf_token": token})
    )
    assert {r.status for r in refused} == {409}, [r.status for r in refused]
    attempts, certificates = counted(url)
    assert len(attempts) == MAX_ATTEMPTS
    assert certificates == 0  # "first-steps" is still to do

    # The last lesson, completed from both servers at once: one certificate.
    done = spread(
        servers,
        lambda base: learner.post(base, f"{COURSE}/first-steps/complete", {"csrf_token": token}),
    )
    assert {r.status for r in done} == {302}, [r.status for r in done]
    _, certificates = counted(url)
    assert certificates == 1
    page = learner.get(one, "/certificates")
    assert page.status == 200
    assert "PRC-" in page.body


def test_rate_limits_are_counted_across_servers_in_redis(servers: list[Server]) -> None:
    if not redis_server_binary():
        missing = "redis-server is not installed (apt-get install redis-server)"
        if os.environ.get("CI"):
            pytest.fail(f"cannot run in CI: {missing}")
        pytest.skip(missing)
    visitor = Client()
    tokens = {server.url: visitor.csrf_token(server.url, "/accounts/sign-in") for server in servers}

    def sign_in(number: int) -> int:
        base = servers[number % len(servers)].url
        form = {"email": f"nobody{number}@example.org", "password": "wrong password"}
        response = visitor.post(base, "/accounts/sign-in", {**form, "csrf_token": tokens[base]})
        return response.status

    # Alternately on each server: counted in one place, the limit falls after 20 in all,
    # where each server counting its own would allow 20 on each.
    statuses = [sign_in(number) for number in range(SIGN_IN_PER_IP + 4)]
    assert 429 not in statuses[:SIGN_IN_PER_IP], statuses
    assert statuses[SIGN_IN_PER_IP:] == [429] * 4, statuses
