"""HTTP figures: the app under gunicorn on loopback, loaded by wrk, on SQLite and PostgreSQL.

For each engine: a database with bench/web.py's learners and a 10,000-member cohort
(bench/staff.py), served by gunicorn with ``gunicorn.conf.py`` in production mode. A lesson
page and the floor (``bench/wsgi_app.py``: the same bytes from a bare endpoint of the same
app, same server) under wrk, in alternating rounds so that both see the same machine; quiz
submissions and sign-ins by several learners at once; the staff dashboard, the CSV export and a
certificate PDF timed one at a time; one learner's quiz round trip (bench/round_trip.py); the
memory of the master and its workers after the learners' pages (bench/memory.py).
PostgreSQL is measured when LMS_TEST_DATABASE_URL names a server (`make bench` starts one).
"""

from __future__ import annotations

import logging
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import Flask
from sqlalchemy import select

from bench import memory, round_trip, staff
from bench.web import (
    LEARNER,
    PASSWORD,
    _populate,
    _right_answers,
    _snapshot,
    _undo_pass,
    add_ready_learner,
    production_hash,
)
from lms.accounts.models import User
from lms.catalog import current_catalog
from lms.certificates import issuing
from lms.certificates.badges import generate_signing_key
from lms.content import Course, ItemKind
from lms.db import database, get_session
from tests.support.apps import PROJECT, build_app
from tests.support.databases import create_schema, postgres_server
from tests.support.servers import Client, Response, gunicorn_servers

MEASURED = "por-101"
WORKERS = 4
"""gunicorn workers: as many as the php-fpm pool of the Moodle reference figures (bench/run.py)."""
WRK_SECONDS = 5
WRK_CONNECTIONS = 8
LESSON_ROUNDS = 3
"""Lesson then floor, this many times: rates on a shared machine drift between runs."""
SUBMITTERS = 8
"""Learners submitting their quiz at the same instant, each on its own connection."""
SUBMIT_ROUNDS = 10
STAFF_ROUNDS = 5
PDF_ROUNDS = 20


def wrk(url: str, path: str, client: Client) -> float:
    """Requests per second that wrk gets from ``path``, with ``client``'s cookies."""
    binary = shutil.which("wrk")
    assert binary, "wrk not found (apt-get install wrk)"
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    command = [binary, "-t2", f"-c{WRK_CONNECTIONS}", f"-d{WRK_SECONDS}s"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(
        [*command, url + path], capture_output=True, text=True, check=True
    ).stdout
    assert "Non-2xx" not in output, output
    found = re.search(r"Requests/sec:\s+([\d.]+)", output)
    assert found, output
    return float(found.group(1))


def p50_ms(request: Callable[[], int], rounds: int, status: int = 200) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        got = request()
        times.append((time.perf_counter() - start) * 1000)
        assert got == status, got
    return statistics.median(times)


def sign_in(client: Client, url: str, email: str) -> None:
    token = client.csrf_token(url, "/accounts/sign-in")
    form = {"email": email, "password": PASSWORD, "csrf_token": token}
    response = client.post(url, "/accounts/sign-in", form)
    assert response.status == 302, (email, response.status, response.body[:300])


def prepare(database_url: str) -> tuple[Flask, int, str]:
    """The populated database; a helper app on it, the cohort's id and a certificate code."""
    create_schema(database_url)
    app = build_app(database_url, with_schema=False, content_dir=PROJECT)
    # The certificate's mail is written to the log (no SMTP server): keep it off the table.
    logging.disable(logging.INFO)
    with app.app_context():
        measured = current_catalog().courses[MEASURED]
    _populate(app, measured)
    _add_submitters(app, measured)
    cohort_id = staff.populate(app, PASSWORD)
    with app.app_context():
        session = get_session()
        learner = session.scalars(select(User).where(User.email == LEARNER)).one()
        learner.certificate_name = "Léa Tremblay"
        issued = issuing.issue_due_certificates(session, learner, current_catalog())
        session.commit()
        code = issued[0].code
    return app, cohort_id, code


def _submitter(number: int) -> str:
    return f"submitter{number}@example.org"


def _add_submitters(app: Flask, course: Course) -> None:
    """``SUBMITTERS`` learners who did every lesson of ``course`` and have its quiz to pass."""
    password_hash = production_hash(PASSWORD)
    with app.app_context():
        session = get_session()
        for number in range(SUBMITTERS):
            add_ready_learner(session, _submitter(number), password_hash, course)
        session.commit()


def measure(database_url: str, scratch: Path) -> dict[str, float]:
    app, cohort_id, code = prepare(database_url)
    key = scratch / "signing-key.pem"
    generate_signing_key(key, key_size=2048)
    floor_file = scratch / "floor.html"
    environ = {
        "LMS_ENV": "production",
        "LMS_SECRET_KEY": "bench-" * 8,
        "LMS_SIGNING_KEY_FILE": str(key),
        "LMS_DATABASE_URL": database_url,
        "LMS_CONTENT_DIR": str(PROJECT),
        "LMS_BENCH_FLOOR_FILE": str(floor_file),
        "LMS_LOG_LEVEL": "warning",
        "LMS_WORKERS": str(WORKERS),
        # The staff pages timed here are behind a password alone: a second factor would need
        # an authenticator's codes, and it changes nothing to what the pages cost.
        "LMS_REQUIRE_2FA_FOR_STAFF": "false",
    }
    figures: dict[str, float] = {}
    catalog = _catalog(app)
    measured = catalog.courses[MEASURED]
    lesson = next(i.key for i in measured.items() if i.kind is ItemKind.LESSON)
    lesson_path = f"/courses/{MEASURED}/{lesson}"
    with gunicorn_servers(1, environ, scratch, app="bench.wsgi_app:app") as (server,):
        url = server.url
        # Before any page but the one that said the server was ready: what a worker costs
        # as forked, before its requests copy the shared pages they write to.
        figures["worker_pss_fresh_mb"] = memory.forked_memory(server, WORKERS).freshest_pss_mb()
        learner = Client()
        sign_in(learner, url, LEARNER)
        page = learner.get(url, lesson_path)
        assert page.status == 200
        floor_file.write_bytes(page.body.encode())
        # wrk sends no Accept-Language: the floor is the page in the same language.
        figures.update(lesson_and_floor(url, lesson_path, learner))
        figures["course_view_rps"] = wrk(url, f"/courses/{MEASURED}", learner)
        figures.update(round_trip.round_trips(app, url, learner, measured))
        figures["verify_rps"] = wrk(url, f"/verify/{code}", Client())
        # Memory after the learners' pages, the load of the reference figures (bench/run.py);
        # the staff pages below read 10,000 members at once, which leaves its worker larger.
        learners_load = memory.server_memory(server)
        print(f"after the learners' pages:\n{learners_load.describe()}", file=sys.stderr)
        figures.update(learners_load.figures())
        figures.update(quiz_submissions(app, url))
        figures.update(sign_ins(url))
        figures["certificate_pdf_ms"] = p50_ms(
            lambda: learner.get(url, f"/certificates/{code}.pdf?lang=fr").status, PDF_ROUNDS
        )
        staff_client = Client()
        sign_in(staff_client, url, staff.STAFF_EMAIL)
        cohort = f"/staff/cohorts/{cohort_id}"
        figures["dashboard_10k_ms"] = p50_ms(
            lambda: staff_client.get(url, cohort).status, STAFF_ROUNDS
        )
        figures["csv_export_10k_ms"] = p50_ms(
            lambda: staff_client.get(url, f"{cohort}/export.csv").status, STAFF_ROUNDS
        )
        print(f"at the end:\n{memory.server_memory(server).describe()}", file=sys.stderr)
    database(app).engine.dispose()
    return figures


def _catalog(app: Flask) -> object:
    with app.app_context():
        return current_catalog()


def lesson_and_floor(url: str, lesson_path: str, learner: Client) -> dict[str, float]:
    """Median rates of the lesson page and of the floor, and the median of each round's ratio."""
    lessons, floors = [], []
    for _round in range(LESSON_ROUNDS):
        lessons.append(wrk(url, lesson_path, learner))
        floors.append(wrk(url, "/bench/floor", learner))
    return {
        "lesson_view_rps": statistics.median(lessons),
        "floor_rps": statistics.median(floors),
        "lesson_view_vs_floor": statistics.median(
            lesson / floor for lesson, floor in zip(lessons, floors, strict=True)
        ),
    }


class Crowd:
    """``SUBMITTERS`` learners, one thread each, whose timed requests go off together."""

    def __init__(self) -> None:
        # A learner that fails breaks the barrier (its timeout): the others stop too.
        self.barrier = threading.Barrier(SUBMITTERS, timeout=120)
        self.times: list[float] = []

    def timed(self, request: Callable[[], Response], status: int) -> Response:
        """``request``, sent when every learner sends theirs; the time it took is kept."""
        self.barrier.wait()
        start = time.perf_counter()
        response = request()
        self.times.append((time.perf_counter() - start) * 1000)
        assert response.status == status, response.status
        self.barrier.wait()
        return response

    def run(self, learner: Callable[[int], None], name: str) -> dict[str, float]:
        """Run ``learner(number)`` for each learner; the median and 95th percentile, in ms."""
        with ThreadPoolExecutor(SUBMITTERS) as pool:
            running = [pool.submit(learner, n) for n in range(SUBMITTERS)]
        errors = [e for e in (r.exception() for r in running) if e is not None]
        # The first learner's own error, not the broken barrier it left the others.
        errors.sort(key=lambda error: isinstance(error, threading.BrokenBarrierError))
        if errors:
            raise errors[0]
        ordered = sorted(self.times)
        return {
            f"{name}_ms_p50": statistics.median(ordered),
            f"{name}_ms_p95": ordered[round(0.95 * (len(ordered) - 1))],
        }


def sign_ins(url: str) -> dict[str, float]:
    """``SUBMITTERS`` learners signing in at the same instant, ``SUBMIT_ROUNDS`` times."""
    crowd = Crowd()

    def learner(number: int) -> None:
        for _round in range(SUBMIT_ROUNDS):
            client = Client()
            form = {
                "email": _submitter(number),
                "password": PASSWORD,
                "csrf_token": client.csrf_token(url, "/accounts/sign-in"),
            }
            crowd.timed(partial(client.post, url, "/accounts/sign-in", form), 302)

    return crowd.run(learner, "sign_in")


def quiz_submissions(app: Flask, url: str) -> dict[str, float]:
    """bench/web.py's heaviest submission (passes the quiz, completes the course, issues
    nothing), by ``SUBMITTERS`` learners at the same instant, ``SUBMIT_ROUNDS`` times."""
    with app.app_context():
        measured = current_catalog().courses[MEASURED]
    quiz_item = next(i for i in measured.items() if i.kind is ItemKind.QUIZ)
    quiz_url = f"/courses/{MEASURED}/{quiz_item.key}"
    crowd = Crowd()

    def learner(number: int) -> None:
        email = _submitter(number)
        client = Client()
        sign_in(client, url, email)
        token = client.csrf_token(url, "/accounts/profile")
        for _round in range(SUBMIT_ROUNDS):
            # The attempt is started before the submissions go off together.
            started = client.post(url, f"{quiz_url}/attempts", {"csrf_token": token})
            assert started.status == 303, started.status
            attempt_url = started.headers["Location"]
            attempt = int(attempt_url.rsplit("/", 1)[1])
            form: dict[str, str | list[str]] = {
                **_right_answers(_snapshot(app, measured, attempt, email)),
                "action": "grade",
                "csrf_token": token,
            }
            crowd.timed(partial(client.post, url, attempt_url, form), 303)
            _undo_pass(app, measured, quiz_item.key, attempt, email)

    return crowd.run(learner, "quiz_submit")


def run() -> dict[str, float]:
    figures: dict[str, float] = {}
    if shutil.which("wrk") is None:
        print("HTTP figures skipped: wrk not found (apt-get install wrk)", file=sys.stderr)
        return figures
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        for name, value in measure(f"sqlite:///{scratch / 'bench.db'}", scratch).items():
            figures[f"{name}_sqlite"] = value
        server = postgres_server()
        if server is not None:
            database_name = server.create(with_schema=False)
            try:
                pg_scratch = scratch / "postgresql"
                pg_scratch.mkdir()
                for name, value in measure(server.url_of(database_name), pg_scratch).items():
                    figures[f"{name}_postgresql"] = value
            finally:
                server.drop(database_name)
    return figures


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key:<36} {value:>10.1f}")
