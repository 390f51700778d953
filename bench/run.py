"""Runs the benchmarks, prints a table of figures and writes them to bench/results.json."""

from __future__ import annotations

import json
import os
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import accounts, communities, content, http_load, live, roster, web
from tests.support.databases import postgres_server

RESULTS = Path(__file__).resolve().parent / "results.json"
ENGINES = ("_sqlite", "_postgresql")
MOODLE: dict[str, tuple[float, float]] = {
    "lesson_view_rps": (29, 41),
    "course_view_rps": (25, 33),
    "quiz_round_trip_ms": (246, 270),
    "worker_rss_mb": (68, 68),
    "worker_pss_mb": (20.5, 20.5),
    "workers_total_rss_mb": (282, 282),
}
"""Moodle 4.5.6's figures (lowest, highest), measured elsewhere (issue #17): the same 2-core
machine, in interleaved rounds with Parcours; PHP 8.2 with OPcache, php-fpm with 4 workers,
nginx, PostgreSQL; signed-in learners. Fixed numbers, printed beside ours for scale."""


def main() -> None:
    figures = content.run()
    figures.update(web.run())
    figures.update(http_load.run())
    figures.update(roster.run())
    figures.update(accounts.run())
    figures.update(live.run())
    figures.update(communities.run())
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores, {_cpu_model()}, "
        f"Python {platform.python_version()}, {_postgresql_version()}"
    )
    width = max(len(name) for name in figures)
    print(f"Parcours benchmarks ({machine})")
    for name, value in figures.items():
        print(f"  {name:<{width}}  {_shown(value):>10}{_beside_moodle(name, value)}")
    RESULTS.write_text(json.dumps({"machine": machine, **figures}, indent=2) + "\n")
    print(f"written to {RESULTS}")


def _beside_moodle(name: str, value: float) -> str:
    """The Moodle reference of a figure, and ours as a multiple of it; empty if none."""
    reference = MOODLE.get(next((name.removesuffix(e) for e in ENGINES if name.endswith(e)), name))
    if reference is None:
        return ""
    low, high = reference
    moodle = _shown(low) if low == high else f"{_shown(low)}-{_shown(high)}"
    ratios = sorted({value / high, value / low})
    ours = "-".join(f"{ratio:.2f}" for ratio in ratios)
    return f"   Moodle {moodle} (measured elsewhere), ours/Moodle {ours}x"


def _shown(value: float) -> str:
    if float(value).is_integer() and abs(value) < 1000:
        return str(int(value))
    return f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}"


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return " ".join(line.split(":", 1)[1].split())
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _postgresql_version() -> str:
    server = postgres_server()
    if server is None:
        return "no PostgreSQL"
    return f"PostgreSQL {server.version()}"


if __name__ == "__main__":
    main()
