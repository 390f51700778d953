"""Typed reading of YAML nodes that reports every problem at the node's line and column."""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from lms.content.model import Localized
from lms.content.problems import Problem, Severity

try:  # libyaml is much faster and keeps the same marks
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

IDENTIFIER = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_STR, _INT, _BOOL, _NULL = (f"tag:yaml.org,2002:{t}" for t in ("str", "int", "bool", "null"))
_LANGUAGE_NAMES = {"en": "English", "fr": "French"}

Node = yaml.Node
Place = tuple[int, int | None]
"""(line, column), counted from 1; the column may be unknown."""


def language_name(code: str) -> str:
    return _LANGUAGE_NAMES.get(code, repr(code))


class Report:
    """Collects the problems of one file; ``line_offset`` shifts YAML embedded in a file."""

    def __init__(self, path: Path, line_offset: int = 0) -> None:
        self.path = path
        self.line_offset = line_offset
        self.problems: list[Problem] = []

    def place_of(self, node: Node) -> Place:
        mark = node.start_mark
        return mark.line + 1 + self.line_offset, mark.column + 1

    def error(self, where: Node | Place, message: str) -> None:
        self._add(where, Severity.ERROR, message)

    def warning(self, where: Node | Place, message: str) -> None:
        self._add(where, Severity.WARNING, message)

    def _add(self, where: Node | Place, severity: Severity, message: str) -> None:
        line, column = where if isinstance(where, tuple) else self.place_of(where)
        self.problems.append(Problem(self.path, line, column, severity, message))

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)


def compose(text: str, report: Report) -> Node | None:
    """Parse YAML text into nodes, reporting a syntax error or an empty document."""
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        place = (mark.line + 1 + report.line_offset, mark.column + 1) if mark else (1, None)
        detail = " ".join(str(part) for part in (exc.context, exc.problem) if part)
        report.error(place, f"YAML syntax error: {detail}")
        return None
    except yaml.YAMLError as exc:
        report.error((1 + report.line_offset, None), f"YAML error: {exc}")
        return None
    if node is None:
        report.error((1 + report.line_offset, None), "the file is empty")
    return node


def _kind(node: Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return {
        _STR: "text",
        _INT: "a whole number",
        _BOOL: "true/false",
        _NULL: "nothing",
        "tag:yaml.org,2002:float": "a decimal number",
    }.get(node.tag, "a value")


class Reader:
    """Reads typed values out of nodes; each method returns None after reporting a problem."""

    def __init__(self, report: Report) -> None:
        self.report = report

    def mapping(
        self,
        node: Node,
        what: str,
        *,
        required: Collection[str] = (),
        optional: Collection[str] = (),
        misplaced: dict[str, str] | None = None,
    ) -> dict[str, Node] | None:
        """Keys to value nodes; unknown, duplicate and missing keys are reported.

        ``misplaced`` names keys that exist elsewhere in the format, with the reason they
        do not belong here, so the message says more than "unknown key".
        """
        if not isinstance(node, yaml.MappingNode):
            self.report.error(
                node, f"{what} must be a mapping of keys to values, not {_kind(node)}"
            )
            return None
        allowed = [*required, *optional]
        values: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self.report.error(key_node, f"{what}: keys must be names")
            elif key in values:
                first = self.report.place_of(values[key])[0]
                self.report.error(
                    key_node, f"{what}: duplicate key '{key}' (first on line {first})"
                )
            elif key in allowed:
                values[key] = value_node
            elif misplaced and key in misplaced:
                self.report.error(key_node, f"{what}: {misplaced[key]}")
            else:
                self.report.error(key_node, f"{what}: unknown key '{key}'{suggest(key, allowed)}")
        for key in required:
            if key not in values:
                self.report.error(node, f"{what} needs '{key}'")
        return values

    def sequence(self, node: Node, what: str) -> list[Node] | None:
        if not isinstance(node, yaml.SequenceNode):
            self.report.error(node, f"{what} must be a list, not {_kind(node)}")
            return None
        return list(node.value)

    def text(self, node: Node, what: str) -> str | None:
        """Any scalar but null reads as text, so that ``title: 2024`` is accepted."""
        if not isinstance(node, yaml.ScalarNode) or node.tag == _NULL:
            self.report.error(node, f"{what} must be text, not {_kind(node)}")
            return None
        value = str(node.value)
        if not value.strip():
            self.report.error(node, f"{what} must not be empty")
            return None
        return value

    def integer(
        self, node: Node, what: str, *, minimum: int | None = None, maximum: int | None = None
    ) -> int | None:
        if not (isinstance(node, yaml.ScalarNode) and node.tag == _INT):
            self.report.error(node, f"{what} must be a whole number, not {_kind(node)}")
            return None
        value = int(_construct(node))
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            bounds = _bounds(minimum, maximum)
            self.report.error(node, f"{what} must be {bounds}, not {value}")
            return None
        return value

    def day(self, node: Node, what: str) -> date | None:
        """A calendar day written ``2026-12-01`` (YAML reads it as a date, quoted or not)."""
        text = str(node.value) if isinstance(node, yaml.ScalarNode) else ""
        if _DAY.fullmatch(text):
            try:
                return date.fromisoformat(text)
            except ValueError:  # 2026-02-30
                pass
        shown = f"'{text}'" if text else _kind(node)
        self.report.error(node, f"{what} must be a day such as 2026-12-01, not {shown}")
        return None

    def boolean(self, node: Node, what: str) -> bool | None:
        if not (isinstance(node, yaml.ScalarNode) and node.tag == _BOOL):
            self.report.error(node, f"{what} must be true or false, not {_kind(node)}")
            return None
        return bool(_construct(node))

    def identifier(self, node: Node, what: str) -> str | None:
        value = self.text(node, what)
        if value is not None and not IDENTIFIER.fullmatch(value):
            self.report.error(
                node,
                f"{what} '{value}' is not a valid id: use lowercase letters, digits and "
                "single hyphens (e.g. 'por-101')",
            )
            return None
        return value

    def choice(self, node: Node, what: str, options: Sequence[str]) -> str | None:
        value = self.text(node, what)
        if value is not None and value not in options:
            listed = ", ".join(options)
            self.report.error(
                node, f"{what} '{value}' is not one of: {listed}{suggest(value, options)}"
            )
            return None
        return value

    def localized(self, node: Node, what: str, languages: Sequence[str]) -> Localized | None:
        """Plain text, or a mapping with exactly one text per language in ``languages``."""
        if not isinstance(node, yaml.MappingNode):
            text = self.text(node, what)
            return None if text is None else Localized.plain(text)
        values = self.mapping(node, what, optional=languages)
        if values is None:
            return None
        texts: dict[str, str] = {}
        for language, value_node in values.items():
            text = self.text(value_node, f"{what} ({language_name(language)})")
            if text is not None:
                texts[language] = text
        missing = [code for code in languages if code not in values]
        for code in missing:
            self.report.error(node, f"{what} has no {language_name(code)} text ('{code}')")
        if missing or len(texts) < len(values):
            return None
        return Localized.of(texts)

    def localized_list(
        self, node: Node, what: str, languages: Sequence[str]
    ) -> dict[str, tuple[str, ...]] | None:
        """A list of texts, or a mapping of each language to its own list."""
        if isinstance(node, yaml.MappingNode):
            values = self.mapping(node, what, optional=languages)
            if values is None:
                return None
            lists = {lang: self._text_list(n, f"{what} ({lang})") for lang, n in values.items()}
            for code in languages:
                if code not in values:
                    self.report.error(node, f"{what} has no {language_name(code)} list ('{code}')")
            complete = all(v is not None for v in lists.values()) and len(values) == len(languages)
            return {k: v for k, v in lists.items() if v is not None} if complete else None
        plain = self._text_list(node, what)
        return None if plain is None else {"*": plain}

    def _text_list(self, node: Node, what: str) -> tuple[str, ...] | None:
        items = self.sequence(node, what)
        if items is None:
            return None
        if not items:
            self.report.error(node, f"{what} must not be empty")
            return None
        texts = [self.text(item, what) for item in items]
        return None if None in texts else tuple(t for t in texts if t is not None)


def _construct(node: Node) -> Any:
    return yaml.SafeLoader("").construct_object(node)


def _bounds(minimum: int | None, maximum: int | None) -> str:
    if minimum is not None and maximum is not None:
        return f"between {minimum} and {maximum}"
    if minimum is not None:
        return f"at least {minimum}"
    return f"at most {maximum}"


def suggest(word: str, options: Collection[str]) -> str:
    """`` (did you mean 'x'?)`` naming the option closest to ``word``, or nothing."""
    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""
