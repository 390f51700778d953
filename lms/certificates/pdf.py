"""The certificate as a one-page landscape PDF: pure, and the same bytes for the same input."""

from __future__ import annotations

import io
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from lms.certificates.document import (
    FONTS_DIR,
    CertificateDocument,
    Mode,
    document_for,
    format_day,
    format_hours,
    mode_for,
)
from lms.certificates.pdf_layout import PAGE_HEIGHT, PAGE_WIDTH, draw_page
from lms.certificates.typesetting import load_fonts
from lms.content.model import Localized, Signatory
from lms.content.typography import french_spaces

__all__ = [
    "FONTS_DIR",
    "CertificateDocument",
    "Mode",
    "document_for",
    "format_day",
    "format_hours",
    "mode_for",
    "render_certificate_pdf",
]

# reportlab's TrueType fonts keep per-document state that the library does not lock.
_render_lock = threading.Lock()

# reportlab takes these from RL_* environment variables and settings files: pinned while
# rendering, so that no deployment's configuration changes the bytes. (ASCII85 would also
# make the file a quarter larger, for 7-bit transports nobody uses.)
_SETTINGS = {"useA85": 0, "pdfComments": 0, "pdfMultiLine": 0, "canvas_baseColor": None}


def render_certificate_pdf(document: CertificateDocument) -> bytes:
    """The certificate as PDF bytes: the same bytes every time for the same document."""
    doc = _normalized(document)
    fonts = load_fonts(doc.fonts_dir)
    primary = doc.mode.languages[0]
    buffer = io.BytesIO()
    with _render_lock, _pinned_settings():
        # invariant: no clock and no random id in the file; the dates it carries are the
        # issue date (set below). SOURCE_DATE_EPOCH, if set, would change its /ID only.
        canvas = Canvas(
            buffer,
            pagesize=(PAGE_WIDTH, PAGE_HEIGHT),
            invariant=1,
            pageCompression=1,
            lang=primary,
            # Otherwise every page starts in Helvetica, a font the PDF would not embed.
            initialFontName=fonts.regular,
        )
        issued = doc.issued_on
        canvas.setDateFormatter(lambda *_: f"D:{issued:%Y%m%d}000000Z")
        canvas.setTitle(f"{doc.title.get(primary)} – {doc.holder_name}")
        canvas.setAuthor(doc.issuer_name.get(primary))
        canvas.setSubject(f"{doc.holder_name} {doc.statement.get(primary)}")
        canvas.setKeywords(f"{doc.code} {doc.verify_url}")
        canvas.setCreator("Parcours")
        draw_page(canvas, doc, fonts)
        canvas.showPage()
        canvas.save()
    return buffer.getvalue()


@contextmanager
def _pinned_settings() -> Iterator[None]:
    saved = {name: getattr(rl_config, name) for name in _SETTINGS}
    for name, value in _SETTINGS.items():
        setattr(rl_config, name, value)
    try:
        yield
    finally:
        for name, value in saved.items():
            setattr(rl_config, name, value)


def _normalized(document: CertificateDocument) -> CertificateDocument:
    """Every printed string in NFC, so a name typed on any keyboard prints one way, and the
    French ones with French typography's no-break spaces, which line breaking keeps: a title
    never breaks after « or before » (also on certificates issued before content had them)."""

    def nfc(text: str) -> str:
        return unicodedata.normalize("NFC", text).strip()

    def loc(text: Localized) -> Localized:
        return Localized.of(
            {
                key: french_spaces(nfc(value)) if key == "fr" else nfc(value)
                for key, value in text.values.items()
            }
        )

    return CertificateDocument(
        holder_name=nfc(document.holder_name),
        title=loc(document.title),
        statement=loc(document.statement),
        issuer_name=loc(document.issuer_name),
        issued_on=document.issued_on,
        expires_on=document.expires_on,
        code=nfc(document.code),
        verify_url=document.verify_url.strip(),
        mode=Mode(document.mode),
        signatories=tuple(
            Signatory(nfc(s.name) if s.name else None, loc(s.title), s.signature)
            for s in document.signatories
        ),
        logo=document.logo,
        duration_minutes=document.duration_minutes,
        fonts_dir=document.fonts_dir,
    )
