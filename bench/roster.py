"""Roster import figures: seconds and peak memory to import 1k, 10k and 20k rows, and again.

Each size runs in a process of its own (``python bench/roster.py --rows N``), so that its
peak resident memory is its own: what a worker holding the import would reach. A tenth of
the file's people have an account already; the others get an account and an invitation.
"""

from __future__ import annotations

import json
import logging
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SIZES = (1_000, 10_000, 20_000)
HEADER = "email,first_name,last_name,sector,fellowship_number,notes\n"
SECTORS = ("Santé", "Société et culture", "Nature et technologies")


def roster_csv(rows: int) -> bytes:
    lines = [HEADER]
    lines.extend(
        f"person{n:05}@example.org,Prénom{n},Nom{n},{SECTORS[n % 3]},F-{n:05},note {n}\n"
        for n in range(rows)
    )
    return "".join(lines).encode("utf-8")


def measure(rows: int, engine: str = "sqlite") -> dict[str, float]:
    """Import a ``rows``-row roster into a new cohort, then the same file again, on a new
    SQLite file or (``engine="postgresql"``) a new database of the test server."""
    from sqlalchemy import insert

    from lms.accounts.categories import Role
    from lms.accounts.models import User
    from lms.catalog import current_catalog
    from lms.cohorts import imports, services
    from lms.cohorts.roster import parse_roster
    from lms.db import database, get_session, utcnow
    from lms.outbox.sending import send_now
    from lms.outbox.services import QUEUED_KEY
    from tests.support.apps import build_app, compile_translations
    from tests.support.databases import postgres_server

    compile_translations()
    # Without an SMTP server the outbox writes each mail to the log: not what is measured.
    logging.disable(logging.CRITICAL)
    server = postgres_server() if engine == "postgresql" else None
    name = server.create(with_schema=False) if server is not None else ""
    with tempfile.TemporaryDirectory() as scratch:
        app = build_app(server.url_of(name) if server else Path(scratch, "roster.db"))
        data = roster_csv(rows)
        with database(app).engine.begin() as connection:
            connection.execute(
                insert(User),
                [
                    {"email": f"person{n:05}@example.org", "role": Role.LEARNER,
                     "password_hash": "x", "created_at": utcnow(), "research_roles": []}
                    for n in range(0, rows, 10)
                ],
            )  # fmt: skip
        figures: dict[str, float] = {}
        with app.app_context():
            session = get_session()
            cohort = services.create_cohort(
                session, current_catalog(), name="Bench",
                certificate_id=next(iter(current_catalog().certificates)),
                due_date=None, actor=None,
            )  # fmt: skip
            session.commit()
            for label in ("first", "again"):
                start = time.perf_counter()
                roster = parse_roster(data, "roster.csv")
                imports.import_roster(session, cohort, roster, actor=None, secret_key="bench")
                # As in production, where the commit only queues the sending for lms worker:
                # here the invitations are sent (logged) after the commit is timed.
                invitations = session.info.pop(QUEUED_KEY, [])
                session.commit()
                figures[f"roster_import_s_{rows}_{label}"] = time.perf_counter() - start
                send_now(session, invitations)
                figures[f"roster_import_and_outbox_s_{rows}_{label}"] = time.perf_counter() - start
                session.expunge_all()
        database(app).engine.dispose()
    if server is not None:
        server.drop(name)
        server.close()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    figures[f"roster_import_peak_mb_{rows}"] = peak_kib / 1024
    return {f"{key}_{engine}": value for key, value in figures.items()}


def run() -> dict[str, float]:
    """Every size, each in a fresh process; on PostgreSQL too when there is a server."""
    from tests.support.databases import postgres_server

    server = postgres_server()
    engines = ["sqlite", "postgresql"] if server is not None else ["sqlite"]
    figures: dict[str, float] = {}
    for engine in engines:
        for rows in SIZES:
            output = subprocess.run(
                [sys.executable, __file__, "--rows", str(rows), "--engine", engine],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            figures.update(json.loads(output.strip().splitlines()[-1]))
    return figures


if __name__ == "__main__":
    if "--rows" in sys.argv:
        engine = sys.argv[sys.argv.index("--engine") + 1] if "--engine" in sys.argv else "sqlite"
        print(json.dumps(measure(int(sys.argv[sys.argv.index("--rows") + 1]), engine)))
    else:
        for key, value in run().items():
            print(f"{key:<36} {value:>10.2f}")
