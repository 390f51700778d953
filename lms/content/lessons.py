"""Lesson files: YAML front matter, then Markdown."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lms.content.files import read_text
from lms.content.markdown import MarkdownRenderer
from lms.content.model import SUPPORTED_LANGUAGES
from lms.content.typography import french_spaces
from lms.content.yamlnodes import Node, Reader, Report, compose

_FENCE = "---"


@dataclass(frozen=True)
class LessonObjective:
    """An objective as one language's file gives it: its id, its text, and its line."""

    id: str
    text: str
    line: int


@dataclass(frozen=True)
class LessonText:
    """One language's version of a lesson."""

    title: str
    minutes: int | None
    html: str
    objectives: tuple[LessonObjective, ...] = ()


def read_lesson(
    path: Path, language: str, renderer: MarkdownRenderer, report: Report
) -> LessonText | None:
    text = read_text(path, report)
    if text is None:
        return None
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != _FENCE:
        report.error(
            (1, 1),
            "a lesson must start with front matter: a '---' line, then "
            "'title: ...', then a closing '---' line",
        )
        return None
    closing = next((i for i in range(1, len(lines)) if lines[i].rstrip() in (_FENCE, "...")), None)
    if closing is None:
        report.error((1, 1), "the front matter is not closed: add a '---' line after it")
        return None
    front = _read_front_matter("\n".join(lines[1:closing]), path, language, report)
    body = "\n".join(lines[closing + 1 :])
    html = renderer.block(body, language, report, first_line=closing + 2)
    if front.title is None:
        return None
    return LessonText(front.title, front.minutes, html, front.objectives)


@dataclass(frozen=True)
class _FrontMatter:
    title: str | None
    minutes: int | None
    objectives: tuple[LessonObjective, ...]


def _read_front_matter(text: str, path: Path, language: str, report: Report) -> _FrontMatter:
    # The front matter's first line is the file's second: its own report counts from there.
    front = Report(path, line_offset=1)
    node = compose(text, front) if text.strip() else None
    if node is None and not front.problems:
        front.error((2, None), "the front matter needs 'title'")
    title = minutes = None
    objectives: tuple[LessonObjective, ...] = ()
    if node is not None:
        reader = Reader(front)
        values = reader.mapping(
            node, "front matter", required=["title"], optional=["minutes", "objectives"]
        )
        if values is not None:
            if "title" in values:
                title = reader.text(values["title"], "'title'")
                title = french_spaces(title) if title and language == "fr" else title
            if "minutes" in values:
                minutes = reader.integer(values["minutes"], "'minutes'", minimum=0)
            if "objectives" in values:
                objectives = _read_objectives(values["objectives"], language, reader, front)
    report.problems.extend(front.problems)
    return _FrontMatter(title, minutes, objectives)


def _read_objectives(
    node: Node, language: str, reader: Reader, report: Report
) -> tuple[LessonObjective, ...]:
    """``objectives:``, a list of ``{id: ..., en: "...", fr: "..."}``: each needs its text in
    the file's own language (the others' are read from their own files)."""
    found: dict[str, LessonObjective] = {}
    for item in reader.sequence(node, "'objectives'") or []:
        values = reader.mapping(item, "objective", required=["id"], optional=SUPPORTED_LANGUAGES)
        if values is None or "id" not in values:
            continue
        objective_id = reader.identifier(values["id"], "objective id")
        if objective_id is None:
            continue
        if objective_id in found:
            report.error(values["id"], f"duplicate objective id '{objective_id}'")
            continue
        if language not in values:
            report.error(item, f"objective '{objective_id}' needs its text in '{language}'")
            continue
        text = reader.text(values[language], f"objective '{objective_id}'")
        if text is not None:
            # Plain text, not Markdown: French typography is put in here, as for the title.
            text = french_spaces(text) if language == "fr" else text
            line = report.place_of(item)[0]
            found[objective_id] = LessonObjective(objective_id, text, line)
    return tuple(found.values())
