"""Memory of a gunicorn server: each worker's resident (RSS) and proportional (PSS) sets.

RSS counts every page a process maps, shared or not, so the RSS of workers forked from a
preloaded master counts their shared pages once in each; PSS divides each shared page
between the processes sharing it, so the PSS of all the processes adds up to the memory
they really take. Both are read from ``/proc/PID/smaps_rollup`` (Linux 4.14 and later).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from tests.support.servers import Server, worker_pids

KB_PER_MB = 1024


@dataclass(frozen=True)
class ProcessMemory:
    pid: int
    rss_mb: float
    pss_mb: float


def process_memory(pid: int) -> ProcessMemory:
    fields: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, _, value = line.partition(":")
        fields[name] = int(value.split()[0])
    return ProcessMemory(pid, fields["Rss"] / KB_PER_MB, fields["Pss"] / KB_PER_MB)


@dataclass(frozen=True)
class ServerMemory:
    master: ProcessMemory
    workers: tuple[ProcessMemory, ...]

    def figures(self) -> dict[str, float]:
        """The largest worker's RSS and PSS, and the RSS of the master and workers summed
        (as one sums a php-fpm pool's), with their PSS summed beside it."""
        everyone = (self.master, *self.workers)
        return {
            "worker_rss_mb": max(w.rss_mb for w in self.workers),
            "worker_pss_mb": max(w.pss_mb for w in self.workers),
            "workers_total_rss_mb": sum(p.rss_mb for p in everyone),
            "workers_total_pss_mb": sum(p.pss_mb for p in everyone),
        }

    def freshest_pss_mb(self) -> float:
        """The smallest worker's PSS: right after start, a worker that has served nothing."""
        return min(w.pss_mb for w in self.workers)

    def describe(self) -> str:
        lines = [f"master {self.master.pid}: RSS {self.master.rss_mb:.1f} MB, "
                 f"PSS {self.master.pss_mb:.1f} MB"]  # fmt: skip
        lines += [
            f"worker {w.pid}: RSS {w.rss_mb:.1f} MB, PSS {w.pss_mb:.1f} MB" for w in self.workers
        ]
        return "\n".join(lines)


def forked_memory(server: Server, workers: int, within_seconds: float = 30) -> ServerMemory:
    """The server's memory once all ``workers`` are forked: a worker's PSS divides the
    shared pages among the processes there are, so it is read when they all are."""
    deadline = time.monotonic() + within_seconds
    while len(worker_pids(server)) < workers:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{workers} workers not forked within {within_seconds} s")
        time.sleep(0.05)
    return server_memory(server)


def server_memory(server: Server) -> ServerMemory:
    return ServerMemory(
        process_memory(server.process.pid),
        tuple(process_memory(pid) for pid in worker_pids(server)),
    )
