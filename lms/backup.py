"""A consistent copy of the SQLite database, taken with SQLite's online backup while it serves."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url


class NotSQLite(Exception):
    """The database is not SQLite: its own tools (pg_dump) back it up."""


class BackupRefused(Exception):
    """The backup cannot be written where asked, or the database cannot be read."""


def backup_sqlite(database_url: str, target: Path) -> None:
    """Copy the SQLite database of ``database_url`` to ``target``, which must not exist yet."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise NotSQLite
    source_path = url.database
    if not source_path or source_path == ":memory:":
        raise BackupRefused("an in-memory database has nothing to back up.")
    if not Path(source_path).is_file():
        raise BackupRefused(f"there is no database file at {source_path}.")
    if target.exists():
        raise BackupRefused(f"{target} already exists; choose a new file name.")
    if not target.parent.is_dir():
        raise BackupRefused(f"the folder {target.parent} does not exist.")
    try:
        # "x": fail rather than overwrite if the file appeared since the check above.
        with target.open("xb"):
            pass
    except OSError as error:
        raise BackupRefused(f"{target} cannot be created: {error}") from error
    # Opened read-only: a mistyped path must not create an empty database somewhere.
    source = sqlite3.connect(f"{Path(source_path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    except (sqlite3.Error, OSError) as error:
        target.unlink(missing_ok=True)
        raise BackupRefused(f"the copy failed: {error}") from error
    finally:
        source.close()
