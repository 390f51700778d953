"""Lesson files: YAML front matter, then Markdown."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lms.content.files import read_text
from lms.content.markdown import MarkdownRenderer
from lms.content.yamlnodes import Reader, Report, compose

_FENCE = "---"


@dataclass(frozen=True)
class LessonText:
    """One language's version of a lesson."""

    title: str
    minutes: int | None
    html: str


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
    title, minutes = _read_front_matter("\n".join(lines[1:closing]), path, report)
    body = "\n".join(lines[closing + 1 :])
    html = renderer.block(body, language, report, first_line=closing + 2)
    if title is None:
        return None
    return LessonText(title=title, minutes=minutes, html=html)


def _read_front_matter(text: str, path: Path, report: Report) -> tuple[str | None, int | None]:
    # The front matter's first line is the file's second: its own report counts from there.
    front = Report(path, line_offset=1)
    node = compose(text, front) if text.strip() else None
    if node is None and not front.problems:
        front.error((2, None), "the front matter needs 'title'")
    title = minutes = None
    if node is not None:
        reader = Reader(front)
        values = reader.mapping(node, "front matter", required=["title"], optional=["minutes"])
        if values is not None:
            if "title" in values:
                title = reader.text(values["title"], "'title'")
            if "minutes" in values:
                minutes = reader.integer(values["minutes"], "'minutes'", minimum=0)
    report.problems.extend(front.problems)
    return title, minutes
