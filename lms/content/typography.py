"""French typography's non-breaking spaces, put in as text is rendered, so that authors and
translators type ordinary spaces.

The Office québécois de la langue française asks for a non-breaking space before the colon
and the closing guillemet, after the opening one, between a number and its unit sign (%, $)
and between groups of three digits (« 10 663 »); none before ? ! ; in Quebec usage. Only
plain text goes through here: the Markdown renderer passes its text runs (never code, link
addresses or attributes), and the interface its French translations.
"""

from __future__ import annotations

import re

from lms.content.model import Localized

NBSP = "\u00a0"

_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    # « mot » with ordinary spaces, or none: the spaces become non-breaking ones (a text run
    # may end after « or start before », as around a link).
    (re.compile(r"«[ \u202f]|«(?=[^\s\u00a0])"), "«" + NBSP),
    (re.compile(r"[ \u202f]»|(?<=[^\s\u00a0])»"), NBSP + "»"),
    # Only a space typed before a colon: "10:30" and "https://" have none and stay as they are.
    (re.compile(r" +:"), NBSP + ":"),
    (re.compile(r"(?<=\d) (?=[%$])"), NBSP),
    (re.compile(r"(?<=\b\d) (?=\d{3}\b)|(?<=\b\d\d) (?=\d{3}\b)|(?<=\b\d{3}) (?=\d{3}\b)"), NBSP),
)


def french_spaces(text: str) -> str:
    """``text`` with the non-breaking spaces French typography asks for."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def typeset(text: Localized | None) -> Localized | None:
    """A plain-text field (a title, a summary: never Markdown, which the renderer typesets
    run by run) with French typography in its French version."""
    if text is None or "fr" not in text.values:
        return text
    return Localized.of({**text.values, "fr": french_spaces(text.values["fr"])})
