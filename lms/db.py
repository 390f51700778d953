"""SQLAlchemy base class, engine creation and the session of the current app context."""

from __future__ import annotations

import enum
import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar, cast

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy import (
    JSON,
    DateTime,
    Dialect,
    Enum,
    Executable,
    Integer,
    MetaData,
    create_engine,
    event,
    make_url,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, CursorResult, Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Session, SessionTransaction, sessionmaker
from sqlalchemy.types import TypeDecorator

EXTENSION_KEY = "lms.db"

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Named constraints let migrations drop or alter them by name on every database."""


# The sizes of the columns that name content by its stable ids, in every feature's tables.
COURSE_ID_LENGTH = 64
STEM_LENGTH = 128
"""An outline key: a lesson's stem, or a quiz's (``final.quiz``)."""
VERSION_LENGTH = 64
"""A content version is a SHA-256 in hex."""


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime, also on SQLite, which stores datetimes without zone."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column; use lms.db.utcnow()")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Hundredths(TypeDecorator[Decimal]):
    """A decimal with two places, kept as a whole number of hundredths: exact on both engines
    (SQLite has no decimal type, and floats would turn 0.1 + 0.2 into 0.30000000000000004)."""

    impl = Integer
    cache_ok = True

    def process_bind_param(self, value: Decimal | int | None, dialect: Dialect) -> int | None:
        if value is None:
            return None
        hundredths = Decimal(value) * 100
        if hundredths != hundredths.to_integral_value():
            raise ValueError(f"{value} has more than two decimal places")
        return int(hundredths)

    def process_result_value(self, value: int | None, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value) / 100


def str_enum(enum_class: type[enum.StrEnum], length: int = 16) -> Enum:
    """A column type storing an enum's values as plain strings.

    No native database enum: adding a member must not need an ``ALTER TYPE`` on PostgreSQL.
    """
    return Enum(
        enum_class,
        native_enum=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012  (SQLAlchemy reads this class attribute)
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[Any]: JSON(),
    }


def _sqlite_configurator(foreign_keys: bool, durable: bool) -> Callable[[Any, Any], None]:
    def configure(dbapi_connection: Any, _record: Any) -> None:
        # Python's sqlite3 opens and commits transactions on its own, which breaks SAVEPOINT
        # and transactional DDL: SQLAlchemy takes that job (_begin_sqlite), as its docs advise.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # SQLite leaves foreign keys unchecked unless asked, per connection.
        cursor.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        # WAL lets readers go on while a request writes.
        cursor.execute("PRAGMA journal_mode=WAL")
        # A commit's disk sync costs milliseconds (Settings.sqlite_durable says what it buys).
        cursor.execute(f"PRAGMA synchronous={'FULL' if durable else 'NORMAL'}")
        cursor.close()

    return configure


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_WRITE_LOCK_KEY = "db_take_write_lock"
_READS_FIRST = "reads_before_writing"

View = TypeVar("View", bound=Callable[..., Any])


def reads_before_writing(view: View) -> View:
    """Mark a view that reads at length before it writes (a password to check), so that on
    SQLite such requests run side by side instead of one at a time: its transactions begin
    without the write lock, and its writes must go through ``run_in_transaction``, which
    retries a lost race. Put it next to ``def``, under the route and the rate limits."""
    setattr(view, _READS_FIRST, True)
    return view


def _begin_sqlite(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE" if _takes_write_lock() else "BEGIN")


def _takes_write_lock() -> bool:
    """Whether a SQLite transaction takes the write lock as it begins, rather than at its
    first write.

    In WAL mode a transaction that read, then writes after another one committed, is refused
    at once ("database is locked"): its snapshot is stale, and waiting cannot help. A
    transaction holding the lock from its start always writes on the latest data, and others
    wait for it (the busy timeout). So requests that may write (every method but GET, HEAD
    and OPTIONS) and commands take it at once; pages only read, side by side, and the few
    that also write use ``run_in_transaction``, whose second try takes it at once, as do
    views marked ``reads_before_writing``.
    """
    if not has_request_context():
        return True
    chosen = g.get(_WRITE_LOCK_KEY)
    if chosen is not None:
        return bool(chosen)
    if request.method in SAFE_METHODS:
        return False
    view = current_app.view_functions.get(request.endpoint or "")
    return not getattr(view, _READS_FIRST, False)


def create_db_engine(
    url: str, *, foreign_keys: bool = True, durable: bool = True, **options: Any
) -> Engine:
    """An engine for ``url``; for a SQLite file, its folder is created and pragmas set.

    ``foreign_keys=False`` is for migrations only; ``durable=False`` for the app's requests
    (``Settings.sqlite_durable``); ``options`` go to ``create_engine``.
    """
    parsed = make_url(url)
    is_sqlite = parsed.get_backend_name() == "sqlite"
    if is_sqlite and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    if not is_sqlite:
        # A pooled connection is tried before use: after a database restart, the first
        # request of each worker would otherwise fail on a connection the server closed.
        # (A SQLite file has no server to restart.)
        options.setdefault("pool_pre_ping", True)
    engine = create_engine(url, **options)
    if is_sqlite:
        event.listen(engine, "connect", _sqlite_configurator(foreign_keys, durable))
        event.listen(engine, "begin", _begin_sqlite)
    return engine


@dataclass(frozen=True)
class Database:
    """The engine of one app and the factory of its sessions."""

    engine: Engine
    sessions: sessionmaker[Session]


def init_app(app: Flask, database_url: str, *, durable: bool = False) -> Database:
    engine = create_db_engine(database_url, durable=durable)
    database = Database(engine, sessionmaker(engine, expire_on_commit=False))
    event.listen(engine, "before_cursor_execute", _note_writes)
    event.listen(database.sessions, "after_begin", _watch_writes)
    event.listen(database.sessions, "after_transaction_end", _forget_connection)
    app.extensions[EXTENSION_KEY] = database
    app.teardown_appcontext(_close_session)
    return database


def database(app: Flask | None = None) -> Database:
    """The database of ``app`` (default: the current app)."""
    target = app if app is not None else current_app
    found: Database = target.extensions[EXTENSION_KEY]
    return found


def insert_for(session: Session, model: type[Any]) -> postgresql.Insert | sqlite.Insert:
    """An INSERT into ``model``'s table, in the dialect of the session's engine: its
    ``on_conflict_do_nothing`` or ``on_conflict_do_update`` settles a row already there
    (another request's, at the same instant) within the statement, without the savepoint
    that catching the unique key's error needs (on PostgreSQL, two round trips)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(model)
    return sqlite.insert(model)


def rows_changed(session: Session, statement: Executable) -> int:
    """Run an UPDATE or DELETE; how many rows it changed (a conditional one: whether it won)."""
    result = cast(CursorResult[Any], session.execute(statement))
    return int(result.rowcount or 0)


def get_session() -> Session:
    """The session of the current app context (a request, a CLI command), opened on first use.

    Views and commands commit it; services only add and flush. It is closed when the app
    context ends: anything not committed is rolled back, and a transaction that only read
    is committed (``_close_session``).
    """
    if "db_session" not in g:
        g.db_session = database().sessions()
    session: Session = g.db_session
    return session


_WROTE = "lms_wrote"
"""In a connection's ``info``: whether its transaction has run a statement that may write."""
_CONNECTION = "lms_connection"
"""In a session's ``info``: the connection of its transaction, while one is open."""
_READ_ONLY = re.compile(r"\s*SELECT\b", re.IGNORECASE)
_ROW_LOCK = re.compile(r"\bFOR (?:NO KEY UPDATE|UPDATE|KEY SHARE|SHARE)\b", re.IGNORECASE)


def _watch_writes(session: Session, _transaction: Any, connection: Connection) -> None:
    connection.info[_WROTE] = False
    session.info[_CONNECTION] = connection


def _forget_connection(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:
        session.info.pop(_CONNECTION, None)


def _note_writes(connection: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
    # Anything but a plain SELECT counts: a SAVEPOINT, a WITH that may hold an INSERT, a
    # SELECT that locks rows (to be released at once by run_in_transaction's commit). When
    # in doubt, the transaction is committed, or rolled back, as before.
    if not _READ_ONLY.match(statement) or _ROW_LOCK.search(statement):
        connection.info[_WROTE] = True


def _only_read(session: Session) -> bool:
    """Whether the session's transaction, if any, has run SELECTs only, with no change
    pending."""
    if session.new or session.dirty or session.deleted:
        return False
    connection: Connection | None = session.info.get(_CONNECTION)
    return connection is None or not connection.info.get(_WROTE, True)


def _close_session(exc: BaseException | None) -> None:
    session: Session | None = g.pop("db_session", None)
    if session is None:
        return
    try:
        if exc is None and _only_read(session):
            # Ending a transaction that only read is the same either way, but psycopg forgets
            # its prepared statements at each rollback: a page would pay for planning its
            # queries again on every request (1.3 ms for the header's unread count, instead
            # of 0.13 ms prepared).
            session.commit()
    except SQLAlchemyError:
        pass  # nothing was written; close() below gives the connection back either way
    finally:
        session.close()


T = TypeVar("T")

WRITE_TRIES = 8
"""How often a write that lost a race is run: enough for the winner's few milliseconds."""
FIRST_PAUSE = 0.005
"""Seconds before the second try, doubled before each further one: 0.6 s in all at most."""


def run_in_transaction(work: Callable[[Session], T]) -> T:
    """Run ``work`` on the current session and commit what it wrote; run it again if another
    request wrote first. Views whose writes may race (quiz attempts, completing a course, a page
    that records the learner's place) use it.

    Two tabs can submit the same attempt, or complete a course, at the same instant.
    PostgreSQL may then report a serialization failure, and SQLite refuses a page's write
    whose snapshot predates another's commit (see ``_takes_write_lock``). Run again on a
    fresh snapshot once the first has committed, the rules see its write: a start resumes
    the attempt it created, a second submission is refused as already submitted.
    """
    session = get_session()
    tries = 1
    while True:
        try:
            result = work(session)
            if not _only_read(session):
                # One that only read (a page whose place was recorded already) stays open
                # for the page's further reads: on PostgreSQL, a commit and a new transaction
                # would cost three round trips (COMMIT, the pool's ping, BEGIN).
                session.commit()
        except OperationalError as error:
            session.rollback()
            if tries >= WRITE_TRIES or not _lost_a_race(error):
                raise
            # On SQLite the next try holds the write lock from its start: it cannot lose.
            g.setdefault(_WRITE_LOCK_KEY, True)
            time.sleep(FIRST_PAUSE * 2 ** (tries - 1))
            tries += 1
        except BaseException:
            session.rollback()
            raise
        else:
            return result


_SQLITE_BUSY_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
_POSTGRESQL_RACE_STATES = frozenset({"40001", "40P01"})
"""Serialization failure and deadlock detected: "run the transaction again"."""


def _lost_a_race(error: OperationalError) -> bool:
    """Whether the database refused a write only because another transaction wrote first."""
    original = error.orig
    sqlite_code = getattr(original, "sqlite_errorcode", None)
    if isinstance(sqlite_code, int):
        # Extended codes (SQLITE_BUSY_SNAPSHOT) keep the primary code in their low byte.
        return sqlite_code & 0xFF in _SQLITE_BUSY_CODES
    state = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    return state in _POSTGRESQL_RACE_STATES


def contains_pattern(text: str) -> str:
    """A LIKE pattern (escaped with a backslash) for values containing ``text`` literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
