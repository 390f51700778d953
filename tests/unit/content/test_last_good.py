"""A course with errors is served in its last good version, after a restart too."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms.content import CatalogStore
from tests.unit.content.conftest import QUIZ_YAML, MakeRoot, write_files

BROKEN_QUIZ = {"courses/demo/final.quiz.yaml": QUIZ_YAML.replace("pass_mark: 80", "pass_mark: 800")}


@pytest.fixture
def instance(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("instance")


def test_after_a_restart_a_broken_course_is_served_as_it_last_was(
    make_root: MakeRoot, instance: Path
) -> None:
    root = make_root()
    good = CatalogStore(root, cache_dir=instance).catalog.courses["demo"]
    write_files(root, BROKEN_QUIZ)

    restarted = CatalogStore(root, cache_dir=instance)

    assert restarted.catalog.courses["demo"] == good
    assert restarted.catalog.courses["demo"].folder == restarted.root / "courses/demo"
    (stale,) = restarted.content.stale
    assert stale.course_id == "demo"
    assert stale.kept is not None
    assert stale.kept.course.version == good.version
    assert any("'pass_mark' must be between 0 and 100" in p.message for p in restarted.problems)


def test_without_a_cache_folder_a_broken_course_is_not_served_after_a_restart(
    make_root: MakeRoot,
) -> None:
    root = make_root()
    CatalogStore(root)
    write_files(root, BROKEN_QUIZ)

    restarted = CatalogStore(root)

    assert "demo" not in restarted.catalog.courses
    (stale,) = restarted.content.stale
    assert stale.kept is None


def test_the_kept_version_follows_the_last_good_edit(make_root: MakeRoot, instance: Path) -> None:
    root = make_root()
    store = CatalogStore(root, cache_dir=instance)
    write_files(root, {"courses/demo/welcome.md": "---\ntitle: Edited\n---\nEdited.\n"})
    store.refresh()
    edited = store.catalog.courses["demo"]
    write_files(root, BROKEN_QUIZ)

    restarted = CatalogStore(root, cache_dir=instance)

    assert restarted.catalog.courses["demo"] == edited
    assert restarted.catalog.courses["demo"].lessons["welcome"].title.get("en") == "Edited"
    assert [p.name for p in (instance / "last-good/demo").iterdir()] == [f"{edited.version}.json"]


def test_a_course_whose_id_cannot_be_read_is_found_by_its_folder(
    make_root: MakeRoot, instance: Path
) -> None:
    root = make_root()
    good = CatalogStore(root, cache_dir=instance).catalog.courses["demo"]
    write_files(root, {"courses/demo/course.yaml": "id: [demo\n"})

    assert CatalogStore(root, cache_dir=instance).catalog.courses["demo"] == good


@pytest.mark.parametrize(
    "damage",
    [b"{not json", b'{"format": 1, "read_at": "yesterday", "course": {}}', b"\xff\xfe", b""],
)
def test_a_damaged_kept_file_is_ignored(
    make_root: MakeRoot, instance: Path, damage: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    root = make_root()
    CatalogStore(root, cache_dir=instance)
    (kept,) = (instance / "last-good/demo").iterdir()
    kept.write_bytes(damage)
    write_files(root, BROKEN_QUIZ)

    restarted = CatalogStore(root, cache_dir=instance)

    assert "demo" not in restarted.catalog.courses
    assert any("ignoring the kept version" in r.getMessage() for r in caplog.records)


def test_an_unwritable_cache_folder_only_costs_the_keeping(
    make_root: MakeRoot, tmp_path_factory: pytest.TempPathFactory
) -> None:
    not_a_folder = tmp_path_factory.mktemp("instance") / "file"
    not_a_folder.write_text("in the way", encoding="utf-8")
    root = make_root()

    store = CatalogStore(root, cache_dir=not_a_folder)

    assert "demo" in store.catalog.courses
