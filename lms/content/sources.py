"""A course's ``sources.yaml``: the works its lessons cite with ``[@id]`` (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from markdown_it.common.utils import escapeHtml

from lms.content.files import read_text
from lms.content.model import SUPPORTED_LANGUAGES
from lms.content.yamlnodes import Node, Place, Reader, Report, compose

SOURCES_FILE = "sources.yaml"
UNDATED = "n.d."
"""``year: n.d.``: a living web page that shows no date, cited as it stood when accessed."""


@dataclass(frozen=True)
class Source:
    id: str
    authors: str
    title: str
    year: int | None = None
    undated: bool = False
    """``year: n.d.``: the work shows no date (then ``accessed`` says when it was read)."""
    container: str | None = None
    """The journal, or the publisher."""
    url: str | None = None
    accessed: date | None = None
    language: str | None = None


def read_sources(path: Path, report: Report) -> dict[str, tuple[Source, Place]]:
    """The sources of ``path`` by id, each with its place; none when the file is absent."""
    if not path.is_file():
        return {}
    text = read_text(path, report)
    node = compose(text, report) if text is not None else None
    if node is None:
        return {}
    reader, found = Reader(report), {}
    optional = ["year", "journal", "publisher", "url", "accessed", "language"]
    for item in reader.sequence(node, "the sources") or []:
        values = reader.mapping(
            item, "source", required=["id", "authors", "title"], optional=optional
        )
        if values is None or not {"id", "authors", "title"} <= values.keys():
            continue
        source_id = reader.identifier(values["id"], "source id")
        authors, title = (
            reader.text(values["authors"], "'authors'"),
            reader.text(values["title"], "'title'"),
        )
        if source_id is None or authors is None or title is None:
            continue
        if source_id in found:
            report.error(values["id"], f"duplicate source id '{source_id}'")
            continue
        year, undated = _year(values.get("year"), reader)
        container_node = values.get("journal", values.get("publisher"))
        source = Source(
            id=source_id,
            authors=authors,
            title=title,
            year=year,
            undated=undated,
            container=reader.text(container_node, "'journal'") if container_node else None,
            url=reader.text(values["url"], "'url'") if "url" in values else None,
            accessed=reader.day(values["accessed"], "'accessed'") if "accessed" in values else None,
            language=(
                reader.choice(values["language"], "'language'", SUPPORTED_LANGUAGES)
                if "language" in values
                else None
            ),
        )
        if source.url is not None and not source.url.startswith(("https://", "http://")):
            report.error(values["url"], f"source '{source_id}': 'url' must start with https://")
            continue
        _warn_if_incomplete(source, item, report)
        found[source_id] = (source, report.place_of(item))
    return found


def _year(node: Node | None, reader: Reader) -> tuple[int | None, bool]:
    """The year, or ``n.d.`` for a work that shows none."""
    if node is None:
        return None, False
    if isinstance(node, yaml.ScalarNode) and node.value.strip().lower() == UNDATED:
        return None, True
    year = reader.integer(node, f"'year' (a year, or {UNDATED} for an undated page)", minimum=1500)
    return year, False


def _warn_if_incomplete(source: Source, item: Node, report: Report) -> None:
    missing = [name for name, value in (("url", source.url), ("year", source.year)) if not value]
    if source.undated:
        missing.remove("year")
        if source.accessed is None:
            report.warning(
                item, f"source '{source.id}' is undated ({UNDATED}): give the day it was 'accessed'"
            )
    if missing:
        hint = f" (write 'year: {UNDATED}' for a page that shows none)" if "year" in missing else ""
        report.warning(item, f"source '{source.id}' has no {' and no '.join(missing)}{hint}")


_WORDS = {
    "fr": {
        "undated": "s. d.",
        "accessed": "consulté le {day}",
        "in": "en {language}",
        "fr": "français",
        "en": "anglais",
    },
    "en": {
        "undated": "n.d.",
        "accessed": "accessed {day}",
        "in": "in {language}",
        "fr": "French",
        "en": "English",
    },
}


def source_html(source: Source, language: str) -> str:
    """One entry of a lesson's source list, in ``language``: escaped, with its link."""
    words = _WORDS.get(language, _WORDS["en"])
    parts = [escapeHtml(source.authors)]
    if source.year is not None or source.undated:
        parts[0] += f" ({source.year if source.year is not None else words['undated']})"
    parts.append(f"<cite>{escapeHtml(source.title)}</cite>")
    if source.container:
        parts.append(escapeHtml(source.container))
    notes = []
    if source.language is not None and source.language != language:
        notes.append(words["in"].format(language=words[source.language]))
    if source.accessed is not None:
        notes.append(words["accessed"].format(day=source.accessed.isoformat()))
    text = " ".join(_closed(part) for part in parts)
    if source.url:
        url = escapeHtml(source.url)
        text += f' <a href="{url}">{url}</a>'
    if notes:
        text += f" ({'; '.join(notes)})"
    return text


def _closed(part: str) -> str:
    """``part`` ending as a sentence: a full stop, unless it already ends in one, ? or !."""
    return part if part.removesuffix("</cite>").endswith((".", "?", "!")) else part + "."
