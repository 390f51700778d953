"""Account figures: how long a reset request and a sign-up take for an address that has an
account and for one that has none. They must not tell the two apart (issue #15, item 3).

Requests alternate between the two kinds, in-process, on an app with production settings
(its job queue a SQLite file, as on one server: the request only queues the job that decides,
which ``lms worker`` would run), with rate limits off; the medians of ``ROUNDS`` each are
reported.
"""

from __future__ import annotations

import logging
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask.testing import FlaskClient

from lms.accounts import services
from lms.certificates.badges import generate_signing_key
from lms.db import get_session
from lms.extensions import limiter
from tests.support.apps import build_app
from tests.support.databases import Databases, on_postgresql
from tests.web.account_helpers import sign_up_data

ROUNDS = 200
PASSWORD = "correct horse battery staple"
"""The password ``sign_up_data`` types."""
KNOWN = "known@example.org"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


HTTPS = {"base_url": "https://parcours.example.org"}
"""Production's cookies are Secure, and its CSRF check wants a Referer from the site."""


def _token(client: FlaskClient, path: str) -> str:
    found = CSRF.search(client.get(path, **HTTPS).get_data(as_text=True))
    assert found
    return found.group(1)


def _timed(request: Callable[[], int]) -> float:
    started = time.perf_counter()
    status = request()
    elapsed = (time.perf_counter() - started) * 1000
    assert status < 400, status
    return elapsed


def run() -> dict[str, float]:
    engine = "postgresql" if on_postgresql() else "sqlite"
    databases = Databases(Path(tempfile.mkdtemp(prefix="lms-bench-accounts-")))
    scratch = Path(tempfile.mkdtemp(prefix="lms-bench-accounts-"))
    generate_signing_key(scratch / "key.pem", key_size=2048)
    app = build_app(
        databases.url("accounts", with_schema=True),
        env="production",
        secret_key="b" * 64,
        signing_key_file=scratch / "key.pem",
        base_url=HTTPS["base_url"],
    )
    logging.disable(logging.CRITICAL)  # production's access log, one line per request
    with app.app_context():
        limiter.enabled = False
        session = get_session()
        services.create_user(session, KNOWN, PASSWORD, language="en", email_confirmed=True)
        session.commit()
    client = app.test_client()
    reset_token = _token(client, "/accounts/reset")
    sign_up_token = _token(client, "/accounts/sign-up")
    times: dict[str, list[float]] = {k: [] for k in ("reset", "sign_up")}
    known: dict[str, list[float]] = {k: [] for k in ("reset", "sign_up")}
    for number in range(ROUNDS * 2):
        is_known = number % 2 == 0
        email = KNOWN if is_known else f"nobody{number}@example.org"
        reset = _timed(
            lambda e=email: (
                client.post(
                    "/accounts/reset",
                    data={"email": e, "csrf_token": reset_token},
                    headers={"Referer": HTTPS["base_url"] + "/accounts/reset"},
                    **HTTPS,
                ).status_code
            )
        )
        sign_up = _timed(
            lambda e=email: (
                client.post(
                    "/accounts/sign-up",
                    data={**sign_up_data(e), "csrf_token": sign_up_token},
                    headers={"Referer": HTTPS["base_url"] + "/accounts/sign-up"},
                    **HTTPS,
                ).status_code
            )
        )
        (known if is_known else times)["reset"].append(reset)
        (known if is_known else times)["sign_up"].append(sign_up)
    databases.close()
    figures: dict[str, float] = {}
    for kind in ("reset", "sign_up"):
        figures[f"{kind}_known_ms_{engine}"] = statistics.median(known[kind])
        figures[f"{kind}_unknown_ms_{engine}"] = statistics.median(times[kind])
    return figures


if __name__ == "__main__":
    for name, value in run().items():
        print(f"{name:<30} {value:8.2f}")
