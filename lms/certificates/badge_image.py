"""The Open Badge as an image people recognise: a round PNG with the credential baked in, as
Open Badges 3.0 bakes it (an ``iTXt`` chunk keyed ``openbadgecredential`` holding the VC-JWT),
so that a wallet or a verifier reads the credential back from the image itself. Pure."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from PIL.PngImagePlugin import PngInfo

from lms.certificates.document import FONTS_DIR
from lms.certificates.typesetting import BOLD_FILE, REGULAR_FILE

CREDENTIAL_KEYWORD = "openbadgecredential"
SIZE = 600
ACCENT = (11, 83, 148, 255)
"""The site's accent blue (parcours.css ``--accent``)."""
ACCENT_DARK = (7, 55, 99, 255)
WHITE = (255, 255, 255, 255)
TITLE_SIZES = (44, 40, 36, 32, 28, 24)
TITLE_LINES = 5


def badge_png(title: str, issuer: str, fonts_dir: Path = FONTS_DIR) -> bytes:
    """A round badge naming ``title`` and ``issuer``, white on the site's blue."""
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((8, 8, SIZE - 8, SIZE - 8), fill=ACCENT, outline=ACCENT_DARK, width=14)
    draw.ellipse((40, 40, SIZE - 40, SIZE - 40), outline=WHITE, width=3)
    size, lines = _fit_title(title)
    font = ImageFont.truetype(str(fonts_dir / BOLD_FILE), size)
    _centred(draw, lines, font, middle=SIZE * 0.45)
    small = ImageFont.truetype(str(fonts_dir / REGULAR_FILE), 22)
    _centred(draw, textwrap.wrap(issuer, 34)[:2], small, middle=SIZE * 0.78)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def bake(png: bytes, credential: str) -> bytes:
    """``png`` with ``credential`` (a VC-JWT) baked in, uncompressed, as OB 3.0 says."""
    info = PngInfo()
    info.add_itxt(CREDENTIAL_KEYWORD, credential, zip=False)
    out = io.BytesIO()
    with Image.open(io.BytesIO(png)) as image:
        image.save(out, "PNG", pnginfo=info)
    return out.getvalue()


def _fit_title(title: str) -> tuple[int, list[str]]:
    # The largest size whose wrapped lines fit the disc; the smallest one, cut, if none does.
    for size in TITLE_SIZES:
        lines = textwrap.wrap(title, width=int(660 / size))
        if len(lines) <= TITLE_LINES:
            return size, lines
    smallest = TITLE_SIZES[-1]
    lines = textwrap.wrap(title, width=int(660 / smallest))
    return smallest, [*lines[: TITLE_LINES - 1], lines[TITLE_LINES - 1].rstrip() + "…"]


def _centred(
    draw: ImageDraw.ImageDraw, lines: list[str], font: ImageFont.FreeTypeFont, middle: float
) -> None:
    leading = font.size * 1.25
    top = middle - leading * len(lines) / 2
    for index, line in enumerate(lines):
        draw.text(
            (SIZE / 2, top + leading * (index + 0.5)), line, font=font, fill=WHITE, anchor="mm"
        )
