"""Members' Markdown to safe HTML: no raw HTML, no images, links to the web only, marked as
members' own (``rel="nofollow ugc"``), headings under the page's own; French text with French
typography's non-breaking spaces (``lms.content.typography``), never in code or links."""

from __future__ import annotations

from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from lms.content.typography import french_spaces

LINK_REL = "nofollow ugc"
"""Search engines give members' links no credit from the site (spam earns nothing)."""

SAFE_SCHEMES = ("http://", "https://", "mailto:")
HEADING_SHIFT = 3
"""A post sits under the page's h1 and its thread's h2: its own "# Title" becomes an h4."""


def _link_is_safe(url: str) -> bool:
    """Web and mail links, and this site's own paths; never ``javascript:``, ``data:`` or a
    link to another host written without its scheme (``//host``)."""
    lowered = url.strip().lower()
    if lowered.startswith(SAFE_SCHEMES):
        return True
    return lowered.startswith("/") and not lowered.startswith("//")


def _shift_headings(state: StateCore) -> None:
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            level = int(token.tag[1:]) + HEADING_SHIFT
            token.tag = f"h{min(level, 6)}"


def _french_typography(state: StateCore) -> None:
    """French typography in a French text's plain runs: code spans and blocks are other
    tokens, and a link's text and address are left as their writer typed them."""
    if state.env.get("language") != "fr":
        return
    for block in state.tokens:
        in_link = 0
        for token in block.children or ():
            if token.type == "link_open":
                in_link += 1
            elif token.type == "link_close":
                in_link -= 1
            elif token.type == "text" and not in_link:
                token.content = french_spaces(token.content)


def _render_link_open(
    self: Any, tokens: list[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    tokens[idx].attrSet("rel", LINK_REL)
    rendered: str = self.renderToken(tokens, idx, options, env)
    return rendered


def _build_parser() -> MarkdownIt:
    # CommonMark with raw HTML off: "<script>" is shown as typed, escaped.
    parser = MarkdownIt("commonmark", {"html": False})
    # An image would be fetched from wherever its author chose, by every reader's browser
    # (tracking who reads): members link to pictures instead.
    parser.disable(["image", "html_block", "html_inline"])
    parser.validateLink = _link_is_safe  # type: ignore[method-assign]
    parser.core.ruler.push("shift_headings", _shift_headings)
    parser.core.ruler.push("french_typography", _french_typography)
    parser.add_render_rule("link_open", _render_link_open)
    return parser


_PARSER = _build_parser()


def render(markdown: str, language: str) -> str:
    """The HTML of a member's ``markdown`` written in ``language``, safe to put in a page
    as it is."""
    html: str = _PARSER.render(markdown, {"language": language})
    return html
