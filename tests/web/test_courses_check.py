"""``lms courses check`` checks the content folder the author is in, and says which it checked."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from flask import Flask

from lms.cli import cli

from .conftest import FIXTURE_CONTENT

COURSE = "courses/partnership-essentials"
CERTIFICATE = "certificates/partnership-essentials.yaml"


@pytest.fixture(autouse=True)
def _own_instance_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The command keeps its reads there: not in the checkout's instance/."""
    monkeypatch.setenv("LMS_INSTANCE_DIR", str(tmp_path / "instance"))


@pytest.fixture
def author_copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    course_yaml = root / COURSE / "course.yaml"
    course_yaml.write_text(
        course_yaml.read_text(encoding="utf-8").replace("estimated_minutes: 25", "estimated: 25"),
        encoding="utf-8",
    )
    return root


def test_check_in_a_content_folder_checks_that_folder_and_says_so(
    app: Flask, author_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The configured root is valid: checking it instead would be a false all-clear.
    monkeypatch.setenv("LMS_CONTENT_DIR", str(FIXTURE_CONTENT))
    monkeypatch.chdir(author_copy)

    result = app.test_cli_runner().invoke(cli, ["courses", "check"])

    assert result.exit_code == 1, result.output
    assert f"Checking {author_copy.resolve()} (the content folder you are in)." in result.stderr
    assert f"{COURSE}/course.yaml:" in result.stdout
    assert "unknown key 'estimated'" in result.stdout


def test_check_in_a_course_folder_checks_its_content_root(
    app: Flask, author_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(author_copy / COURSE)

    result = app.test_cli_runner().invoke(cli, ["courses", "check"])

    assert result.exit_code == 1, result.output
    assert f"Checking {author_copy.resolve()} " in result.stderr
    # Paths as seen from where the author stands, so that an editor opens them.
    assert result.stdout.startswith("course.yaml:")


def test_check_elsewhere_checks_the_configured_root_and_says_so(
    app: Flask, author_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LMS_CONTENT_DIR", str(author_copy))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)

    result = app.test_cli_runner().invoke(cli, ["courses", "check"])

    assert result.exit_code == 1, result.output
    assert (
        f"Checking {author_copy.resolve()} (the configured content root, LMS_CONTENT_DIR)."
        in result.stderr
    )
    assert f"../content/{COURSE}/course.yaml:" in result.stdout


def test_check_suggests_the_id_meant_and_tells_certificate_errors_with_the_others(
    app: Flask, author_copy: Path
) -> None:
    certificate = author_copy / CERTIFICATE
    certificate.write_text(
        certificate.read_text(encoding="utf-8").replace(
            "requires: [partnership-essentials]", "requires: [partnership-esentials]"
        ),
        encoding="utf-8",
    )

    result = app.test_cli_runner().invoke(cli, ["courses", "check", str(author_copy)])

    assert result.exit_code == 1, result.output
    assert f"Checking {author_copy.resolve()} (the folder given)." in result.stderr
    lines = result.stdout.splitlines()
    assert any(
        line.endswith(
            "error: unknown course 'partnership-esentials': no course has this id "
            "(did you mean 'partnership-essentials'?)"
        )
        for line in lines
    ), lines
    assert any("unknown key 'estimated'" in line for line in lines), lines


def test_a_second_check_reads_kept_folders_and_reports_the_same(
    app: Flask, author_copy: Path, tmp_path: Path
) -> None:
    runner = app.test_cli_runner()
    first = runner.invoke(cli, ["courses", "check", str(author_copy)])
    assert list((tmp_path / "instance/content/parsed").iterdir())

    second = runner.invoke(cli, ["courses", "check", str(author_copy)])

    assert (second.exit_code, second.stdout) == (first.exit_code, first.stdout)
    assert "unknown key 'estimated'" in second.stdout
