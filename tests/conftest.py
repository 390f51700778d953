"""Fixtures shared by the test tiers."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.databases import SERVER_URL, Databases, close_postgres_server
from tests.support.smtp import Mailbox, running_mailbox

# Python looks for reference cycles whenever 700 more objects were made than freed; a web test
# (an app, a database, pages) makes that many over and over, and those passes took about a
# sixth of the web tests' time. Every 10,000 instead.
gc.set_threshold(10_000, 10, 10)


def pytest_collection_finish(session: pytest.Session) -> None:
    """What collection made (modules, tests) lives to the end: the collector skips it."""
    gc.collect()
    gc.freeze()


def pytest_report_header() -> str:
    return f"test databases: {'PostgreSQL (LMS_TEST_DATABASE_URL)' if SERVER_URL else 'SQLite'}"


LONGEST_MODULE = "test_hostile_input.py"
"""Minutes of generated requests: under ``--dist loadscope`` modules go to the workers in
their order, and this one, collected near the end, ran alone at the end of every suite."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest module first (``LONGEST_MODULE``), and
    ``@pytest.mark.sqlite_only(reason)``: skipped when the tests run on PostgreSQL."""
    items.sort(key=lambda item: item.path.name != LONGEST_MODULE)  # stable: order kept
    if SERVER_URL is None:
        return
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            reason = marker.args[0] if marker.args else "SQLite only"
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {reason}"))


@pytest.fixture(scope="session", autouse=True)
def _postgres_server() -> Iterator[None]:
    """With LMS_TEST_DATABASE_URL, its schema template is dropped when the run ends."""
    yield
    close_postgres_server()


@pytest.fixture
def databases(tmp_path: Path) -> Iterator[Databases]:
    """The test's databases by name: SQLite files in tmp_path, or fresh PostgreSQL databases
    (LMS_TEST_DATABASE_URL), dropped afterwards. ``databases.url("race")`` twice: the same."""
    found = Databases(tmp_path)
    yield found
    found.close()


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    """A real SMTP server on a free local port; ``mailbox.messages`` holds what it received.

    Give an app ``mailbox.settings`` to make it send there (web and browser tiers alike).
    """
    with running_mailbox() as box:
        yield box
