"""Line breaking and shrink-to-fit for the certificate PDF, on the embedded TrueType fonts."""

from __future__ import annotations

import functools
import hashlib
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR_FILE = "DejaVuSans.ttf"
BOLD_FILE = "DejaVuSans-Bold.ttf"
ELLIPSIS = "…"
SIZE_STEP = 0.5


@dataclass(frozen=True)
class Fonts:
    """The names under which one fonts folder's faces are registered with reportlab."""

    regular: str
    bold: str


@dataclass(frozen=True)
class Fitted:
    """Text broken into lines at the size where it fits its box."""

    lines: tuple[str, ...]
    font: str
    size: float
    leading: float
    truncated: bool = False
    """Cut short with an ellipsis: even at the smallest size the text did not fit."""

    @property
    def height(self) -> float:
        return len(self.lines) * self.leading


_registry_lock = threading.Lock()
_registered: dict[Path, Fonts] = {}


def load_fonts(folder: Path) -> Fonts:
    """Register the folder's fonts once per process (parsing a face takes tens of ms).

    reportlab's font registry is global; the names carry a hash of the folder so two
    folders never shadow each other. The names do not reach the PDF (it records the
    fonts' own PostScript names), so where the folder lives does not change the bytes.
    """
    key = folder.resolve()
    with _registry_lock:
        fonts = _registered.get(key)
        if fonts is None:
            tag = hashlib.sha256(str(key).encode()).hexdigest()[:10]
            fonts = Fonts(regular=f"ParcoursSans-{tag}", bold=f"ParcoursSans-Bold-{tag}")
            # asciiReadable pinned rather than read from reportlab's settings, as it shapes the
            # subsets; 0 embeds only the glyphs used, not all of ASCII (a fifth of the file).
            for name, file in ((fonts.regular, REGULAR_FILE), (fonts.bold, BOLD_FILE)):
                pdfmetrics.registerFont(TTFont(name, str(key / file), asciiReadable=0))
            _registered[key] = fonts
        return fonts


def width(text: str, font: str, size: float) -> float:
    # Glyph advances simply add up (reportlab applies no kerning): a width measured once
    # at 1 pt scales to every size, which makes trying many sizes and widths cheap.
    return _unit_width(text, font) * size


@functools.lru_cache(maxsize=8192)
def _unit_width(text: str, font: str) -> float:
    return float(pdfmetrics.stringWidth(text, font, 1))


def wrap(text: str, font: str, size: float, max_width: float) -> list[str]:
    """Greedy line breaking at spaces; a word wider than the line is cut between characters.

    Only U+0020 breaks, so no-break spaces (French « guillemets », "10 h") hold.
    """
    space = width(" ", font, size)
    lines: list[str] = []
    words: list[str] = []
    used = 0.0
    for word in text.split(" "):
        if not word:
            continue
        advance = width(word, font, size)
        if words and used + space + advance <= max_width:
            words.append(word)
            used += space + advance
            continue
        if words:
            lines.append(" ".join(words))
        if advance <= max_width:
            words, used = [word], advance
            continue
        *full, rest = _cut(word, font, size, max_width)
        lines.extend(full)
        words, used = [rest], width(rest, font, size)
    if words:
        lines.append(" ".join(words))
    return lines


def _cut(word: str, font: str, size: float, max_width: float) -> list[str]:
    """A word cut into pieces that each fit the line (URLs, very long names)."""
    pieces: list[str] = []
    piece = ""
    used = 0.0
    for ch in word:
        advance = width(ch, font, size)
        if piece and used + advance > max_width:
            pieces.append(piece)
            piece, used = "", 0.0
        piece += ch
        used += advance
    pieces.append(piece)
    return pieces


def balanced(text: str, font: str, size: float, max_width: float) -> list[str]:
    """Centred text broken into as few lines as ``wrap`` gives, but of even lengths.

    A title that spills one word onto a second line looks like a mistake; the same
    title split in two halves looks designed.
    """
    lines = wrap(text, font, size, max_width)
    if len(lines) < 2:
        return lines
    low, high = max_width / len(lines), max_width
    while high - low > 1:
        middle = (low + high) / 2
        if len(wrap(text, font, size, middle)) <= len(lines):
            high = middle
        else:
            low = middle
    return wrap(text, font, size, high)


def fit(
    texts: tuple[str, ...],
    font: str,
    *,
    max_size: float,
    min_size: float,
    max_width: float,
    max_lines: int | None = None,
    max_height: float | None = None,
    leading: float = 1.25,
    gap: float = 0.0,
    breaker: Callable[[str, str, float, float], list[str]] = balanced,
) -> tuple[Fitted, ...]:
    """Paragraphs set at the largest common size where they fit; never overflowing.

    The box is at most ``max_lines`` lines per paragraph and ``max_height`` points in
    all (``gap`` times the size between paragraphs). At ``min_size``, what still does
    not fit is cut short with an ellipsis: a shortened line beats text off the page.
    """
    # Balancing keeps the greedy line count, so the cheaper greedy breaker finds the size.
    greedy = wrap if breaker is balanced else breaker
    size = max_size
    while True:
        broken = [greedy(text, font, size, max_width) for text in texts]
        if _fits(broken, size, max_lines, max_height, leading, gap) or size <= min_size:
            break
        size = max(min_size, size - SIZE_STEP)
    fits = _fits(broken, size, max_lines, max_height, leading, gap)
    if fits:
        broken = [breaker(text, font, size, max_width) for text in texts]
    else:
        broken = _truncate(broken, font, size, max_width, max_lines, max_height, leading, gap)
    return tuple(
        Fitted(tuple(lines), font, size, size * leading, truncated=not fits) for lines in broken
    )


def wrap_url(url: str, font: str, size: float, max_width: float) -> list[str]:
    """A URL broken after its slashes where it can be, between characters where it must."""
    lines: list[str] = []
    current = ""
    for part in re.split(r"(?<=/)", url):
        if current and width(current + part, font, size) > max_width:
            lines.append(current)
            current = ""
        current += part
        if width(current, font, size) > max_width:
            *full, current = _cut(current, font, size, max_width)
            lines.extend(full)
    if current:
        lines.append(current)
    return lines


def _fits(
    broken: list[list[str]],
    size: float,
    max_lines: int | None,
    max_height: float | None,
    leading: float,
    gap: float,
) -> bool:
    if max_lines is not None and any(len(lines) > max_lines for lines in broken):
        return False
    return max_height is None or _height(broken, size, leading, gap) <= max_height


def _height(broken: list[list[str]], size: float, leading: float, gap: float) -> float:
    lines = sum(len(lines) for lines in broken)
    return lines * size * leading + max(0, len(broken) - 1) * gap * size


def _truncate(
    broken: list[list[str]],
    font: str,
    size: float,
    max_width: float,
    max_lines: int | None,
    max_height: float | None,
    leading: float,
    gap: float,
) -> list[list[str]]:
    # Shares the room fairly: each paragraph keeps lines in proportion to its length.
    budget = sum(len(lines) for lines in broken)
    if max_height is not None:
        room = max_height - max(0, len(broken) - 1) * gap * size
        budget = min(budget, max(len(broken), int(room // (size * leading))))
    total = sum(len(lines) for lines in broken)
    kept: list[list[str]] = []
    for lines in broken:
        keep = max(1, budget * len(lines) // total)
        if max_lines is not None:
            keep = min(keep, max_lines)
        if keep < len(lines):
            lines = [*lines[: keep - 1], _with_ellipsis(lines[keep - 1], font, size, max_width)]
        kept.append(lines)
    return kept


def _with_ellipsis(line: str, font: str, size: float, max_width: float) -> str:
    while line and width(line + ELLIPSIS, font, size) > max_width:
        line = line[:-1]
    return line.rstrip() + ELLIPSIS
