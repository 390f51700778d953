"""A small valid content root that each test bends to show one problem."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from lms.content import ContentLoad, load_content
from lms.content import parsed as parsed_module
from lms.content.courses import CourseLoad, LessonCache

COURSE_YAML = """\
id: demo
title: {en: "Demo course", fr: "Cours démo"}
summary: {en: "A small course.", fr: "Un petit cours."}
languages: [en, fr]
estimated_minutes: 20
prerequisites: []
outline:
  - section: {en: "Start", fr: "Début"}
    items: [welcome, final.quiz]
"""

WELCOME_EN = """\
---
title: Welcome
minutes: 5
---
# Hello

::: note
Partnership starts here.
:::
"""

WELCOME_FR = """\
---
title: Bienvenue
minutes: 5
---
# Bonjour

::: note
Le partenariat commence ici.
:::
"""

QUIZ_YAML = """\
title: {en: "Final quiz", fr: "Questionnaire final"}
pass_mark: 80
max_attempts: 3
questions:
  - id: pick-one
    type: single
    prompt: {en: "Pick one", fr: "Choisissez"}
    choices:
      - text: {en: "Right", fr: "Juste"}
        correct: true
      - text: {en: "Wrong", fr: "Faux"}
        feedback: {en: "No.", fr: "Non."}
  - id: is-true
    type: true_false
    prompt: {en: "True?", fr: "Vrai?"}
    answer: true
"""

CERTIFICATE_YAML = """\
id: demo
title: {en: "Demo certificate", fr: "Certificat démo"}
requires: [demo]
statement: {en: "has completed the demo", fr: "a complété la démo"}
issuer: {name: "Parcours", url: "https://example.org"}
"""

BASE_FILES = {
    "courses/demo/course.yaml": COURSE_YAML,
    "courses/demo/welcome.md": WELCOME_EN,
    "courses/demo/welcome.fr.md": WELCOME_FR,
    "courses/demo/final.quiz.yaml": QUIZ_YAML,
    "certificates/demo.yaml": CERTIFICATE_YAML,
}

MakeRoot = Callable[..., Path]


def write_files(root: Path, files: dict[str, str | bytes | None]) -> None:
    for relative, content in files.items():
        path = root / relative
        if content is None:
            path.unlink(missing_ok=True)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")


@pytest.fixture
def make_root(tmp_path: Path) -> MakeRoot:
    """The base content root with some files replaced (``None`` removes a file)."""

    def make(files: dict[str, str | bytes | None] | None = None) -> Path:
        write_files(tmp_path, {**BASE_FILES, **(files or {})})
        return tmp_path

    return make


def messages(load: ContentLoad, root: Path) -> list[str]:
    return [problem.format(relative_to=root) for problem in load.problems]


@pytest.fixture
def check(make_root: MakeRoot) -> Callable[..., list[str]]:
    """Load the base root with replaced files and return its problems as editors see them."""

    def run(files: dict[str, str | bytes | None] | None = None) -> list[str]:
        root = make_root(files)
        return messages(load_content(root), root)

    return run


def record_course_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The folders the store reads from now on."""
    read: list[Path] = []
    real = parsed_module.load_course

    def load_course(folder: Path, cache: LessonCache | None = None) -> CourseLoad:
        read.append(folder)
        return real(folder, cache)

    monkeypatch.setattr(parsed_module, "load_course", load_course)
    return read
