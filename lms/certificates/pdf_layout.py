"""The certificate's page: frame, logo, centred text, verification block, signatures."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reportlab.graphics.barcode.qr import QrCode
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import landscape, letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from lms.certificates.document import CertificateDocument, format_day, format_hours
from lms.certificates.typesetting import Fitted, Fonts, fit, width, wrap_url
from lms.content.model import Signatory

# The few words the page adds around the author's text, in both languages.
LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "kicker": "ATTESTATION DE RÉUSSITE",
        "awarded": "Cette attestation est décernée à",
        "issued": "Délivrée par {issuer} le {date}",
        "until": ", valide jusqu’au {date}",
        "duration": "Durée de la formation\u00a0: {hours}",
        "code": "Code de vérification",
        "verify": "Vérifier en ligne",
    },
    "en": {
        "kicker": "CERTIFICATE OF COMPLETION",
        "awarded": "This certificate is awarded to",
        "issued": "Issued by {issuer} on {date}",
        "until": ", valid until {date}",
        "duration": "Learning time: {hours}",
        "code": "Verification code",
        "verify": "Verify online",
    },
}

PAGE_WIDTH, PAGE_HEIGHT = landscape(letter)  # Quebec prints on Letter, not A4
INK = HexColor("#1E293B")
MUTED = HexColor("#526072")
TEAL = HexColor("#0F766E")
ORANGE = HexColor("#EA7317")

MARGIN = 54.0
TEXT_WIDTH = 600.0
BAND_TOP = 140.0
"""Signatures and the verification block live below this line."""
QR_SIZE = 86.0
SIGNATURE_LINE_Y = 92.0
VERIFY_WIDTH = 190.0


def draw_page(canvas: Canvas, doc: CertificateDocument, fonts: Fonts) -> None:
    """Draws the whole certificate on the canvas's current page."""
    _draw_frame(canvas)
    top = PAGE_HEIGHT - 44
    if doc.logo is not None:
        top = _draw_logo(canvas, doc.logo, top)
    _draw_body(canvas, doc, fonts, top - 12, BAND_TOP + 6)
    _draw_verification(canvas, doc, fonts)
    _draw_signatories(canvas, doc, fonts)


def _draw_frame(canvas: Canvas) -> None:
    canvas.setStrokeColor(TEAL)
    canvas.setLineWidth(2.4)
    canvas.rect(18, 18, PAGE_WIDTH - 36, PAGE_HEIGHT - 36)
    canvas.setLineWidth(0.6)
    canvas.rect(25, 25, PAGE_WIDTH - 50, PAGE_HEIGHT - 50)
    # Four small orange squares at the inner corners echo the logo's waypoint.
    canvas.setFillColor(ORANGE)
    for x in (25, PAGE_WIDTH - 25):
        for y in (25, PAGE_HEIGHT - 25):
            canvas.rect(x - 2.5, y - 2.5, 5, 5, stroke=0, fill=1)


def _draw_logo(canvas: Canvas, logo: Path, top: float) -> float:
    """Draws the logo centred under ``top``; returns the y below it."""
    image = ImageReader(str(logo))
    image_width, image_height = (float(side) for side in image.getSize())
    # 46 pt tall, unless that would make a wide logo wider than 220 pt.
    drawn_width = min(220.0, 46.0 * image_width / image_height)
    height = drawn_width * image_height / image_width
    x = (PAGE_WIDTH - drawn_width) / 2
    canvas.drawImage(image, x, top - height, drawn_width, height, mask="auto")
    return top - height


@dataclass(frozen=True)
class _Block:
    """A run of centred lines in the body, with the space to leave above it."""

    fitted: Fitted
    color: HexColor
    space_before: float
    char_space: float = 0.0
    underline: bool = False


UNDERLINE_HEIGHT = 20.0


def _draw_body(
    canvas: Canvas, doc: CertificateDocument, fonts: Fonts, top: float, bottom: float
) -> None:
    """The centred column: kicker, title, name, statement, issue line; spread to fill."""
    languages = doc.mode.languages
    bilingual = len(languages) == 2
    labels = [LABELS[lang] for lang in languages]

    def line(text: str, font: str, size: float, lines: int = 1, wide: float = 0) -> Fitted:
        # A title or name set a little smaller on one line reads better than on two.
        for max_lines, min_size in ((1, size * 0.82), (lines, min(size, 9.0))):
            fitted = fit(
                (text,),
                font,
                max_size=size,
                min_size=min_size,
                max_width=TEXT_WIDTH + wide,
                max_lines=max_lines,
                leading=1.22,
            )[0]
            if max_lines == lines or not fitted.truncated:
                return fitted
        return fitted

    kicker = "  ·  ".join(label["kicker"] for label in labels)
    awarded = "  ·  ".join(label["awarded"] for label in labels)
    blocks = [_Block(line(kicker, fonts.bold, 9.5), TEAL, 0, char_space=2.2)]
    if bilingual:
        french = line(doc.title.get("fr"), fonts.bold, 20, 2, 40)
        # The English title stays a step below the French one, however far that shrank.
        english = line(doc.title.get("en"), fonts.regular, min(14, french.size * 0.75), 2, 40)
        blocks.append(_Block(french, INK, 12))
        blocks.append(_Block(english, MUTED, 2))
    else:
        blocks.append(_Block(line(doc.title.get(languages[0]), fonts.bold, 24, 2, 40), INK, 12))
    blocks.append(_Block(line(awarded, fonts.regular, 10.5), MUTED, 14))
    name = line(doc.holder_name, fonts.bold, 34 if bilingual else 38, 3, 60)
    blocks.append(_Block(name, INK, 6, underline=True))
    issued = [
        _Block(line(_issued_line(doc, lang), fonts.regular, 10, 2, 40), color, space)
        for lang, color, space in zip(languages, (INK, MUTED), (12, 1), strict=False)
    ]

    fixed = sum(b.fitted.height + b.space_before for b in [*blocks, *issued])
    statement_gap = 10.0
    room = top - bottom - fixed - UNDERLINE_HEIGHT - statement_gap - 8
    parts = fit(
        tuple(doc.statement.get(lang) for lang in languages),
        fonts.regular,
        max_size=11.5 if bilingual else 13,
        min_size=6.5,
        max_width=TEXT_WIDTH + 40,
        max_height=max(room, 16.0),
        leading=1.32,
        gap=0.5,
    )
    for index, part in enumerate(parts):
        color, space = (INK, statement_gap) if index == 0 else (MUTED, part.size * 0.5)
        blocks.append(_Block(part, color, space))
    blocks.extend(issued)

    # Leftover height goes to the gaps between groups, so a short certificate breathes
    # evenly instead of bunching at the top; capped so a sparse page does not float apart.
    used = sum(b.fitted.height + b.space_before for b in blocks) + UNDERLINE_HEIGHT
    flexible = sum(b.space_before for b in blocks[1:] if b.space_before >= 6)
    stretch = min(2.6, 1 + max(0.0, top - bottom - used) / max(1.0, flexible))
    y = top - max(0.0, top - bottom - used - flexible * (stretch - 1)) / 2
    for index, block in enumerate(blocks):
        space = block.space_before
        y -= space * stretch if index and space >= 6 else space
        y = _draw_lines(canvas, block, y)
        if block.underline:
            _underline(canvas, y - 6)
            y -= UNDERLINE_HEIGHT


def _draw_lines(canvas: Canvas, block: _Block, top: float) -> float:
    """Draws the block's lines centred below ``top``; returns the y under the last line."""
    fitted = block.fitted
    canvas.setFillColor(block.color)
    canvas.setFont(fitted.font, fitted.size)
    y = top
    for text in fitted.lines:
        # The baseline sits about 0.78 of the size below the line's top, whatever the leading.
        baseline = y - fitted.size * 0.78 - (fitted.leading - fitted.size) / 2
        canvas.drawCentredString(PAGE_WIDTH / 2, baseline, text, charSpace=block.char_space)
        y -= fitted.leading
    return y


def _underline(canvas: Canvas, y: float) -> None:
    """The rule under the name: teal, ending in an orange waypoint, like the logo's."""
    half = 150.0
    canvas.setStrokeColor(TEAL)
    canvas.setLineWidth(1.6)
    canvas.setLineCap(1)
    canvas.line(PAGE_WIDTH / 2 - half, y, PAGE_WIDTH / 2 + half - 10, y)
    canvas.setLineCap(0)
    canvas.setFillColor(ORANGE)
    canvas.circle(PAGE_WIDTH / 2 + half, y, 3, stroke=0, fill=1)


def _issued_line(doc: CertificateDocument, language: str) -> str:
    labels = LABELS[language]
    line = labels["issued"].format(
        issuer=doc.issuer_name.get(language), date=format_day(doc.issued_on, language)
    )
    if doc.expires_on is not None:
        line += labels["until"].format(date=format_day(doc.expires_on, language))
    if doc.duration_minutes is None:
        return line + "."
    hours = format_hours(doc.duration_minutes, language)
    return labels["duration"].format(hours=hours) + "  ·  " + line + "."


def _draw_verification(canvas: Canvas, doc: CertificateDocument, fonts: Fonts) -> None:
    """Bottom left: the QR code, and beside it the code and the URL it encodes."""
    size, x, y = QR_SIZE, MARGIN, 44.0
    # The flowable draws straight on the canvas; the graphics widget would switch the
    # page to Helvetica, a font the PDF would then name without embedding it.
    canvas.setFillColor(INK)
    QrCode(doc.verify_url, width=size, height=size, qrBorder=0, qrLevel="M").drawOn(canvas, x, y)
    canvas.linkURL(doc.verify_url, (x, y, x + size, y + size), relative=0)

    languages = doc.mode.languages
    text_x = x + size + 14
    line_y = y + size - 7
    canvas.setFillColor(MUTED)
    canvas.setFont(fonts.regular, 7.5)
    canvas.drawString(text_x, line_y, " / ".join(LABELS[lang]["code"] for lang in languages))
    code_size = 13.0
    while code_size > 7 and width(doc.code, fonts.bold, code_size) + 0.5 * len(doc.code) > (
        VERIFY_WIDTH
    ):
        code_size -= 0.5
    line_y -= code_size + 6
    canvas.setFillColor(INK)
    canvas.setFont(fonts.bold, code_size)
    canvas.drawString(text_x, line_y, doc.code, charSpace=0.5)
    line_y -= 16
    canvas.setFillColor(MUTED)
    canvas.setFont(fonts.regular, 7.5)
    canvas.drawString(text_x, line_y, " / ".join(LABELS[lang]["verify"] for lang in languages))
    url = fit(
        (doc.verify_url,),
        fonts.regular,
        max_size=8,
        min_size=5,
        max_width=VERIFY_WIDTH,
        max_lines=3,
        breaker=wrap_url,
    )[0]
    canvas.setFillColor(TEAL)
    canvas.setFont(url.font, url.size)
    link_top = line_y - 2
    for text in url.lines:
        line_y -= url.leading
        canvas.drawString(text_x, line_y, text)
    canvas.linkURL(
        doc.verify_url, (text_x, line_y - 2, text_x + VERIFY_WIDTH, link_top), relative=0
    )


def _draw_signatories(canvas: Canvas, doc: CertificateDocument, fonts: Fonts) -> None:
    """Bottom right: one column per signatory, the signature image above the line."""
    signatories = doc.signatories
    if not signatories:
        return
    area_left = MARGIN + QR_SIZE + 14 + VERIFY_WIDTH + 24
    area_right = PAGE_WIDTH - MARGIN
    column = min(210.0, (area_right - area_left) / len(signatories))
    start = area_right - column * len(signatories)
    inner = column - 20
    names, titles = _fit_signatories(signatories, doc.mode.languages, fonts, inner)
    per = len(doc.mode.languages)
    for index, signatory in enumerate(signatories):
        centre = start + column * (index + 0.5)
        if signatory.signature is not None:
            _draw_signature(canvas, signatory.signature, centre, SIGNATURE_LINE_Y + 3, inner)
        canvas.setStrokeColor(INK)
        canvas.setLineWidth(0.6)
        canvas.line(centre - inner / 2, SIGNATURE_LINE_Y, centre + inner / 2, SIGNATURE_LINE_Y)
        y = _draw_column_lines(canvas, names[index], INK, centre, SIGNATURE_LINE_Y - 4) - 1.5
        for title in titles[index * per : (index + 1) * per]:
            y = _draw_column_lines(canvas, title, MUTED, centre, y)


def _fit_signatories(
    signatories: tuple[Signatory, ...], languages: tuple[str, ...], fonts: Fonts, inner: float
) -> tuple[tuple[Fitted, ...], tuple[Fitted, ...]]:
    """Names and titles at one size for all columns, short enough to clear the frame."""
    room = SIGNATURE_LINE_Y - 4 - 1.5 - 36
    scale = 1.0
    while True:
        names = fit(
            # A role-only signatory sets no name line: its title sits under the rule.
            tuple(s.name or "" for s in signatories),
            fonts.bold,
            max_size=10 * scale,
            min_size=6 * scale,
            max_width=inner,
            max_lines=2,
            leading=1.2,
        )
        titles = fit(
            tuple(s.title.get(lang) for s in signatories for lang in languages),
            fonts.regular,
            # Titles stay a step below the names, even when long names had to shrink.
            max_size=min(8.5 * scale, names[0].size * 0.9),
            min_size=min(5.5 * scale, names[0].size * 0.9),
            max_width=inner,
            max_lines=2,
            leading=1.2,
        )
        per = len(languages)
        tallest = max(
            name.height + sum(t.height for t in titles[i * per : (i + 1) * per])
            for i, name in enumerate(names)
        )
        if tallest <= room or scale <= 0.7:
            return names, titles
        scale -= 0.05


def _draw_column_lines(
    canvas: Canvas, fitted: Fitted, color: HexColor, centre: float, top: float
) -> float:
    canvas.setFillColor(color)
    canvas.setFont(fitted.font, fitted.size)
    y = top
    for text in fitted.lines:
        y -= fitted.leading
        canvas.drawCentredString(centre, y + (fitted.leading - fitted.size) / 2, text)
    return y


def _draw_signature(canvas: Canvas, path: Path, centre: float, bottom: float, room: float) -> None:
    image = ImageReader(str(path))
    image_width, image_height = image.getSize()
    scale = min(room / image_width, 42.0 / image_height)
    drawn_width, drawn_height = image_width * scale, image_height * scale
    canvas.drawImage(
        image, centre - drawn_width / 2, bottom, drawn_width, drawn_height, mask="auto"
    )
