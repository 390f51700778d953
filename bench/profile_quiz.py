"""Where a quiz round trip spends its time, in process:
``python bench/profile_quiz.py 2>/dev/null`` (standard error gets the access log).

The app as gunicorn serves it in the HTTP benchmark (``bench/wsgi_app.py``, production
settings) on bench/web.py's database, driven by Flask's test client through
bench/round_trip.py's steps: open the quiz; start an attempt and follow to its form; grade it
and follow to its result. Each step is timed, then the services and templates under them.
``--cprofile`` adds cProfile's top functions; ``--postgresql``, under ``.ci/with-postgres``,
runs it on PostgreSQL. Not part of ``make bench``: the figures are for
finding what to remove, and profiling slows what it measures.
"""

from __future__ import annotations

import cProfile
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import Flask
from flask.testing import FlaskClient

from bench.profile_lesson import SECURE, production_app, signed_in, timed_parts
from bench.web import CSRF, _right_answers, _snapshot, _undo_pass
from lms.catalog import current_catalog
from lms.content import Course, ItemKind

TRIPS = 200
COURSE = "por-101"


def _token(client: FlaskClient) -> str:
    page = client.get("/accounts/profile", base_url=SECURE).get_data(as_text=True)
    found = CSRF.search(page)
    assert found
    return found[1]


def _ok(status: int, expected: int) -> None:
    assert status == expected, status


def trip(app: Flask, client: FlaskClient, token: str, course: Course) -> dict[str, float]:
    """One round trip; the milliseconds of each step."""
    quiz_item = next(i for i in course.items() if i.kind is ItemKind.QUIZ)
    quiz_url = f"/courses/{course.id}/{quiz_item.key}"
    headers = {"Referer": f"{SECURE}{quiz_url}"}  # Flask-WTF checks it over https
    times: dict[str, float] = {}
    start = time.perf_counter()
    _ok(client.get(quiz_url, base_url=SECURE).status_code, 200)
    times["open"] = time.perf_counter() - start
    start = time.perf_counter()
    started = client.post(
        f"{quiz_url}/attempts", data={"csrf_token": token}, base_url=SECURE, headers=headers
    )
    _ok(started.status_code, 303)
    attempt_url = started.headers["Location"]
    _ok(client.get(attempt_url, base_url=SECURE).status_code, 200)
    times["start"] = time.perf_counter() - start
    number = int(attempt_url.rsplit("/", 1)[1])
    form = {**_right_answers(_snapshot(app, course, number)), "action": ["grade"]}
    form["csrf_token"] = [token]
    start = time.perf_counter()
    graded = client.post(attempt_url, data=form, base_url=SECURE, headers=headers)
    _ok(graded.status_code, 303)
    _ok(client.get(attempt_url, base_url=SECURE).status_code, 200)
    times["submit"] = time.perf_counter() - start
    _undo_pass(app, course, quiz_item.key, number)
    return {step: seconds * 1000 for step, seconds in times.items()}


def trips(app: Flask, client: FlaskClient, token: str, course: Course) -> dict[str, float]:
    """Median milliseconds of each step over ``TRIPS`` round trips, and of the whole."""
    rounds = [trip(app, client, token, course) for _ in range(TRIPS)]
    medians = {step: statistics.median(r[step] for r in rounds) for step in rounds[0]}
    medians["round trip"] = statistics.median(sum(r.values()) for r in rounds)
    return medians


def main() -> None:
    from lms.learning import services as learning
    from lms.quizzes import services
    from lms.quizzes.views import learners as views

    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        app = production_app(scratch)
        client = signed_in(app, scratch)
        token = _token(client)
        with app.app_context():
            course = current_catalog().courses[COURSE]
        trip(app, client, token, course)  # warm
        for step, ms in trips(app, client, token, course).items():
            print(f"{step:<12} {ms:.3f} ms")
        parts = {
            "hooks before the view": (app, "preprocess_request"),
            "open_quiz": (services, "open_quiz"),
            "start_attempt": (services, "start_attempt"),
            "submit_attempt": (services, "submit_attempt"),
            "attempt_page": (services, "attempt_page"),
            "course_standing (result)": (learning, "course_standing"),
            "render_template": (views, "render_template"),
            "hooks after the view": (app, "process_response"),
        }
        with timed_parts(parts) as totals:
            trips(app, client, token, course)
        for label, seconds in totals.items():
            print(f"  {label:<36} {seconds / TRIPS * 1000:.3f} ms a round trip")
        if "--cprofile" in sys.argv:
            profile = cProfile.Profile()
            profile.runcall(trips, app, client, token, course)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(50)


if __name__ == "__main__":
    main()
