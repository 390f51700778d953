"""gunicorn as shipped loads the app and the catalogue once, in its master, for its workers.

Workers forked from the master serve the catalogue it read, even with the course files gone;
each opens database connections of its own, never one the master made; with content reload
on, each watches the files itself; a HUP gives new workers the files as they are now.
"""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.pool import NullPool

from lms.certificates.badges import generate_signing_key
from lms.db import create_db_engine, database
from tests.support.apps import FIXTURE_CONTENT, build_app
from tests.support.databases import Databases, on_postgresql
from tests.support.servers import (
    READY_SECONDS,
    Client,
    Response,
    Server,
    gunicorn_available,
    gunicorn_servers,
    worker_pids,
)

from .certificate_helpers import add_learner
from .helpers import PASSWORD

pytestmark = pytest.mark.skipif(not gunicorn_available(), reason="gunicorn is not installed")

WORKERS = 2
COURSE = "/courses/partnership-essentials"
TITLE = "Patient partnership essentials"
EDITED = "Patient partnership, the essentials"
LEARNERS = 4
ROUNDS = 5


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    return root


@pytest.fixture
def environ(databases: Databases, tmp_path: Path, content: Path) -> dict[str, str]:
    """Production settings on a fresh database, the content and instance folders the test's."""
    key = tmp_path / "badge-signing-key.pem"
    generate_signing_key(key, key_size=2048)
    return {
        "LMS_ENV": "production",
        "LMS_SECRET_KEY": "preload-test-secret-" + "x" * 32,
        "LMS_SIGNING_KEY_FILE": str(key),
        "LMS_DATABASE_URL": databases.url("preload", with_schema=True),
        "LMS_CONTENT_DIR": str(content),
        "LMS_INSTANCE_DIR": str(tmp_path / "instance"),
        "LMS_WORKERS": str(WORKERS),
    }


def poll(condition: Callable[[], bool], what: str) -> None:
    """Wait until ``condition`` holds: bounded, so that a server that never gets there fails."""
    deadline = time.monotonic() + READY_SECONDS
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.05)


def replace_workers(server: Server) -> None:
    """Kill every worker; return once the master has forked as many new ones."""
    poll(lambda: len(worker_pids(server)) == WORKERS, "the master did not start its workers")
    old = worker_pids(server)
    for pid in old:
        os.kill(pid, signal.SIGKILL)
    poll(
        lambda: len(new := worker_pids(server)) == WORKERS and not set(new) & set(old),
        "the master did not replace its workers",
    )


def shows(server: Server, text: str) -> bool:
    """Whether ten requests in a row, each on a new connection to any worker, show ``text``."""
    return all(text in Client().get(server.url, COURSE).body for _ in range(10))


def test_workers_serve_the_catalogue_the_master_loaded(
    environ: dict[str, str], tmp_path: Path, content: Path
) -> None:
    with gunicorn_servers(1, environ, tmp_path) as (server,):
        # Workers that read the files themselves would find no course now: neither the
        # course files nor the instance folder's kept copies of them are left.
        shutil.rmtree(content)
        shutil.rmtree(environ["LMS_INSTANCE_DIR"])
        replace_workers(server)
        for _ in range(10):
            page = Client().get(server.url, COURSE)
            assert page.status == 200, server.output()
            assert TITLE in page.body


def test_reloaded_content_reaches_every_worker(
    environ: dict[str, str], tmp_path: Path, content: Path
) -> None:
    environ["LMS_CONTENT_RELOAD"] = "true"
    course_file = content / "courses" / "partnership-essentials" / "course.yaml"
    with gunicorn_servers(1, environ, tmp_path) as (server,):
        assert shows(server, TITLE)
        course_file.write_text(course_file.read_text(encoding="utf-8").replace(TITLE, EDITED))
        # Each worker watches the files from its own process: the edit reaches all of them.
        poll(lambda: shows(server, EDITED), "a worker still serves the course as it was")


def test_a_hup_gives_new_workers_the_content_as_it_is_now(
    environ: dict[str, str], tmp_path: Path, content: Path
) -> None:
    course_file = content / "courses" / "partnership-essentials" / "course.yaml"
    with gunicorn_servers(1, environ, tmp_path) as (server,):
        course_file.write_text(course_file.read_text(encoding="utf-8").replace(TITLE, EDITED))
        assert shows(server, TITLE)  # reload off: read at start only
        server.process.send_signal(signal.SIGHUP)
        poll(lambda: shows(server, EDITED), "new workers still serve the course as it was")


@pytest.mark.skipif(
    not on_postgresql(), reason="needs PostgreSQL: set LMS_TEST_DATABASE_URL (make test-postgres)"
)
def test_each_worker_has_database_connections_of_its_own(
    environ: dict[str, str], tmp_path: Path
) -> None:
    emails = [f"learner{n}@example.org" for n in range(LEARNERS)]
    helper = build_app(environ["LMS_DATABASE_URL"], with_schema=False)
    for email in emails:
        add_learner(helper, email)
    # Closed before the server starts, so that every session counted below is the server's.
    database(helper).engine.dispose()
    # The app this server loads used the database as it loaded: its master holds a connection.
    app = "tests.support.preloaded_wsgi:app"
    with gunicorn_servers(1, environ, tmp_path, app=app) as (server,):
        learners = {email: Client() for email in emails}
        for email, client in learners.items():
            token = client.csrf_token(server.url, "/accounts/sign-in")
            form = {"email": email, "password": PASSWORD, "csrf_token": token}
            assert client.post(server.url, "/accounts/sign-in", form).status == 302

        def profile(email: str) -> Callable[[], Response]:
            return lambda: learners[email].get(server.url, "/accounts/profile")

        # Every learner at once, on both workers: each gets their own page, read on a
        # connection no other process uses.
        for _round in range(ROUNDS):
            pages = at_once(*(profile(email) for email in emails))
            for email, page in zip(emails, pages, strict=True):
                assert page.status == 200, server.output()
                assert email in page.body
                assert all(other not in page.body for other in emails if other != email)
        # The master's connection, and at least one more for each worker.
        assert _connections(environ["LMS_DATABASE_URL"]) >= 1 + WORKERS, server.output()


def at_once(*requests: Callable[[], Response]) -> list[Response]:
    """Run ``requests`` in threads released together by a barrier; their responses in order."""
    barrier = threading.Barrier(len(requests))

    def run(request: Callable[[], Response]) -> Response:
        barrier.wait(timeout=30)
        return request()

    with ThreadPoolExecutor(len(requests)) as pool:
        futures = [pool.submit(run, request) for request in requests]
        return [future.result(timeout=120) for future in futures]


def _connections(url: str) -> int:
    """Sessions open on the database, this one left out."""
    engine = create_db_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            count = connection.scalar(
                select(func.count())
                .select_from(text("pg_stat_activity"))
                .where(text("datname = current_database() AND pid <> pg_backend_pid()"))
            )
    finally:
        engine.dispose()
    return int(count or 0)


def test_the_master_warms_up_without_a_trace(environ: dict[str, str], tmp_path: Path) -> None:
    # The master serves public pages to itself before it forks (lms.preload): requests
    # nobody made, which must leave no line in the access log.
    environ["LMS_LOG_LEVEL"] = "info"
    with gunicorn_servers(1, environ, tmp_path) as (server,):
        assert Client().get(server.url, "/accounts/sign-up").status == 200
        poll(lambda: "GET /accounts/sign-up 200" in server.output(), "the request was not logged")
        assert server.output().count("GET /accounts/sign-up") == 1, server.output()
