"""Content engine figures: loading the shipped content and a generated large root."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from lms.content import CatalogStore, load_content

PROJECT = Path(__file__).resolve().parent.parent

PARAGRAPH = (
    "Patient partners bring knowledge from living with illness and using services. "
    "Teams that **plan together** from the start make better choices about outcomes, "
    "recruitment and how results are shared. See the [previous lesson](lesson-01.md).\n\n"
)


def _lesson(number: int, language: str) -> str:
    body = "".join(
        f"## Part {part}\n\n{PARAGRAPH * 3}- one point\n- another point\n\n" for part in range(1, 5)
    )
    table = "| Stage | Role |\n|---|---|\n| Design | Co-investigator |\n| Analysis | Reviewer |\n"
    return (
        f"---\ntitle: Lesson {number} ({language})\nminutes: 8\n---\n# Lesson {number}\n\n"
        f"::: note\nA call-out in lesson {number}.\n:::\n\n{body}{table}\n"
        "A fact with a source.[^1]\n\n[^1]: CIHR, 2019.\n"
    )


def _quiz(questions: int) -> str:
    lines = [
        'title: {en: "Final quiz", fr: "Questionnaire final"}',
        "pass_mark: 80",
        "max_attempts: 3",
        "shuffle: true",
        "draw: 8",
        "questions:",
    ]
    for number in range(questions):
        lines += [
            f"  - id: q{number}",
            "    type: single",
            '    prompt: {en: "Which **one**?", fr: "Lequel?"}',
            "    choices:",
            '      - {text: {en: "Right", fr: "Juste"}, correct: true}',
            '      - {text: {en: "Wrong", fr: "Faux"}, feedback: {en: "No", fr: "Non"}}',
            '    explanation: {en: "Because.", fr: "Parce que."}',
        ]
    return "\n".join(lines) + "\n"


def generate_root(root: Path, courses: int, lessons: int) -> None:
    for course in range(courses):
        folder = root / "courses" / f"course-{course:03d}"
        folder.mkdir(parents=True)
        stems = [f"lesson-{n:02d}" for n in range(1, lessons + 1)]
        outline = ", ".join(stems)
        (folder / "course.yaml").write_text(
            f"id: course-{course:03d}\n"
            f'title: {{en: "Course {course}", fr: "Cours {course}"}}\n'
            f'summary: {{en: "Summary", fr: "Résumé"}}\nlanguages: [en, fr]\n'
            f"outline:\n  - section: {{en: Lessons, fr: Leçons}}\n    items: [{outline}]\n"
            "  - section: {en: Quiz, fr: Questionnaire}\n    items: [final.quiz]\n",
            encoding="utf-8",
        )
        for number, stem in enumerate(stems, start=1):
            (folder / f"{stem}.md").write_text(_lesson(number, "en"), encoding="utf-8")
            (folder / f"{stem}.fr.md").write_text(_lesson(number, "fr"), encoding="utf-8")
        (folder / "final.quiz.yaml").write_text(_quiz(12), encoding="utf-8")
    (root / "certificates").mkdir()


def _timed(action: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return times


def _reload_after_one_edit(root: Path, repeat: int, *, watch: bool = False) -> list[float]:
    store = CatalogStore(root, watch=watch)
    lesson = root / "courses" / "course-000" / "lesson-01.md"
    times = []
    for round_number in range(repeat):
        lesson.write_text(_lesson(round_number, "en"), encoding="utf-8")
        stat = lesson.stat()
        os.utime(lesson, ns=(stat.st_atime_ns, stat.st_mtime_ns + (round_number + 1) * 10**9))
        if watch:
            assert store.wait_for_change(timeout=10), "no file event arrived"
        start = time.perf_counter()
        changed = store.refresh()
        times.append((time.perf_counter() - start) * 1000)
        assert changed, "the edit was not seen"
    store.close()
    return times


def _starts_and_checks(root: Path, scratch: Path) -> dict[str, float]:
    """A server's start with its instance folder kept from the last (no file changed), and
    ``lms courses check`` as an author runs it: a fresh process, first with nothing kept."""
    instance = scratch / "instance"
    CatalogStore(root, cache_dir=instance)
    unchanged = _timed(lambda: CatalogStore(root, cache_dir=instance), 5)
    checks = scratch / "check-instance"
    # The console script beside this interpreter: the one `make install` puts in .venv/bin.
    command = [str(Path(sys.executable).with_name("lms")), "courses", "check", str(root)]
    environment = {**os.environ, "LMS_INSTANCE_DIR": str(checks)}

    def check() -> None:
        subprocess.run(command, env=environment, capture_output=True, check=True)

    cold_check = _timed(check, 1)
    return {
        "catalog_start_ms_1000_lessons_unchanged": statistics.median(unchanged),
        "courses_check_ms_1000_lessons": cold_check[0],
        "courses_check_ms_1000_lessons_unchanged": statistics.median(_timed(check, 3)),
    }


def run() -> dict[str, float]:
    shipped = load_content(PROJECT)
    lessons_shipped = sum(len(c.lessons) for c in shipped.catalog.courses.values())
    figures: dict[str, float] = {
        "catalog_load_ms": statistics.median(_timed(lambda: load_content(PROJECT), 5)),
        "shipped_courses": len(shipped.catalog.courses),
        "shipped_lessons": lessons_shipped,
    }
    with tempfile.TemporaryDirectory() as scratch:
        small, large = Path(scratch, "small"), Path(scratch, "large")
        generate_root(small, courses=2, lessons=20)
        generate_root(large, courses=50, lessons=20)
        figures["catalog_load_ms_1000_lessons"] = statistics.median(
            _timed(lambda: load_content(large), 3)
        )
        figures.update(_starts_and_checks(large, Path(scratch)))
        figures["noop_refresh_ms_1000_lessons"] = statistics.median(
            _timed(CatalogStore(large).refresh, 20)
        )
        figures["reload_one_lesson_ms_40_lessons"] = statistics.median(
            _reload_after_one_edit(small, 10)
        )
        figures["reload_one_lesson_ms_1000_lessons"] = statistics.median(
            _reload_after_one_edit(large, 10)
        )
        figures["reload_one_lesson_ms_40_lessons_watch"] = statistics.median(
            _reload_after_one_edit(small, 10, watch=True)
        )
        figures["reload_one_lesson_ms_1000_lessons_watch"] = statistics.median(
            _reload_after_one_edit(large, 10, watch=True)
        )
        shutil.rmtree(large)
    return figures
