"""SVG figures: how large their smallest text is when the figure fills a phone's width."""

from __future__ import annotations

import contextlib
import math
import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

PHONE_WIDTH = 360
"""CSS px: a figure in a lesson shrinks to the column, and phones start about this wide."""
MIN_TEXT_PX = 12

_DEFAULT_FONT_SIZE = 16.0  # CSS "medium", what text without any font-size gets
_TEXT_ELEMENTS = {"text", "tspan", "textPath"}
# Subtrees that are drawn only where something refers to them, or not at all.
_UNDRAWN = {"defs", "symbol", "clipPath", "mask", "pattern", "marker", "title", "desc", "style"}
_LENGTH = re.compile(r"\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*([a-zA-Z%]*)\s*")
_ABSOLUTE_UNITS = {"": 1.0, "px": 1.0, "pt": 4 / 3, "pc": 16.0, "in": 96.0, "cm": 96 / 2.54}
_KEYWORDS = {
    "xx-small": 9.0,
    "x-small": 10.0,
    "small": 13.0,
    "medium": 16.0,
    "large": 18.0,
    "x-large": 24.0,
    "xx-large": 32.0,
}
_TRANSFORM = re.compile(r"(matrix|translate|scale|rotate|skewX|skewY)\s*\(([^)]*)\)")
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_SIMPLE_SELECTOR = re.compile(r"([a-zA-Z][\w-]*)?(?:([.#])([\w-]+))?")

Matrix = tuple[float, float, float, float]
"""The linear part (a, b, c, d) of an SVG transform; translation does not change sizes."""
_IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0)


class FigureError(ValueError):
    """The file cannot be read as an SVG image; the message says why, for its author."""


@dataclass(frozen=True)
class TextSize:
    """The smallest text of a figure and what it becomes at ``PHONE_WIDTH``."""

    words: str
    font_size: float
    """As written (in the figure's units), before any transform."""
    scale: float
    """What transforms multiply it by (1 without any)."""
    canvas_width: float | None
    """The viewBox's width, else the ``width`` attribute's; None when neither says."""
    has_view_box: bool
    small_pieces: int
    """How many pieces of text render under ``MIN_TEXT_PX``, this one included."""

    @property
    def rendered(self) -> float:
        """CSS px on a ``PHONE_WIDTH`` screen."""
        return _on_phone(self.font_size * self.scale, self.canvas_width)

    @property
    def too_small(self) -> bool:
        return _too_small(self.rendered)

    def advice(self) -> str:
        """What the author reads: the size found, where it comes from, what would be enough."""
        scaled = f", scaled by {_number(self.scale)}" if abs(self.scale - 1) > 1e-9 else ""
        if self.canvas_width is None:
            canvas = "with no viewBox or width to scale it by"
        else:
            box = "viewBox" if self.has_view_box else "figure (its width; no viewBox)"
            canvas = f"in a {_number(self.canvas_width)}-wide {box}"
        needed = MIN_TEXT_PX * (self.canvas_width or PHONE_WIDTH) / PHONE_WIDTH / self.scale
        others = self.small_pieces - 1
        also = (
            f" ({others} other piece(s) of text are under {MIN_TEXT_PX} px too)" if others else ""
        )
        return (
            f"text '{self.words}' renders at {self.rendered:.1f} px on a {PHONE_WIDTH} px "
            f"screen (font-size {_number(self.font_size)}{scaled} {canvas}); make the text "
            f"at least {MIN_TEXT_PX} px: font-size {math.ceil(needed - 1e-9)} or more, "
            f"or a narrower viewBox{also}"
        )


def check_figure(path: Path) -> str | None:
    """A problem with the SVG at ``path`` for its author, or None when its text is readable."""
    try:
        size = smallest_text(path.read_bytes())
    except OSError as exc:
        return f"cannot read the figure: {exc.strerror}"
    except FigureError as exc:
        return str(exc)
    return size.advice() if size is not None and size.too_small else None


def smallest_text(data: bytes) -> TextSize | None:
    """The smallest drawn text of an SVG document, or None when it draws none."""
    root = _parse(data)
    if _local(root.tag) != "svg":
        raise FigureError(f"not an SVG image: its root element is <{_local(root.tag)}>")
    width, has_view_box = _canvas_width(root)
    rules = _style_rules(root)
    sizes = [
        (size, scale, words)
        for size, scale, words in _text_sizes(root, rules, _DEFAULT_FONT_SIZE, _IDENTITY)
        if size * scale > 0
    ]
    if not sizes:
        return None
    small = sum(1 for size, scale, _ in sizes if _too_small(_on_phone(size * scale, width)))
    size, scale, words = min(sizes, key=lambda found: found[0] * found[1])
    return TextSize(_shorten(words), size, scale, width, has_view_box, small)


def _on_phone(size: float, canvas_width: float | None) -> float:
    """A size in the figure's units as CSS px when the figure is ``PHONE_WIDTH`` wide;
    unscaled when nothing tells the canvas's width."""
    return size if canvas_width is None else size * PHONE_WIDTH / canvas_width


def _too_small(rendered: float) -> bool:
    return rendered < MIN_TEXT_PX - 1e-9  # 12.0 computed as 11.999... still passes


def _parse(data: bytes) -> ElementTree.Element:
    _refuse_entities(data)
    try:
        return ElementTree.fromstring(data)  # noqa: S314 (no entity declarations left: see above)
    except ElementTree.ParseError as exc:
        line, column = exc.position
        raise FigureError(
            f"not a well-formed SVG (line {line}, column {column + 1}: {_reason(exc)}); "
            "browsers show it as a broken image"
        ) from None


def _refuse_entities(data: bytes) -> None:
    """An SVG comes from an author's tools, so entity declarations are refused unread:
    nothing is fetched and nothing expands (a "billion laughs" file stays a few bytes)."""

    def refuse(name: str, *_: object) -> None:
        raise FigureError(
            f"declares the XML entity '{name}', which is not read, for safety; "
            "save the figure without its DOCTYPE"
        )

    parser = expat.ParserCreate()
    parser.EntityDeclHandler = refuse
    with contextlib.suppress(expat.ExpatError):  # ElementTree's parse names the fault next
        parser.Parse(data, True)


def _reason(exc: ElementTree.ParseError) -> str:
    return str(exc).split(":", 1)[0]


def _local(tag: object) -> str:
    """An element's name without its namespace ('text' for '{...svg}text')."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _canvas_width(root: ElementTree.Element) -> tuple[float | None, bool]:
    """The width the figure is drawn in, and whether a viewBox gave it."""
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if len(box) == 4:
        try:
            width = float(box[2])
        except ValueError:
            width = 0.0
        if width > 0:
            return width, True
    length = _parse_length(root.get("width") or "")
    if length is not None and length[1] in _ABSOLUTE_UNITS and length[0] > 0:
        return length[0] * _ABSOLUTE_UNITS[length[1]], False
    return None, False


def _parse_length(text: str) -> tuple[float, str] | None:
    match = _LENGTH.fullmatch(text)
    return (float(match.group(1)), match.group(2).lower()) if match else None


def _font_size(value: str, inherited: float) -> float | None:
    """A font-size in the figure's units; None when it cannot be known (then it inherits)."""
    value = value.strip().lower()
    if value in _KEYWORDS:
        return _KEYWORDS[value]
    length = _parse_length(value)
    if length is None:
        return None
    number, unit = length
    if unit in _ABSOLUTE_UNITS:
        return number * _ABSOLUTE_UNITS[unit]
    if unit == "em":
        return number * inherited
    if unit == "%":
        return number * inherited / 100
    if unit == "rem":
        return number * _DEFAULT_FONT_SIZE
    return None


def _declarations(css: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for declaration in css.split(";"):
        name, colon, value = declaration.partition(":")
        if colon:
            found[name.strip().lower()] = value.replace("!important", "").strip()
    return found


@dataclass(frozen=True)
class _Rule:
    """A ``<style>`` rule's font-size for one simple selector (``text``, ``.label``, ``#t``)."""

    element: str | None
    kind: str  # "." (class), "#" (id) or "" (element name only)
    name: str
    font_size: str
    specificity: tuple[int, int, int]

    def matches(self, element: ElementTree.Element) -> bool:
        if self.element is not None and _local(element.tag) != self.element:
            return False
        if self.kind == ".":
            return self.name in (element.get("class") or "").split()
        if self.kind == "#":
            return element.get("id") == self.name
        return True


def _style_rules(root: ElementTree.Element) -> list[_Rule]:
    """Font-size rules of the ``<style>`` elements; selectors more complex than one element,
    class or id (descendants, attributes, pseudo-classes) are left out, not guessed at."""
    rules: list[_Rule] = []
    for style in root.iter():
        if _local(style.tag) != "style" or not style.text:
            continue
        css = re.sub(r"/\*.*?\*/", "", style.text, flags=re.DOTALL)
        for selectors, body in _RULE.findall(css):
            size = _declarations(body).get("font-size")
            if size is None:
                continue
            for selector in selectors.split(","):
                match = _SIMPLE_SELECTOR.fullmatch(selector.strip())
                if match is None or not any(match.groups()):
                    continue
                element, kind, name = match.group(1), match.group(2) or "", match.group(3) or ""
                specificity = (int(kind == "#"), int(kind == "."), int(element is not None))
                rules.append(_Rule(element, kind, name, size, specificity))
    return rules


def _own_font_size(element: ElementTree.Element, rules: list[_Rule], inherited: float) -> float:
    """CSS order: the style attribute, then the stylesheet, then the presentation attribute."""
    candidates = []
    inline = _declarations(element.get("style") or "").get("font-size")
    if inline is not None:
        candidates.append(inline)
    matching = [(r.specificity, i, r) for i, r in enumerate(rules) if r.matches(element)]
    candidates.extend(rule.font_size for _, _, rule in sorted(matching, reverse=True))
    attribute = element.get("font-size")
    if attribute is not None:
        candidates.append(attribute)
    for candidate in candidates:
        size = _font_size(candidate, inherited)
        if size is not None:
            return size
    return inherited


def _text_sizes(
    element: ElementTree.Element, rules: list[_Rule], inherited: float, matrix: Matrix
) -> Iterator[tuple[float, float, str]]:
    """(font-size, transform scale, words) of each piece of drawn text under ``element``."""
    name = _local(element.tag)
    if name in _UNDRAWN or element.get("display") == "none":
        return
    size = _own_font_size(element, rules, inherited)
    matrix = _multiply(matrix, _transform(element.get("transform") or ""))
    if name in _TEXT_ELEMENTS:
        # A text element's own words, and those after each child (the child's tail),
        # are set in this element's size; the children's own words in theirs.
        pieces = [element.text or "", *(child.tail or "" for child in element)]
        words = " ".join(" ".join(pieces).split())
        if words:
            yield size, _smallest_scale(matrix), words
    for child in element:
        yield from _text_sizes(child, rules, size, matrix)


def _transform(text: str) -> Matrix:
    matrix = _IDENTITY
    for kind, arguments in _TRANSFORM.findall(text):
        try:
            values = [float(v) for v in arguments.replace(",", " ").split()]
        except ValueError:
            continue  # a browser ignores a transform it cannot read, and so does this
        matrix = _multiply(matrix, _one_transform(kind, values))
    return matrix


def _one_transform(kind: str, values: list[float]) -> Matrix:
    if kind == "matrix" and len(values) == 6:
        return values[0], values[1], values[2], values[3]
    if kind == "scale" and values:
        return values[0], 0.0, 0.0, values[1] if len(values) > 1 else values[0]
    if kind == "rotate" and values:
        angle = math.radians(values[0])
        return math.cos(angle), math.sin(angle), -math.sin(angle), math.cos(angle)
    if kind in ("skewX", "skewY") and values:
        slant = math.tan(math.radians(values[0]))
        return (1.0, 0.0, slant, 1.0) if kind == "skewX" else (1.0, slant, 0.0, 1.0)
    return _IDENTITY  # translate, or a transform with the wrong number of values


def _multiply(first: Matrix, then: Matrix) -> Matrix:
    """``first`` applied after ``then``, as nested SVG transforms compose."""
    a, b, c, d = first
    e, f, g, h = then
    return a * e + c * f, b * e + d * f, a * g + c * h, b * g + d * h


def _smallest_scale(matrix: Matrix) -> float:
    """How much the transform shrinks text along its most shrunk direction (the smaller
    singular value): a squashed scale(1, 0.4) reads as small as a scale(0.4)."""
    a, b, c, d = matrix
    total = a * a + b * b + c * c + d * d
    determinant = a * d - b * c
    spread = math.sqrt(max(total * total - 4 * determinant * determinant, 0.0))
    return math.sqrt(max((total - spread) / 2, 0.0))


def _number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _shorten(words: str, limit: int = 40) -> str:
    return words if len(words) <= limit else words[: limit - 3].rstrip() + "..."
