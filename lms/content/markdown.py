"""Markdown to safe HTML, once at load: local links checked and pointed at served assets."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin

from lms.content.figures import check_figure
from lms.content.sources import Source, source_html
from lms.content.typography import french_spaces
from lms.content.yamlnodes import Place, Report, language_name, suggest

CALLOUTS = ("note", "tip", "warning")
VIDEO_SUFFIXES = (".mp4", ".webm")
ASSET_PREFIX = "assets/"
"""Lesson pages live at ``/courses/<id>/<item>``, so ``assets/x`` resolves to the asset route."""

_CALLOUT_LABELS = {
    "note": {"en": "Note", "fr": "À noter"},
    "tip": {"en": "Tip", "fr": "Astuce"},
    "warning": {"en": "Warning", "fr": "Attention"},
}
_ENDONYMS = {"en": "English", "fr": "Français"}
_VIDEO_FALLBACK = {"en": "Download the video", "fr": "Télécharger la vidéo"}
_TABLE_LABEL = {"en": "Table {number}", "fr": "Tableau {number}"}
_CONTAINER_LINE = re.compile(r"^ {0,3}:{3,}\s*(\S+)")


def _callout_name(params: str, *_markup: str) -> str:
    """The word after ``:::`` (``note``), as the container plugin reads a name."""
    return params.strip().split(" ", 2)[0]


def _render_callout(
    self: Any, tokens: list[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    if tokens[idx].nesting == 1:
        name = _callout_name(tokens[idx].info)
        label = _CALLOUT_LABELS[name].get(env.get("language", "en"), name)
        return (
            f'<aside class="callout callout-{name}">\n'
            f'<p class="callout-label">{escapeHtml(label)}</p>\n'
        )
    return "</aside>\n"


def _render_video(
    self: Any, tokens: list[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    token = tokens[idx]
    src = escapeHtml(str(token.attrGet("src")))
    label = escapeHtml(token.content)
    tracks = "".join(
        f'<track kind="captions" srclang="{lang}" label="{_ENDONYMS.get(lang, lang)}" '
        f'src="{escapeHtml(track)}"{" default" if lang == env.get("language") else ""}>'
        for lang, track in token.meta["tracks"]
    )
    fallback = _VIDEO_FALLBACK.get(env.get("language", "en"), _VIDEO_FALLBACK["en"])
    return (
        f'<video controls preload="metadata" src="{src}" aria-label="{label}">{tracks}'
        f'<a href="{src}">{escapeHtml(fallback)}</a></video>'
    )


def _render_table(
    self: Any, tokens: list[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    """A table inside a region that scrolls sideways on a narrow screen, so that its words
    wrap at spaces only; focusable and named, so that a keyboard can scroll it too."""
    if tokens[idx].nesting == -1:
        return "</table>\n</div>\n"
    env["tables"] = env.get("tables", 0) + 1
    label = _TABLE_LABEL.get(env.get("language", "en"), _TABLE_LABEL["en"])
    name = escapeHtml(label.format(number=env["tables"]))
    return f'<div class="table-scroll" role="region" tabindex="0" aria-label="{name}">\n<table>\n'


def _render_image(
    self: Any, tokens: list[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    """A figure that opens full size on a tap or click: on a phone it shrinks to the column,
    and its own page lets the reader zoom into it. Inside an author's link, it stays theirs."""
    image = str(self.image(tokens, idx, options, env))
    opened = sum(t.nesting for t in tokens[:idx] if t.type in ("link_open", "link_close"))
    if opened > 0:
        return image
    src = escapeHtml(str(tokens[idx].attrGet("src")))
    return f'<a class="figure-link" href="{src}">{image}</a>'


def _french_typography(state: StateCore) -> None:
    """Non-breaking spaces in a French lesson's text runs (``typography``); code spans,
    code blocks and link addresses are other tokens, or attributes, and keep theirs."""
    if state.env.get("language") != "fr":
        return
    for block in state.tokens:
        for token in block.children or ():
            if token.type == "text":
                token.content = french_spaces(token.content)


_CITED = r"@[a-z0-9]+(?:-[a-z0-9]+)*(?:, *[^;\]\n]+)?"
_CITATION = re.compile(rf"\[({_CITED}(?:; *{_CITED})*)\]")
"""``[@id]``, ``[@id, p. 12]``, ``[@a; @b, p. 224]``."""


def _citation(state: StateInline, silent: bool) -> bool:
    """The inline rule of ``[@id, locator; ...]``: a ``citation`` token listing its items."""
    if not state.src.startswith("[@", state.pos):
        return False
    match = _CITATION.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        token = state.push("citation", "", 0)
        items = []
        for part in match.group(1).split(";"):
            source_id, _comma, locator = part.strip().removeprefix("@").partition(",")
            items.append((source_id.strip(), locator.strip()))
        token.meta = {"items": items}
        token.content = match.group(0)
    state.pos = match.end()
    return True


def _render_citation(
    self: Any, tokens: list[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    """Each cited work by its number in the lesson's source list, linked to its entry."""
    cited: list[str] = env.setdefault("cited", [])
    links = []
    for source_id, locator in tokens[idx].meta["items"]:
        if source_id not in cited:
            cited.append(source_id)
        number = cited.index(source_id) + 1
        shown = f"{number}, {escapeHtml(locator)}" if locator else str(number)
        links.append(f'<a class="citation" href="#source-{number}">{shown}</a>')
    return f'<span class="citations">[{"; ".join(links)}]</span>'


def _build_parser() -> MarkdownIt:
    # html=False: raw HTML in a lesson is shown as text, never passed through.
    md = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    # With html off these rules never match; not trying them on every line and every
    # character saves a tenth of a lesson's parsing.
    md.disable(["html_block", "html_inline"])
    footnote_plugin(md)
    anchors_plugin(md, min_level=1, max_level=6)
    # One rule for every kind of call-out, not one a kind: each rule is tried on each line.
    container_plugin(
        md,
        name="callout",
        validate=lambda params, *markup: _callout_name(params) in CALLOUTS,
        render=_render_callout,
    )
    # After the inline rules and the plugins' own core rules: only plain text runs are left.
    md.core.ruler.push("french_typography", _french_typography)
    # Before links: "[@id]" is never a link to "@id".
    md.inline.ruler.before("link", "citation", _citation)
    md.add_render_rule("citation", _render_citation)
    md.add_render_rule("video", _render_video)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("table_open", _render_table)
    md.add_render_rule("table_close", _render_table)
    return md


_PARSER = _build_parser()


@dataclass
class LinkTargets:
    """What a course's Markdown may link to, and the assets it ends up using."""

    folder: Path
    languages: Sequence[str]
    lesson_files: dict[str, str]
    """Lesson file name (``welcome.fr.md``) to outline key (``welcome``)."""
    used_assets: set[str] = field(default_factory=set)
    sources: Mapping[str, Source] = field(default_factory=dict)
    """The course's ``sources.yaml``, which ``[@id]`` cites."""
    cited: set[str] = field(default_factory=set)
    """The ids the lessons cite, for the warning about sources no lesson cites."""


class MarkdownRenderer:
    """Renders one course's Markdown, reporting bad local links where they stand."""

    def __init__(self, targets: LinkTargets) -> None:
        self.targets = targets
        self._folder = targets.folder.resolve()
        self._resolved: dict[str, tuple[str, str | None]] = {}
        self._figures: dict[str, str | None] = {}

    def block(self, text: str, language: str, report: Report, first_line: int) -> str:
        """A lesson body; ``first_line`` is the file line where ``text`` starts (from 1)."""
        env: dict[str, Any] = {"language": language}
        lines = text.splitlines()
        _check_callouts(lines, report, first_line)
        tokens = _PARSER.parse(text, env)
        _nest_headings(tokens)
        for token in tokens:
            if token.children:
                start, end = token.map or (0, len(lines))
                place = _LinePlaces(lines, start, end, first_line)
                self._rewrite_links(token.children, report, place.find)
                self._check_citations(token.children, report, place.find)
        html = str(_PARSER.renderer.render(tokens, _PARSER.options, env))
        return html + self._source_list(env.get("cited", []), language)

    def _check_citations(self, children: list[Token], report: Report, locate: Any) -> None:
        for child in children:
            if child.type != "citation":
                continue
            for source_id, _locator in child.meta["items"]:
                self.targets.cited.add(source_id)
                if source_id not in self.targets.sources:
                    report.error(
                        locate(f"@{source_id}"),
                        f"unknown source '{source_id}' (sources.yaml)"
                        + suggest(source_id, self.targets.sources),
                    )

    def _source_list(self, cited: list[str], language: str) -> str:
        """The lesson's numbered sources, in the order it first cites them."""
        known = [self.targets.sources[s] for s in cited if s in self.targets.sources]
        if not known:
            return ""
        entries = "".join(
            f'<li id="source-{number}">{source_html(source, language)}</li>'
            for number, source in enumerate(known, start=1)
        )
        return (
            '<section class="sources" aria-labelledby="lesson-sources">'
            f'<h2 id="lesson-sources">Sources</h2><ol>{entries}</ol></section>\n'
        )

    def inline(self, text: str, language: str, report: Report, where: Place) -> str:
        """A prompt, choice or explanation: inline Markdown, problems placed at ``where``."""
        env: dict[str, Any] = {"language": language}
        tokens = _PARSER.parseInline(text, env)
        for token in tokens:
            if token.children:
                self._rewrite_links(token.children, report, lambda _target: where)
        return str(_PARSER.renderer.render(tokens, _PARSER.options, env))

    def _rewrite_links(self, children: list[Token], report: Report, locate: Any) -> None:
        for child in children:
            attribute = {"image": "src", "link_open": "href"}.get(child.type)
            if attribute is None:
                continue
            target = str(child.attrGet(attribute) or "")
            local = _local_path(target)
            if local is None:
                continue
            path, fragment = local
            new_url = self._resolve(path, fragment, report, locate(path))
            if new_url is None:
                continue
            child.attrSet(attribute, new_url)
            if child.type == "image" and path.lower().endswith(VIDEO_SUFFIXES):
                self._make_video(child, path, report, locate(path))
            elif child.type == "image" and path.lower().endswith(".svg"):
                self._check_figure(path, report, locate(path))

    def _resolve(self, path: str, fragment: str, report: Report, where: Place) -> str | None:
        if path not in self._resolved:
            self._resolved[path] = self._target_of(path)
        url, problem = self._resolved[path]
        if problem is not None:
            report.error(where, problem)
            return None
        if url.startswith(ASSET_PREFIX):
            self.targets.used_assets.add(unquote(url.removeprefix(ASSET_PREFIX)))
        return url + fragment

    def _target_of(self, path: str) -> tuple[str, str | None]:
        """(URL, None) for a good local link, ("", problem) for a bad one."""
        absolute = (self._folder / posixpath.normpath(path)).resolve()
        if not absolute.is_relative_to(self._folder):
            return "", f"link '{path}' leads outside the course folder"
        if not absolute.is_file():
            return "", f"link to a missing file '{path}'"
        relative = absolute.relative_to(self._folder).as_posix()
        if relative in self.targets.lesson_files:
            return self.targets.lesson_files[relative], None
        if relative.endswith((".md", ".yaml", ".yml")):
            return "", f"link to '{path}', which is not a lesson of the outline"
        return ASSET_PREFIX + quote(relative), None

    def _check_figure(self, path: str, report: Report, where: Place) -> None:
        """Each use of a figure is warned about where it stands, as a bad link is; the file
        itself is read once per course."""
        if path not in self._figures:
            self._figures[path] = check_figure(self._folder / posixpath.normpath(path))
        problem = self._figures[path]
        if problem is not None:
            report.warning(where, f"figure '{path}': {problem}")

    def _make_video(self, token: Token, path: str, report: Report, where: Place) -> None:
        stem = posixpath.splitext(posixpath.normpath(path))[0]
        tracks = []
        for language in self.targets.languages:
            caption = f"{stem}.{language}.vtt"
            if (self._folder / caption).is_file():
                self.targets.used_assets.add(caption)
                tracks.append((language, ASSET_PREFIX + quote(caption)))
            else:
                report.error(
                    where,
                    f"video '{path}' has no {language_name(language)} captions ('{caption}')",
                )
        token.type = "video"
        token.meta = {"tracks": tracks}
        token.content = "".join(c.content for c in token.children or []) or path


class _LinePlaces:
    """Finds the line and column of a link target within a block's lines."""

    def __init__(self, lines: list[str], start: int, end: int, first_line: int) -> None:
        self.lines, self.start, self.end, self.first_line = lines, start, end, first_line

    def find(self, target: str) -> Place:
        for index in range(self.start, min(self.end, len(self.lines))):
            column = self.lines[index].find(target)
            if column >= 0:
                return self.first_line + index, column + 1
        return self.first_line + self.start, None


def _local_path(target: str) -> tuple[str, str] | None:
    """(path, ``#fragment``) of a link into the course folder; None for any other link."""
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith(("/", "#")) or not parts.path:
        return None
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return unquote(parts.path), fragment


def _check_callouts(lines: list[str], report: Report, first_line: int) -> None:
    for index, line in enumerate(lines):
        match = _CONTAINER_LINE.match(line)
        if match and match.group(1) not in CALLOUTS:
            report.warning(
                (first_line + index, match.start(1) + 1),
                f"unknown call-out '{match.group(1)}' (use {', '.join(CALLOUTS)})",
            )


def _nest_headings(tokens: list[Token]) -> None:
    """Set each heading's level under the page's h1 (the lesson's title), skipping none.

    Authors start a lesson's sections at ``#`` or at ``##`` alike: the highest level written
    becomes h2, and a heading never goes more than one level below the one before it, so
    that screen readers' outline of the page has no holes.
    """
    written = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    if not written:
        return
    shift, previous = 2 - min(written), 1
    for token in tokens:
        if token.type == "heading_open":
            level = min(int(token.tag[1]) + shift, previous + 1, 6)
            token.tag, previous = f"h{level}", level
        elif token.type == "heading_close":
            token.tag = f"h{previous}"
