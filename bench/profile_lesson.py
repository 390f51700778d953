"""Where a signed-in lesson page spends its time, in process:
``python bench/profile_lesson.py 2>/dev/null`` (standard error gets the access log).

The app as gunicorn serves it in the HTTP benchmark (``bench/wsgi_app.py``, production
settings) on bench/web.py's database, driven by Flask's test client: the lesson page and
the floor, timed, then the lesson page's own parts (its view's steps, the template) timed
one by one, and the page with its template's output ready-made (what no cache of rendered
parts could beat). ``--cprofile`` adds cProfile's top functions; ``--postgresql``, under
``.ci/with-postgres``, runs it on PostgreSQL. Not part of ``make bench``: the
figures are for finding what to remove, and profiling slows what it measures.
"""

from __future__ import annotations

import cProfile
import os
import pstats
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import Flask
from flask.testing import FlaskClient

from bench.web import CSRF, LEARNER, PASSWORD, _populate
from lms.catalog import current_catalog
from lms.certificates.badges import generate_signing_key
from tests.support.apps import PROJECT, build_app
from tests.support.databases import create_schema, postgres_server

REQUESTS = 2000
LESSON = "/courses/por-101/partnership"
SECURE = "https://localhost"
"""Production cookies are Secure: the test client sends them over https only."""


def _database_url(scratch: Path) -> str:
    """A SQLite file in ``scratch``; with ``--postgresql``, a new database on the server of
    ``.ci/with-postgres`` (a throwaway cluster: the database is left to it)."""
    if "--postgresql" not in sys.argv:
        url = f"sqlite:///{scratch / 'profile.db'}"
        create_schema(url)
        return url
    server = postgres_server()
    if server is None:
        sys.exit("--postgresql: run under .ci/with-postgres (LMS_TEST_DATABASE_URL unset)")
    return server.url_of(server.create(with_schema=True))


def production_app(scratch: Path) -> Flask:
    url = _database_url(scratch)
    helper = build_app(url, with_schema=False, content_dir=PROJECT)
    with helper.app_context():
        measured = current_catalog().courses["por-101"]
    _populate(helper, measured)
    key = scratch / "signing-key.pem"
    generate_signing_key(key, key_size=2048)
    os.environ.update(
        LMS_ENV="production",
        LMS_SECRET_KEY="profile-" * 8,
        LMS_SIGNING_KEY_FILE=str(key),
        LMS_DATABASE_URL=url,
        LMS_CONTENT_DIR=str(PROJECT),
        LMS_BENCH_FLOOR_FILE=str(scratch / "floor.html"),
    )
    from bench.wsgi_app import app

    return app


def signed_in(app: Flask, scratch: Path) -> FlaskClient:
    client = app.test_client()
    page = client.get("/accounts/sign-in", base_url=SECURE).get_data(as_text=True)
    token = CSRF.search(page)
    assert token
    response = client.post(
        "/accounts/sign-in",
        data={"email": LEARNER, "password": PASSWORD, "csrf_token": token[1]},
        base_url=SECURE,
        # Flask-WTF checks the Referer of every form posted over https.
        headers={"Referer": f"{SECURE}/accounts/sign-in"},
    )
    assert response.status_code == 302, response.status_code
    lesson = client.get(LESSON, base_url=SECURE)
    assert lesson.status_code == 200
    (scratch / "floor.html").write_bytes(lesson.data)
    return client


def ms_per_request(client: FlaskClient, path: str) -> float:
    for _ in range(REQUESTS // 10):
        client.get(path, base_url=SECURE)
    start = time.perf_counter()
    for _ in range(REQUESTS):
        client.get(path, base_url=SECURE)
    return (time.perf_counter() - start) / REQUESTS * 1000


@contextmanager
def timed_parts(parts: dict[str, tuple[Any, str]]) -> Iterator[dict[str, float]]:
    """Seconds spent in each ``label: (owner, attribute)`` while the block runs."""
    totals = dict.fromkeys(parts, 0.0)
    originals = {label: getattr(owner, name) for label, (owner, name) in parts.items()}

    def timer(label: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                totals[label] += time.perf_counter() - start

        return timed

    for label, (owner, name) in parts.items():
        setattr(owner, name, timer(label, originals[label]))
    try:
        yield totals
    finally:
        for label, (owner, name) in parts.items():
            setattr(owner, name, originals[label])


def main() -> None:
    from lms.learning import services, views

    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        app = production_app(scratch)
        client = signed_in(app, scratch)
        lesson, floor = ms_per_request(client, LESSON), ms_per_request(client, "/bench/floor")
        print(f"lesson page {lesson:.3f} ms, floor {floor:.3f} ms, ratio {floor / lesson:.2f}")
        parts = {
            "hooks before the view": (app, "preprocess_request"),
            "open_lesson (the query, the place)": (services, "open_lesson"),
            "render_template": (views, "render_template"),
            "hooks after the view": (app, "process_response"),
        }
        with timed_parts(parts) as totals:
            ms_per_request(client, LESSON)
        for label, seconds in totals.items():
            print(f"  {label:<36} {seconds / (REQUESTS * 1.1) * 1000:.3f} ms")
        ready = client.get(LESSON, base_url=SECURE).get_data(as_text=True)
        rendering = views.render_template
        views.render_template = lambda *_args, **_context: ready
        try:
            bound = ms_per_request(client, LESSON)
        finally:
            views.render_template = rendering
        print(f"lesson page with its HTML ready-made {bound:.3f} ms, ratio {floor / bound:.2f}")
        if "--cprofile" in sys.argv:
            profile = cProfile.Profile()
            profile.runcall(ms_per_request, client, LESSON)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
