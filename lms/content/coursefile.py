"""The ``course.yaml`` file: a course's metadata and the outline as written."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lms.content.model import SUPPORTED_LANGUAGES, Localized, Resource
from lms.content.typography import typeset
from lms.content.yamlnodes import Node, Place, Reader, Report

SHORT_TITLE_LENGTH = 30
"""A longer ``short_title`` still works, but crowds the tables it was meant to fit."""

RawSection = tuple[Localized | None, list[tuple[str, Node]]]
"""A section's title (None when invalid) and its items' texts with their nodes."""


@dataclass(frozen=True)
class CourseHeader:
    course_id: str | None
    id_place: Place | None
    title: Localized | None
    short_title: Localized | None
    """``short_title:`` as written; None when absent (the title stands in) or invalid."""
    summary: Localized
    languages: tuple[str, ...]
    estimated_minutes: int | None
    prerequisites: tuple[tuple[str, Place], ...]
    sections: list[RawSection]
    outline_place: Place
    order: tuple[int, Place] | None = None
    """The course's place in the catalogue's recommended order, where ``order:`` says."""
    reviewed: date | None = None
    """When its content was last reviewed (``reviewed:``), shown on the course page."""
    resources: tuple[tuple[Resource, Place], ...] = ()
    """``resources:`` as written, each with its place; files and lessons are checked later."""


def read_header(node: Node, report: Report) -> CourseHeader | None:
    """The header of a course, or None when ``course.yaml`` is not a mapping."""
    reader = Reader(report)
    values = reader.mapping(
        node,
        "course",
        required=["id", "title", "languages", "outline"],
        optional=[
            "short_title",
            "summary",
            "estimated_minutes",
            "prerequisites",
            "order",
            "reviewed",
            "resources",
        ],
    )
    if values is None:
        return None
    languages = _read_languages(values.get("languages"), reader) or SUPPORTED_LANGUAGES
    course_id = reader.identifier(values["id"], "course 'id'") if "id" in values else None
    title = (
        typeset(reader.localized(values["title"], "'title'", languages))
        if "title" in values
        else None
    )
    short_title = None
    if "short_title" in values:
        short_title = _read_short_title(values["short_title"], reader, languages)
    summary = Localized.plain("")
    if "summary" in values:
        summary = typeset(reader.localized(values["summary"], "'summary'", languages)) or summary
    minutes = None
    if "estimated_minutes" in values:
        minutes = reader.integer(values["estimated_minutes"], "'estimated_minutes'", minimum=0)
    prerequisites: list[tuple[str, Place]] = []
    if "prerequisites" in values:
        for item in reader.sequence(values["prerequisites"], "'prerequisites'") or []:
            prerequisite = reader.identifier(item, "prerequisite")
            if prerequisite is not None:
                prerequisites.append((prerequisite, report.place_of(item)))
    order = None
    if "order" in values:
        place = reader.integer(values["order"], "'order'", minimum=1)
        order = (place, report.place_of(values["order"])) if place is not None else None
    reviewed = reader.day(values["reviewed"], "'reviewed'") if "reviewed" in values else None
    resources = _read_resources(values["resources"], reader) if "resources" in values else ()
    outline_node = values.get("outline", node)
    return CourseHeader(
        course_id,
        report.place_of(values["id"]) if "id" in values else None,
        title,
        short_title,
        summary,
        languages,
        minutes,
        tuple(prerequisites),
        _read_sections(values.get("outline"), reader, languages),
        report.place_of(outline_node),
        order,
        reviewed,
        resources,
    )


RESOURCE_FORMATS = ("odt", "ods", "docx", "xlsx", "pdf", "txt", "csv")
"""Files learners can open with what they have: office documents, PDF, plain text."""


def _read_resources(node: Node, reader: Reader) -> tuple[tuple[Resource, Place], ...]:
    found = []
    for item in reader.sequence(node, "'resources'") or []:
        values = reader.mapping(
            item, "resource", required=["file", "title", "language"], optional=["lesson"]
        )
        if values is None or not {"file", "title", "language"} <= values.keys():
            continue
        file = reader.text(values["file"], "resource 'file'")
        language = reader.choice(values["language"], "resource 'language'", SUPPORTED_LANGUAGES)
        lesson = (
            reader.identifier(values["lesson"], "resource 'lesson'") if "lesson" in values else None
        )
        if file is None or language is None:
            continue
        title = typeset(reader.localized(values["title"], "resource 'title'", [language]))
        suffix = file.rsplit(".", 1)[-1].lower() if "." in file else ""
        if suffix not in RESOURCE_FORMATS:
            reader.report.error(
                values["file"],
                f"resource '{file}' must be one of: {', '.join(RESOURCE_FORMATS)} files",
            )
            continue
        if title is not None:
            resource = Resource(file, title, language, suffix.upper(), lesson)
            found.append((resource, reader.report.place_of(values["file"])))
    return tuple(found)


def _read_short_title(node: Node, reader: Reader, languages: tuple[str, ...]) -> Localized | None:
    short_title = typeset(reader.localized(node, "'short_title'", languages))
    for text in short_title.values.values() if short_title is not None else ():
        if len(text) > SHORT_TITLE_LENGTH:
            reader.report.warning(
                node,
                f"'short_title' '{text}' is longer than {SHORT_TITLE_LENGTH} characters: "
                "tables will be wide",
            )
    return short_title


def _read_languages(node: Node | None, reader: Reader) -> tuple[str, ...] | None:
    if node is None:
        return None
    items = reader.sequence(node, "'languages'")
    if items is None:
        return None
    if not items:
        reader.report.error(node, "'languages' must list at least one language")
    languages: list[str] = []
    for item in items:
        code = reader.choice(item, "language", SUPPORTED_LANGUAGES)
        if code in languages:
            reader.report.error(item, f"language '{code}' is listed twice")
        elif code is not None:
            languages.append(code)
    # The valid ones still serve to check translations; the bad ones were reported.
    return tuple(languages) or None


def _read_sections(
    node: Node | None, reader: Reader, languages: tuple[str, ...]
) -> list[RawSection]:
    if node is None:
        return []
    sections = []
    items = reader.sequence(node, "'outline'")
    if items is not None and not items:
        reader.report.error(node, "'outline' must list at least one section")
    for section_node in items or []:
        values = reader.mapping(section_node, "outline section", required=["section", "items"])
        if values is None:
            continue
        title = None
        if "section" in values:
            title = typeset(reader.localized(values["section"], "'section'", languages))
        entries = []
        item_nodes = reader.sequence(values["items"], "'items'") if "items" in values else None
        if item_nodes is not None and not item_nodes:
            reader.report.error(values["items"], "'items' must list at least one lesson or quiz")
        for item_node in item_nodes or []:
            key = reader.text(item_node, "outline item")
            if key is not None:
                entries.append((key, item_node))
        sections.append((title, entries))
    return sections
