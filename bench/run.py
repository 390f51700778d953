"""Runs the benchmarks, prints a table of figures and writes them to bench/results.json."""

from __future__ import annotations

import json
import os
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import accounts, communities, content, http_load, roster, web
from tests.support.databases import postgres_server

RESULTS = Path(__file__).resolve().parent / "results.json"


def main() -> None:
    figures = content.run()
    figures.update(web.run())
    figures.update(http_load.run())
    figures.update(roster.run())
    figures.update(accounts.run())
    figures.update(communities.run())
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores, {_cpu_model()}, "
        f"Python {platform.python_version()}, {_postgresql_version()}"
    )
    width = max(len(name) for name in figures)
    print(f"Parcours benchmarks ({machine})")
    for name, value in figures.items():
        print(f"  {name:<{width}}  {_shown(value):>10}")
    RESULTS.write_text(json.dumps({"machine": machine, **figures}, indent=2) + "\n")
    print(f"written to {RESULTS}")


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
