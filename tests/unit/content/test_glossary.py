"""The glossary: one term per concept, a warning wherever a course file uses a variant."""

from __future__ import annotations

from pathlib import Path

from lms.content.glossary import GLOSSARY_FILE, glossary_problems, read_glossary
from lms.content.yamlnodes import Report

GLOSSARY = """\
- use: {fr: "participation symbolique", en: "tokenism"}
  avoid: {fr: ["participation de façade", "tokénisme"]}
"""


def found(tmp_path: Path, files: dict[str, str]) -> list[str]:
    courses = tmp_path / "courses"
    (courses / "demo").mkdir(parents=True)
    (courses / GLOSSARY_FILE).write_text(GLOSSARY, encoding="utf-8")
    for name, text in files.items():
        (courses / "demo" / name).write_text(text, encoding="utf-8")
    report = Report(courses / GLOSSARY_FILE)
    variants = read_glossary(courses, report)
    assert report.problems == []
    return [p.format() for p in glossary_problems(courses, variants)]


def test_a_variant_in_a_french_lesson_is_a_warning_at_its_place(tmp_path: Path) -> None:
    problems = found(
        tmp_path,
        {
            "intro.fr.md": "---\ntitle: T\n---\nÉvitez la Participation de façade.\n",
            "intro.md": "---\ntitle: T\n---\nThe tokénisme word is French only.\n",
        },
    )
    assert len(problems) == 1
    assert problems[0].endswith(
        "courses/demo/intro.fr.md:4:11: warning: « Participation de façade »: the glossary "
        "uses « participation symbolique »"
    )


def test_quiz_texts_are_checked_in_their_own_language_over_several_lines(tmp_path: Path) -> None:
    quiz = (
        "questions:\n"
        "  - id: q\n"
        '    prompt: {en: "Tokenism?", fr: "Un tokénisme?"}\n'
        "    explanation:\n"
        "      fr: >-\n"
        "        Voilà de la participation\n"
        "        de façade, et du tokénisme.\n"
        "      en: >-\n"
        "        No tokénisme here either.\n"
    )
    problems = found(tmp_path, {"final.quiz.yaml": quiz})
    # Not the English line, and (a limit of a check by line) not a variant split over two.
    assert [p.split(": warning: ")[0].rsplit(":", 2)[-2:] for p in problems] == [
        ["3", "39"],
        ["7", "26"],
    ]
