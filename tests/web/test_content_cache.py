"""A restarted server takes its course reads from its instance folder: the same pages, no
folder parsed again, and a damaged kept read only costs a parse."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from flask import Flask

from lms.catalog import catalog_store
from tests.unit.content.conftest import record_course_reads

from .conftest import FIXTURE_CONTENT, MakeApp

COURSE = "partnership-essentials"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    return root


def course_page(app: Flask) -> str:
    """The course's page, without the form tokens that differ from one request to the next."""
    page = app.test_client().get(f"/courses/{COURSE}").text
    return re.sub(r'name="csrf_token" value="[^"]*"', "", page)


def test_a_restart_parses_nothing_and_serves_the_same_pages(
    make_app: MakeApp, content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = make_app(content_dir=content)
    read = record_course_reads(monkeypatch)

    second = make_app(content_dir=content)

    assert read == []
    assert catalog_store(second).catalog.courses == catalog_store(first).catalog.courses
    assert course_page(second) == course_page(first)


def test_a_damaged_kept_read_is_parsed_again(
    make_app: MakeApp, content: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = make_app(content_dir=content)
    for kept in (tmp_path / "instance/content/parsed").iterdir():
        kept.write_bytes(b"\x00 not a read")
    read = record_course_reads(monkeypatch)

    second = make_app(content_dir=content)

    assert read == [content.resolve() / "courses" / COURSE]
    assert course_page(second) == course_page(first)
