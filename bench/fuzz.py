"""A fuzz run: N hostile requests spread over every route, as every role; counts the 5xx.

Not a test (tests/web/test_hostile_input.py is the test): a figure to report, on SQLite and,
under ``.ci/with-postgres``, on PostgreSQL. ``python bench/fuzz.py [N]`` prints the counts and
writes bench/fuzz.json.
"""

from __future__ import annotations

import json
import random
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask import Flask

from lms import create_app
from lms.extensions import limiter
from tests.support.databases import Databases, on_postgresql
from tests.web.authz_world import ROLES, World, build_world, concrete_url
from tests.web.staff_helpers import STAFF_CONTENT
from tests.web.test_authorization_matrix import EXPECTED
from tests.web.test_hostile_input import HOSTILE_WORDS

RESULTS = Path(__file__).resolve().parent / "fuzz.json"
FIELD_NAME = re.compile(r'\bname="([^"]+)"')
REQUESTS = 10_000


def _value(rng: random.Random) -> str:
    kind = rng.randrange(6)
    if kind == 0:
        return rng.choice(HOSTILE_WORDS)
    if kind == 1:
        return "".join(chr(rng.randrange(0, 0x2FFF)) for _ in range(rng.randrange(1, 30)))
    if kind == 2:
        return str(rng.randrange(-(2**70), 2**70))
    if kind == 3:
        return "9" * rng.randrange(10, 6000)
    if kind == 4:
        return "".join(chr(rng.randrange(0, 32)) for _ in range(rng.randrange(1, 8)))
    return "A" * rng.randrange(1_000, 100_000)


def _names(world: World, url: str, role: str) -> list[str]:
    client, _token = world.client_as(role)
    response = client.get(url)
    html = response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True) if html else ""
    response.close()
    return sorted(set(FIELD_NAME.findall(page)) - {"csrf_token"}) or ["q", "page", "next"]


def _targets(world: World) -> list[tuple[str, str, str, list[str]]]:
    """(method, url, role, field names) for every route and role."""
    rules = {r.endpoint: r for r in world.app.url_map.iter_rules()}
    targets = []
    for endpoint, method in sorted(EXPECTED):
        url = concrete_url(world, rules[endpoint])
        for role in ROLES:
            targets.append((method, url, role, _names(world, url, role)))
    return targets


def _send(world: World, target: tuple[str, str, str, list[str]], rng: random.Random) -> int:
    method, url, role, names = target
    fields: dict[str, Any] = {
        rng.choice([*names, _value(rng)[:12]]): _value(rng) for _ in range(rng.randrange(1, 6))
    }
    client, token = world.client_as(role)
    how = rng.choice(("form", "form", "json", "query"))
    if rng.random() < 0.1:
        # A number of the URL (a learner, a cohort, an attempt) past any column's range.
        url = re.sub(r"/\d+(?=/|$)", f"/{rng.choice((2**31, 2**63, 10**30))}", url, count=1)
    if method == "GET":
        response = client.get(url, query_string=fields)
    elif how == "json":
        body = rng.choice((fields, [1], 1, "x", None))
        response = client.post(
            url,
            data=json.dumps(body),
            content_type="application/json",
            headers={"X-CSRFToken": token},
        )
    elif how == "query":
        response = client.post(url, query_string=fields, data={"csrf_token": token})
    else:
        response = client.post(url, data={**fields, "csrf_token": token})
    status: int = response.status_code
    response.close()
    return status


def _status(world: World, target: tuple[str, str, str, list[str]], rng: random.Random) -> int:
    """The answer's status; 500 for an error the app let through (testing mode raises it)."""
    try:
        return _send(world, target, rng)
    except Exception:  # Any escaped error is the 500 a server would answer.
        return 500


def run(requests: int = REQUESTS) -> dict[str, float]:
    engine = "postgresql" if on_postgresql() else "sqlite"
    databases = Databases(Path(tempfile.mkdtemp(prefix="lms-fuzz-")))
    url = databases.url("fuzz", with_schema=True)

    def make(**_overrides: Any) -> Flask:
        return create_app({"env": "testing", "database_url": url, "content_dir": STAFF_CONTENT})

    world = build_world(make)
    with world.app.app_context():
        limiter.enabled = False  # A fuzz run is one client: limits would answer 429 only.
    targets = _targets(world)
    rng = random.Random(14)
    statuses: Counter[int] = Counter()
    started = time.perf_counter()
    for _ in range(requests):
        statuses[_status(world, rng.choice(targets), rng)] += 1
    seconds = time.perf_counter() - started
    server_errors = sum(count for status, count in statuses.items() if status >= 500)
    print(f"{engine}: {requests} requests in {seconds:.0f} s, {server_errors} answered 5xx")
    print("  statuses:", dict(sorted(statuses.items())))
    databases.close()
    return {f"fuzz_requests_{engine}": requests, f"fuzz_5xx_{engine}": server_errors}


if __name__ == "__main__":
    figures = run(int(sys.argv[1]) if len(sys.argv) > 1 else REQUESTS)
    found = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    RESULTS.write_text(json.dumps({**found, **figures}, indent=2) + "\n")
