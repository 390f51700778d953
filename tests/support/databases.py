"""Where test apps keep their data: SQLite files in tmp_path, or PostgreSQL databases.

With ``LMS_TEST_DATABASE_URL`` set to a PostgreSQL server (``.ci/with-postgres`` sets it),
each database a test asks for is a fresh database on that server, dropped after the test;
otherwise it is a SQLite file in the test's ``tmp_path``. Everything that builds a test app
(web and browser tiers, benchmarks) asks here, so that both engines run the same tests.
"""

from __future__ import annotations

import atexit
import os
import shutil
import sqlite3
import tempfile
import uuid
from pathlib import Path

from alembic import command
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.pool import NullPool

from lms import schema
from lms.db import create_db_engine
from lms.models import Base

SERVER_VARIABLE = "LMS_TEST_DATABASE_URL"
SERVER_URL = os.environ.get(SERVER_VARIABLE, "").strip() or None
"""Read once at import: the test tiers clear ``LMS_*`` variables around each test."""


def on_postgresql() -> bool:
    return SERVER_URL is not None


def create_schema(url: str) -> None:
    """Tables from the models (fast), stamped at the latest revision; test_migrations
    proves the revisions build the same schema.

    A SQLite file not made yet is a copy of one built so once per process, which takes a
    millisecond instead of some fifty.
    """
    path = _new_sqlite_file(url)
    if path is None:
        _build_schema(url)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(_sqlite_schema_file(), path)


def _new_sqlite_file(url: str) -> Path | None:
    """The file of a SQLite ``url``, if it does not exist yet."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    path = Path(parsed.database)
    return None if path.exists() else path


_schema_file: Path | None = None


def _sqlite_schema_file() -> Path:
    """A SQLite file at the latest revision, built on first use; removed when the process ends."""
    global _schema_file
    if _schema_file is None:
        folder = Path(tempfile.mkdtemp(prefix="lms-test-schema-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        built = folder / "schema.db"
        _build_schema(f"sqlite:///{built}")
        # Every connection is closed, so the WAL is already in the file; make sure of it,
        # so that copying the file alone copies everything.
        connection = sqlite3.connect(built)
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            connection.close()
        assert not built.with_name(f"{built.name}-wal").exists()
        _schema_file = built
    return _schema_file


def _build_schema(url: str) -> None:
    engine = create_db_engine(url, poolclass=NullPool)
    try:
        Base.metadata.create_all(engine)
    finally:
        engine.dispose()
    command.stamp(schema.alembic_config(url), "head")


class PostgresServer:
    """Creates and drops databases on one PostgreSQL server; clones a schema template."""

    def __init__(self, server_url: str) -> None:
        self.server_url = server_url
        self._admin: Engine = create_engine(
            server_url, isolation_level="AUTOCOMMIT", poolclass=NullPool
        )
        self._prefix = f"lms_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        self._count = 0
        self._template: str | None = None

    def url_of(self, name: str) -> str:
        return make_url(self.server_url).set(database=name).render_as_string(hide_password=False)

    def create(self, *, with_schema: bool) -> str:
        """A new database, empty or with the schema at head; returns its name."""
        self._count += 1
        name = f"{self._prefix}_{self._count}"
        template = self._schema_template() if with_schema else "template0"
        with self._admin.connect() as connection:
            connection.execute(
                text(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
            )
        return name

    def drop(self, name: str) -> None:
        with self._admin.connect() as connection:
            # FORCE: a connection left open by a failed test must not keep the database.
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def _schema_template(self) -> str:
        if self._template is None:
            name = f"{self._prefix}_template"
            with self._admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE template0'))
            create_schema(self.url_of(name))
            self._template = name
        return self._template

    def version(self) -> str:
        with self._admin.connect() as connection:
            return str(connection.execute(text("SHOW server_version")).scalar())

    def close(self) -> None:
        if self._template is not None:
            self.drop(self._template)
            self._template = None
        self._admin.dispose()


_server: PostgresServer | None = None


def postgres_server() -> PostgresServer | None:
    """The PostgreSQL server of this test run, if any (one per process)."""
    global _server
    if SERVER_URL is not None and _server is None:
        _server = PostgresServer(SERVER_URL)
    return _server


def close_postgres_server() -> None:
    global _server
    if _server is not None:
        _server.close()
        _server = None


class Databases:
    """The databases of one test, by name: asking twice for a name gives the same database
    (several apps "on the same file", as concurrency tests need)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._urls: dict[str, str] = {}
        self._created: list[str] = []

    def url(self, name: str, *, with_schema: bool = False) -> str:
        """The URL of the database ``name``, made empty or (``with_schema``) at head."""
        if name in self._urls:
            return self._urls[name]
        server = postgres_server()
        if server is None:
            url = f"sqlite:///{self.folder / f'{name}.db'}"
            if with_schema:
                create_schema(url)
        else:
            database_name = server.create(with_schema=with_schema)
            self._created.append(database_name)
            url = server.url_of(database_name)
        self._urls[name] = url
        return url

    def close(self) -> None:
        server = postgres_server()
        if server is not None:
            for name in self._created:
                server.drop(name)
        self._created.clear()
        self._urls.clear()
