"""The live catalogue picks up edits, re-reads only what changed, and keeps good versions."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from lms.content import CatalogStore
from tests.unit.content.conftest import (
    COURSE_YAML,
    QUIZ_YAML,
    MakeRoot,
    record_course_reads,
    write_files,
)


def touch_later(path: Path) -> None:
    """Move the file's mtime forward so a same-size edit is seen even on coarse clocks."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def add_course(root: Path, course_id: str) -> None:
    write_files(
        root,
        {
            f"courses/{course_id}/course.yaml": COURSE_YAML.replace("id: demo", f"id: {course_id}"),
            f"courses/{course_id}/welcome.md": "---\ntitle: Welcome\n---\nHello.\n",
            f"courses/{course_id}/welcome.fr.md": "---\ntitle: Bienvenue\n---\nBonjour.\n",
            f"courses/{course_id}/final.quiz.yaml": QUIZ_YAML,
        },
    )


def test_an_edit_is_picked_up_on_refresh(make_root: MakeRoot) -> None:
    root = make_root()
    store = CatalogStore(root)
    assert store.refresh() is False
    lesson = root / "courses/demo/welcome.md"
    lesson.write_text("---\ntitle: Welcome back\n---\nNew text.\n", encoding="utf-8")
    touch_later(lesson)
    assert store.refresh() is True
    assert store.catalog.courses["demo"].lessons["welcome"].title.get("en") == "Welcome back"


def test_only_changed_courses_are_read_again(
    make_root: MakeRoot, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_root()
    add_course(root, "second")
    store = CatalogStore(root)
    untouched = store.catalog.courses["second"]
    read = record_course_reads(monkeypatch)
    lesson = root / "courses/demo/welcome.md"
    lesson.write_text("---\ntitle: Changed\n---\nChanged.\n", encoding="utf-8")
    touch_later(lesson)
    store.refresh()
    assert read == [store.root / "courses/demo"]
    assert store.catalog.courses["second"] is untouched


def test_an_edit_with_errors_keeps_the_last_good_version(
    make_root: MakeRoot, caplog: pytest.LogCaptureFixture
) -> None:
    root = make_root()
    store = CatalogStore(root)
    good = store.catalog.courses["demo"]
    quiz = root / "courses/demo/final.quiz.yaml"
    quiz.write_text(QUIZ_YAML.replace("pass_mark: 80", "pass_mark: 800"), encoding="utf-8")
    touch_later(quiz)
    with caplog.at_level(logging.ERROR, logger="lms.content.store"):
        assert store.refresh() is True
    assert store.catalog.courses["demo"] is good
    assert any("'pass_mark' must be between 0 and 100" in r.getMessage() for r in caplog.records)
    assert any(p.is_error for p in store.problems)


def test_at_start_a_course_with_errors_is_left_out_and_logged(
    make_root: MakeRoot, caplog: pytest.LogCaptureFixture
) -> None:
    root = make_root({"courses/demo/welcome.fr.md": None})
    add_course(root, "second")
    with caplog.at_level(logging.ERROR, logger="lms.content.store"):
        store = CatalogStore(root)
    assert list(store.catalog.courses) == ["second"]
    assert any("has no French text" in r.getMessage() for r in caplog.records)


def test_a_fixed_course_joins_the_catalogue(make_root: MakeRoot) -> None:
    root = make_root({"courses/demo/welcome.fr.md": None})
    store = CatalogStore(root)
    assert "demo" not in store.catalog.courses
    write_files(root, {"courses/demo/welcome.fr.md": "---\ntitle: Bienvenue\n---\nBonjour.\n"})
    assert store.refresh() is True
    assert "demo" in store.catalog.courses


def test_new_and_removed_course_folders(make_root: MakeRoot) -> None:
    root = make_root()
    store = CatalogStore(root)
    add_course(root, "second")
    assert store.refresh() is True
    assert set(store.catalog.courses) == {"demo", "second"}
    for path in sorted((root / "courses/second").rglob("*"), reverse=True):
        path.unlink()
    (root / "courses/second").rmdir()
    assert store.refresh() is True
    assert set(store.catalog.courses) == {"demo"}


def test_certificate_edits_are_picked_up(make_root: MakeRoot) -> None:
    root = make_root()
    store = CatalogStore(root)
    cert = root / "certificates/demo.yaml"
    cert.write_text(
        cert.read_text(encoding="utf-8").replace("Demo certificate", "Renamed"), encoding="utf-8"
    )
    touch_later(cert)
    assert store.refresh() is True
    assert store.catalog.certificates["demo"].title.get("en") == "Renamed"


def test_with_file_events_a_refresh_reads_only_what_changed(
    make_root: MakeRoot, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_root()
    add_course(root, "second")
    store = CatalogStore(root, watch=True)
    try:
        assert store.watching
        assert store.refresh() is False
        read = record_course_reads(monkeypatch)
        (root / "courses/second/welcome.md").write_text(
            "---\ntitle: Seen\n---\nBy an event.\n", encoding="utf-8"
        )
        assert store.wait_for_change(timeout=10)
        assert store.refresh() is True
        assert read == [store.root / "courses/second"]
        assert store.catalog.courses["second"].lessons["welcome"].title.get("en") == "Seen"
    finally:
        store.close()


def test_after_a_fork_a_store_watches_anew_and_first_compares_every_file(
    make_root: MakeRoot, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_root()
    add_course(root, "second")
    store = CatalogStore(root, watch=True)
    try:
        # An edit the new process's watcher cannot have seen: made before it started.
        (root / "courses/second/welcome.md").write_text(
            "---\ntitle: Before\n---\nMissed by events.\n", encoding="utf-8"
        )
        store.after_fork()
        assert store.watching
        read = record_course_reads(monkeypatch)
        assert store.refresh() is True
        assert read == [store.root / "courses/second"]
        assert store.catalog.courses["second"].lessons["welcome"].title.get("en") == "Before"
        # Then file events again, from this process's own watcher.
        (root / "courses/second/welcome.md").write_text(
            "---\ntitle: After\n---\nSeen by an event.\n", encoding="utf-8"
        )
        assert store.wait_for_change(timeout=10)
        assert store.refresh() is True
        assert store.catalog.courses["second"].lessons["welcome"].title.get("en") == "After"
    finally:
        store.close()
