"""Placeholder text ("à configurer", "example.org") that must never print on a certificate."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from lms.content.problems import Problem, Severity
from lms.content.yamlnodes import Node, Report

PLACEHOLDERS = (
    "a configurer",
    "to be configured",
    "[name",
    "example.org",
    "example.com",
    "lorem ipsum",
    "todo",
)
"""Phrases that mark text nobody has filled in; matched ignoring case and accents."""

# Whole words only, so that "Todorov" or "examples.org.ca" are not taken for placeholders.
_PATTERN = re.compile("|".join(rf"(?<!\w){re.escape(p)}(?!\w)" for p in PLACEHOLDERS))

# The certificate's printed texts; `id`, `requires` and asset paths are not printed.
_TEXT_FIELDS = ("title", "statement", "issuer", "signatories")
_NOT_TEXT = frozenset({"signature"})


def find_placeholder(text: str) -> str | None:
    """The placeholder phrase ``text`` contains (as listed in PLACEHOLDERS), or None."""
    found = _PATTERN.search(_fold(text))
    return found.group(0) if found else None


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class Placeholder:
    """Placeholder text in a certificate definition, where it stands."""

    path: Path
    line: int
    column: int | None
    definition_id: str | None
    phrase: str
    text: str

    def problem(self, *, production: bool) -> Problem:
        """An error in production, where the definition issues nothing; a warning elsewhere."""
        severity = Severity.ERROR if production else Severity.WARNING
        return Problem(self.path, self.line, self.column, severity, self.message)

    @property
    def excerpt(self) -> str:
        """The value holding the placeholder, shortened to fit a line."""
        return _shorten(self.text)

    @property
    def message(self) -> str:
        return (
            f"placeholder text '{self.phrase}' (\"{self.excerpt}\"): production "
            "issues no certificate from this definition until it is replaced"
        )


def certificate_placeholders(
    fields: dict[str, Node], report: Report, definition_id: str | None
) -> tuple[Placeholder, ...]:
    """Every printed text of a definition's top-level ``fields`` that holds a placeholder."""
    found = []
    for key in _TEXT_FIELDS:
        for node in _scalars(fields.get(key)):
            phrase = find_placeholder(str(node.value))
            if phrase is not None:
                line, column = report.place_of(node)
                found.append(
                    Placeholder(report.path, line, column, definition_id, phrase, node.value)
                )
    return tuple(found)


def _scalars(node: Node | None) -> Iterator[yaml.ScalarNode]:
    if isinstance(node, yaml.ScalarNode):
        yield node
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _scalars(item)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if not (isinstance(key, yaml.ScalarNode) and key.value in _NOT_TEXT):
                yield from _scalars(value)


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
