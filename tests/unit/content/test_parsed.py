"""Course reads kept by content hash: a second start reads nothing and equals a cold one."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest

from lms.content import CatalogStore, ContentLoad, load_content
from lms.content import parsed as parsed_module
from lms.content.courses import CourseLoad
from tests.unit.content.conftest import (
    COURSE_YAML,
    QUIZ_YAML,
    MakeRoot,
    record_course_reads,
    write_files,
)

LESSON = "courses/demo/welcome.md"


@pytest.fixture
def instance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("instance")


def same(one: ContentLoad, other: ContentLoad) -> None:
    assert dict(one.catalog.courses) == dict(other.catalog.courses)
    assert dict(one.catalog.certificates) == dict(other.catalog.certificates)
    assert one.problems == other.problems


def with_a_warning(root: Path) -> None:
    # A warning and a second course, so that problems and several folders are compared too.
    write_files(root, {"courses/demo/extra.md": "---\ntitle: Extra\n---\nNot listed.\n"})
    write_files(
        root,
        {
            "courses/second/course.yaml": COURSE_YAML.replace("id: demo", "id: second"),
            "courses/second/welcome.md": "---\ntitle: Welcome\n---\n[Missing](nowhere.md)\n",
            "courses/second/welcome.fr.md": "---\ntitle: Bienvenue\n---\nBonjour.\n",
            "courses/second/final.quiz.yaml": QUIZ_YAML,
        },
    )


def test_a_second_start_reads_no_folder_and_equals_a_cold_one(
    make_root: MakeRoot, instance: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_root()
    with_a_warning(root)
    cold = load_content(root)
    CatalogStore(root, cache_dir=instance)
    read = record_course_reads(monkeypatch)

    warm = CatalogStore(root, cache_dir=instance)

    assert read == []
    same(warm.content, cold)
    assert warm.catalog.courses["demo"].folder == warm.root / "courses/demo"
    assert any(p.is_error for p in warm.problems)


def test_an_edit_keeping_size_and_time_is_read_afresh(
    make_root: MakeRoot, instance: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_root()
    CatalogStore(root, cache_dir=instance)
    lesson = root / LESSON
    before = lesson.stat()
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.replace("# Hello", "# Howdy"), encoding="utf-8")
    os.utime(lesson, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert lesson.stat().st_size == before.st_size
    read = record_course_reads(monkeypatch)

    warm = CatalogStore(root, cache_dir=instance)

    assert read == [warm.root / "courses/demo"]
    assert "Howdy" in warm.catalog.courses["demo"].lessons["welcome"].html.get("en")


def test_a_read_kept_by_other_code_is_not_used(
    make_root: MakeRoot, instance: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_root()
    CatalogStore(root, cache_dir=instance)
    monkeypatch.setattr(parsed_module, "code_version", lambda: "another version of the code")
    read = record_course_reads(monkeypatch)

    CatalogStore(root, cache_dir=instance)

    assert read == [root.resolve() / "courses/demo"]


@pytest.mark.parametrize("damage", ["garbage", "truncated", "folder"])
def test_a_damaged_or_unreadable_kept_read_is_ignored(
    make_root: MakeRoot, instance: Path, damage: str, caplog: pytest.LogCaptureFixture
) -> None:
    root = make_root()
    with_a_warning(root)
    cold = load_content(root)
    CatalogStore(root, cache_dir=instance)
    for kept in (instance / "parsed").iterdir():
        if damage == "folder":
            kept.unlink()
            kept.mkdir()
        else:
            text = kept.read_text(encoding="utf-8")
            kept.write_text("{not json" if damage == "garbage" else text[: len(text) // 2])

    with caplog.at_level(logging.WARNING, logger="lms.content.parsed"):
        warm = CatalogStore(root, cache_dir=instance)

    same(warm.content, cold)
    assert caplog.records


def test_reading_in_worker_processes_equals_reading_in_one(
    make_root: MakeRoot, monkeypatch: pytest.MonkeyPatch, instance: Path
) -> None:
    root = make_root()
    with_a_warning(root)
    alone = load_content(root)
    monkeypatch.setattr(parsed_module, "PARALLEL_FROM", 2)
    monkeypatch.setattr(parsed_module, "_cores", lambda: 2)
    forked: list[int] = []
    real = parsed_module._read_in_workers

    def spy(folders: list[Path], workers: int, *, keep: bool) -> list[tuple[CourseLoad, str]]:
        forked.append(workers)
        return real(folders, workers, keep=keep)

    monkeypatch.setattr(parsed_module, "_read_in_workers", spy)

    side_by_side = load_content(root, cache_dir=instance)

    assert forked == [2]
    same(side_by_side, alone)
    assert len(list((instance / "parsed").iterdir())) == 2
