"""A PostgreSQL cluster of one test's own, to stop and start again: a database outage.

The run's shared server (``.ci/with-postgres``) serves other tests at the same time and must
never stop; this one lives in a temporary folder, listens on a Unix socket there, and is
removed at the end. PostgreSQL refuses to run as root: as root (CI), it belongs to Debian's
``postgres`` user, as in ``.ci/with-postgres``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.servers import free_port


def postgres_binaries() -> Path | None:
    """The folder of initdb and pg_ctl, if PostgreSQL's server is installed."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    return versions[-1] if versions and (versions[-1] / "initdb").exists() else None


@dataclass
class Cluster:
    bin_dir: Path
    root: Path
    port: int

    @property
    def url(self) -> str:
        """The ``postgres`` database, as its superuser."""
        return f"postgresql+psycopg://postgres@/postgres?host={self.root}&port={self.port}"

    def start(self) -> None:
        # Durable, unlike the shared test server: it is stopped as a crash would, and what
        # was committed before must still be there after the restart.
        options = f"-c listen_addresses='' -c unix_socket_directories='{self.root}' -p {self.port}"
        self._pg_ctl("-l", str(self.root / "server.log"), "-w", "-s", "start", "-o", options)

    def stop(self) -> None:
        """Stop at once, as a crash or an outage would: connections are cut."""
        self._pg_ctl("-m", "immediate", "-w", "-s", "stop")

    def _pg_ctl(self, *arguments: str) -> None:
        _as_owner([str(self.bin_dir / "pg_ctl"), "-D", str(self.root / "data"), *arguments])


def _as_owner(command: list[str]) -> None:
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, capture_output=True, timeout=60)


@contextmanager
def postgres_cluster() -> Iterator[Cluster]:
    """A started cluster of its own; stopped and removed on exit."""
    bin_dir = postgres_binaries()
    assert bin_dir is not None, "PostgreSQL's server is not installed"
    root = Path(tempfile.mkdtemp(prefix="lms-outage-", dir="/tmp"))
    root.chmod(0o700)
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    cluster = Cluster(bin_dir, root, free_port())
    try:
        _as_owner(
            [
                str(bin_dir / "initdb"),
                "-D", str(root / "data"),
                "-U", "postgres",
                "--auth=trust",
                "-E", "UTF8",
                "--locale=C.UTF-8",
            ]
        )  # fmt: skip
        cluster.start()
        yield cluster
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):  # Stopped by the test.
            cluster.stop()
        shutil.rmtree(root, ignore_errors=True)
