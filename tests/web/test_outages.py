"""Faults of the services the site stands on, made for real: a PostgreSQL of the test's own
stopped and started again, a Redis stopped. Pages say "unavailable for a moment" (503) in the
reader's language while the database is down, /healthz answers 503 JSON to everyone, the
first request after the restart works, and rate limits fall back to memory without Redis."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.support.postgres_cluster import Cluster, postgres_binaries, postgres_cluster
from tests.support.servers import redis_server, redis_server_binary
from tests.web.conftest import MakeApp
from tests.web.helpers import submit_form
from tests.web.staff_helpers import add_user

PASSWORD = "correct horse battery staple"


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    if postgres_binaries() is None:
        pytest.skip("needs PostgreSQL's server (apt-get install postgresql)")
    with postgres_cluster() as started:
        yield started


def sign_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = submit_form(client, "/accounts/sign-in", {"email": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_a_database_outage_is_a_503_page_and_the_restart_costs_no_request(
    make_app: MakeApp, cluster: Cluster
) -> None:
    app = make_app(database_url=cluster.url)
    add_user(app, "lea@example.org")
    lea = sign_in(app, "lea@example.org")
    visitor = app.test_client()
    assert lea.get("/dashboard").status_code == 200  # a pooled connection, open

    cluster.stop()
    pages = {
        "signed in": lea.get("/dashboard"),
        "visitor": visitor.get("/verify/PRC-0000-0000-0000-0000"),
        "visitor's form": submit_form(
            visitor, "/accounts/sign-in", {"email": "lea@example.org", "password": PASSWORD}
        ),
    }
    # Taken: the job that decides is queued (and in production retried until the database
    # is back); the page says so, as it does for any address.
    reset = submit_form(visitor, "/accounts/reset", {"email": "lea@example.org"})
    health = [lea.get("/healthz"), visitor.get("/healthz")]
    cluster.start()
    after = lea.get("/dashboard")

    for who, response in pages.items():
        assert response.status_code == 503, who
        assert response.mimetype == "text/html", who
    assert "cannot reach its database" in pages["signed in"].get_data(as_text=True)
    assert "Internal Server Error" not in pages["signed in"].get_data(as_text=True)
    for response in health:
        assert response.status_code == 503
        assert response.get_json()["database"] == "error"
    assert after.status_code == 200  # no stale connection left in the pool
    assert reset.status_code == 302


def test_the_outage_page_speaks_french_by_default(make_app: MakeApp, cluster: Cluster) -> None:
    app = make_app(database_url=cluster.url)
    visitor = app.test_client()
    cluster.stop()

    response = visitor.get("/verify/PRC-0000-0000-0000-0000")

    assert response.status_code == 503
    assert "base de données" in response.get_data(as_text=True)


def test_with_redis_down_sign_in_and_verification_still_work(
    make_app: MakeApp, tmp_path: Path
) -> None:
    if redis_server_binary() is None:
        pytest.skip("needs redis-server (apt-get install redis-server)")
    with redis_server(tmp_path) as url:
        app = make_app(redis_url=url)
        add_user(app, "lea@example.org")
        assert sign_in(app, "lea@example.org").get("/dashboard").status_code == 200
    # The server is gone: limits are counted in memory, and nothing fails.
    lea = sign_in(app, "lea@example.org")
    visitor = app.test_client()

    assert lea.get("/dashboard").status_code == 200
    assert visitor.get("/verify/PRC-0000-0000-0000-0000").status_code == 404
    reset = submit_form(visitor, "/accounts/reset", {"email": "lea@example.org"})
    assert reset.status_code == 302
