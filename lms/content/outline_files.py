"""A course's outline checked against the lesson and quiz files in its folder."""

from __future__ import annotations

import re
from pathlib import Path

from lms.content.coursefile import CourseHeader
from lms.content.model import ItemKind, OutlineItem, Section
from lms.content.yamlnodes import Node, Report, language_name, suggest

QUIZ_SUFFIX = ".quiz"
_LESSON_FILE = re.compile(r"(?P<stem>[^/.]+)(?:\.(?P<language>[a-z]{2}))?\.md")
_ITEM_KEY = re.compile(r"[A-Za-z0-9_-]+(?:\.quiz)?")


def read_outline(
    header: CourseHeader,
    lesson_files: dict[str, dict[str, Path]],
    quiz_files: dict[str, Path],
    report: Report,
) -> tuple[Section, ...]:
    """The sections with their valid items; each invalid one is reported."""
    seen: dict[str, Node] = {}
    sections: list[Section] = []
    for title, entries in header.sections:
        items: list[OutlineItem] = []
        for key, node in entries:
            item = _outline_item(key, node, header.languages, lesson_files, quiz_files, report)
            if key in seen:
                first = report.place_of(seen[key])[0]
                report.error(node, f"outline item '{key}' is listed twice (first on line {first})")
                item = None
            seen.setdefault(key, node)
            if item is not None:
                items.append(item)
        if title is not None:
            sections.append(Section(title, tuple(items)))
    return tuple(sections)


def _outline_item(
    key: str,
    node: Node,
    languages: tuple[str, ...],
    lesson_files: dict[str, dict[str, Path]],
    quiz_files: dict[str, Path],
    report: Report,
) -> OutlineItem | None:
    if not _ITEM_KEY.fullmatch(key):
        report.error(
            node,
            f"outline item '{key}' is not a file stem: use letters, digits, '-' or '_' "
            "(and '.quiz' for a quiz)",
        )
        return None
    items = [*lesson_files, *(stem + QUIZ_SUFFIX for stem in quiz_files)]
    if key.endswith(QUIZ_SUFFIX):
        stem = key.removesuffix(QUIZ_SUFFIX)
        if stem not in quiz_files:
            report.error(
                node, f"outline item '{key}' has no file ('{stem}.quiz.yaml'){suggest(key, items)}"
            )
            return None
        return OutlineItem(key, ItemKind.QUIZ, stem)
    variants = lesson_files.get(key, {})
    if not variants:
        report.error(node, f"outline item '{key}' has no file ('{key}.md'){suggest(key, items)}")
        return None
    missing = [lang for lang in languages if lang not in variants]
    for language in missing:
        name = _lesson_name(key, language, languages)
        report.error(
            node, f"lesson '{key}' has no {language_name(language)} text (missing '{name}')"
        )
    return None if missing else OutlineItem(key, ItemKind.LESSON, key)


def warn_unused_files(
    header: CourseHeader,
    lesson_files: dict[str, dict[str, Path]],
    quiz_files: dict[str, Path],
    report: Report,
) -> None:
    listed = {key for _, entries in header.sections for key, _ in entries}
    for stem, variants in lesson_files.items():
        if stem not in listed:
            report.warning(header.outline_place, f"lesson '{stem}' is not in the outline")
            continue
        for language, path in variants.items():
            if language.startswith("."):
                reason = f"the {language_name(language[1:])} text goes in '{stem}.md'"
            elif language not in header.languages:
                reason = f"'{language}' is not one of the course's languages"
            else:
                continue
            report.warning(header.outline_place, f"'{path.name}' is ignored: {reason}")
    for stem in quiz_files:
        if stem + QUIZ_SUFFIX not in listed:
            report.warning(header.outline_place, f"quiz '{stem}' is not in the outline")


def find_lesson_files(folder: Path, default_language: str) -> dict[str, dict[str, Path]]:
    """Lesson stem to its files by language (the bare file is the default language's).

    A ``.LANG.md`` file for the default language is kept under ``.LANG`` so that it is
    reported as ignored rather than silently replacing the bare file.
    """
    found: dict[str, dict[str, Path]] = {}
    for path in sorted(folder.glob("*.md")):
        match = _LESSON_FILE.fullmatch(path.name)
        if not match:
            continue
        language = match["language"] or default_language
        if match["language"] == default_language:
            language = f".{language}"
        found.setdefault(match["stem"], {})[language] = path
    return found


def _lesson_name(stem: str, language: str, languages: tuple[str, ...]) -> str:
    return f"{stem}.md" if language == languages[0] else f"{stem}.{language}.md"


def lesson_link_keys(
    header: CourseHeader, lesson_files: dict[str, dict[str, Path]]
) -> dict[str, str]:
    """Lesson file name to outline key, for every lesson the outline lists (valid or not, so
    that a link to a lesson with an error of its own is not reported as a second error)."""
    languages = header.languages
    keys = {}
    for _title, entries in header.sections:
        for key, _node in entries:
            if key in lesson_files:
                for language in languages:
                    keys[_lesson_name(key, language, languages)] = key
    return keys
