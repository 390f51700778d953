"""Runs the benchmarks, prints a table of figures and writes them to bench/results.json."""

from __future__ import annotations

import json
import os
import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import content, web

RESULTS = Path(__file__).resolve().parent / "results.json"


def main() -> None:
    figures = content.run()
    figures.update(web.run())
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    width = max(len(name) for name in figures)
    print(f"Parcours benchmarks ({machine})")
    for name, value in figures.items():
        print(f"  {name:<{width}}  {value:>10.1f}")
    RESULTS.write_text(json.dumps({"machine": machine, **figures}, indent=2) + "\n")
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
