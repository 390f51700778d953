"""Live sessions' figures, in process on SQLite: the learners' list of 200 sessions to come,
a session's staff page with 2,000 registrants, a learner's calendar feed of 50 sessions, a
registration, and the import of a 2,000-line Teams attendance report (with its certificate
checks). Each page's SQL statements are counted too: they must not grow with the rows.

``python bench/live.py`` prints the figures; ``bench/run.py`` adds them to the others.
"""

from __future__ import annotations

import io
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, insert, select

from lms.accounts.categories import Role
from lms.accounts.models import User
from lms.db import database, utcnow
from lms.live import feeds
from lms.live.models import (
    CalendarFeed,
    LiveSession,
    Registration,
    RegistrationStatus,
    SessionLanguage,
    SessionTag,
)
from tests.support.apps import TESTS, build_app, compile_translations
from tests.web.helpers import stored_hash

CONTENT = TESTS / "fixtures" / "content" / "live"
SESSIONS = 200
REGISTRANTS = 2_000
FEED_SESSIONS = 50
ROUNDS = 30
PASSWORD = "correct horse battery staple"
"""The tests' password (``stored_hash``): the figures are the pages', not the sign-in's."""
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def _populate(app: Flask) -> tuple[int, int]:
    """Sessions, learners registered at the first, a feed; (the first's id, the learner's)."""
    now = utcnow()
    with database(app).engine.begin() as connection:
        people = [
            {
                "email": f"learner{n:05}@example.org",
                "password_hash": stored_hash(PASSWORD) if n < 3 else None,
                "role": Role.STAFF if n == 1 else Role.LEARNER,
                "language": "fr" if n % 2 else "en",
                "email_confirmed_at": now,
                "certificate_name": f"Apprenant·e {n}",
                "created_at": now,
                "research_roles": [],
            }
            for n in range(REGISTRANTS + 2)
        ]
        connection.execute(insert(User), people)
        ids = dict(connection.execute(select(User.email, User.id)).all())
        sessions = [
            {
                "slug": f"webinar-{n:03}",
                "title_fr": f"Webinaire {n}",
                "title_en": f"Webinar {n}",
                "description_fr": "Une heure d’échanges.",
                "description_en": "An hour of exchanges.",
                "starts_at": now + timedelta(days=1 + n, hours=-3),
                "ends_at": now + timedelta(days=1 + n, hours=-1),
                "time_zone": "America/Montreal",
                "language": SessionLanguage.BILINGUAL,
                "capacity": REGISTRANTS,
                "video_url": "https://example.zoom.us/j/1",
                "created_at": now,
                "sequence": 0,
            }
            for n in range(SESSIONS)
        ]
        connection.execute(insert(LiveSession), sessions)
        session_ids = list(connection.execute(select(LiveSession.id).order_by(LiveSession.id)))
        first = int(session_ids[0][0])
        connection.execute(
            insert(SessionTag),
            [{"session_id": row[0], "tag": "frq-webinar"} for row in session_ids],
        )
        learner = ids["learner00000@example.org"]
        registrations = [
            {
                "session_id": first,
                "user_id": user_id,
                "status": RegistrationStatus.REGISTERED,
                "requested_at": now,
                "seated_at": now,
            }
            for email, user_id in ids.items()
            if email != "learner00001@example.org"
        ]
        registrations += [
            {
                "session_id": row[0],
                "user_id": learner,
                "status": RegistrationStatus.REGISTERED,
                "requested_at": now,
                "seated_at": now,
            }
            for row in session_ids[1:FEED_SESSIONS]
        ]
        connection.execute(insert(Registration), registrations)
        connection.execute(insert(CalendarFeed), [{"user_id": learner, "nonce": "bench-nonce"}])
    return first, learner


def _signed_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    page = client.get("/accounts/sign-in").get_data(as_text=True)
    token = CSRF.search(page)
    assert token is not None
    signed = client.post(
        "/accounts/sign-in", data={"email": email, "password": PASSWORD, "csrf_token": token[1]}
    )
    assert signed.status_code == 302, signed.status_code
    return client


def _median_ms(request: Callable[[], Any], rounds: int = ROUNDS) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = request()
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return round(statistics.median(times), 1)


def _statements(app: Flask, request: Callable[[], Any]) -> int:
    count = 0

    def counted(*_args: Any) -> None:
        nonlocal count
        count += 1

    engine = database(app).engine
    event.listen(engine, "before_cursor_execute", counted)
    try:
        request()
    finally:
        event.remove(engine, "before_cursor_execute", counted)
    return count


def _teams_report(emails: list[str]) -> bytes:
    lines = [
        "1. Summary",
        "Meeting title\tBench webinar",
        "",
        "2. Participants",
        "Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole",
    ]
    lines += [
        f"Person {n}\t10/15/26, 1:00 PM\t10/15/26, 2:30 PM\t1h {n % 60}m 5s\t{email}\t{email}\t"
        "Attendee"
        for n, email in enumerate(emails)
    ]
    return "\r\n".join(lines).encode("utf-16")


def run() -> dict[str, float]:
    compile_translations()
    with tempfile.TemporaryDirectory(prefix="parcours-bench-live-") as folder:
        app = build_app(Path(folder) / "live.db", content_dir=CONTENT)
        first, learner = _populate(app)
        visitor = _signed_in(app, "learner00000@example.org")
        staff = _signed_in(app, "learner00001@example.org")
        with app.app_context():
            token = feeds.feed_token(app.secret_key or "", learner, "bench-nonce")
        figures: dict[str, float] = {}
        list_page = lambda: visitor.get("/sessions/")  # noqa: E731
        staff_page = lambda: staff.get(f"/staff/sessions/{first}")  # noqa: E731
        feed = lambda: app.test_client().get(f"/calendar/{token}.ics")  # noqa: E731
        figures["live: list of 200 sessions (ms)"] = _median_ms(list_page)
        figures["live: list of 200 sessions (SQL statements)"] = _statements(app, list_page)
        figures["live: staff page, 2,000 registrants (ms)"] = _median_ms(staff_page, 10)
        figures["live: staff page, 2,000 registrants (SQL statements)"] = _statements(
            app, staff_page
        )
        figures["live: feed of 50 sessions (ms)"] = _median_ms(feed)
        figures["live: feed of 50 sessions (SQL statements)"] = _statements(app, feed)
        newcomer = _signed_in(app, "learner00002@example.org")
        page = newcomer.get("/sessions/webinar-199").get_data(as_text=True)
        csrf = CSRF.search(page)
        assert csrf is not None
        started = time.perf_counter()
        newcomer.post("/sessions/webinar-199/register", data={"csrf_token": csrf[1]})
        figures["live: one registration, mail queued (ms)"] = round(
            (time.perf_counter() - started) * 1000, 1
        )
        with app.app_context():
            emails = [f"learner{n:05}@example.org" for n in range(REGISTRANTS)]
        report = _teams_report(emails)
        path = f"/staff/sessions/{first}/attendance/import"
        # The session took place: attendance is imported after it.
        with database(app).engine.begin() as connection:
            connection.execute(
                LiveSession.__table__.update()
                .where(LiveSession.id == first)
                .values(starts_at=utcnow() - timedelta(hours=3), ends_at=utcnow())
            )
        csrf = CSRF.search(staff.get(path).get_data(as_text=True))
        assert csrf is not None
        started = time.perf_counter()
        response = staff.post(
            path,
            data={
                "csrf_token": csrf[1],
                "minimum_minutes": "60",
                "report": (io.BytesIO(report), "teams.csv"),
            },
            content_type="multipart/form-data",
        )
        assert response.status_code == 303, response.status_code
        figures["live: import of a 2,000-line Teams report (ms)"] = round(
            (time.perf_counter() - started) * 1000, 1
        )
        database(app).engine.dispose()
    return figures


if __name__ == "__main__":
    for name, value in run().items():
        print(f"  {name:<55} {value:>10}")
