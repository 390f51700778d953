"""What a certificate prints, as one frozen value: the input of the PDF renderer."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from babel.dates import format_date

from lms.content.model import CertificateDefinition, Localized, Signatory

FONTS_DIR = Path(__file__).resolve().parent / "fonts"
"""DejaVu Sans, shipped with the package (licence alongside): Latin, Vietnamese, Greek,
Cyrillic and Canadian syllabics in one face."""

_LOCALES = {"fr": "fr_CA", "en": "en_CA"}


class Mode(enum.StrEnum):
    FR = "fr"
    EN = "en"
    BILINGUAL = "bilingual"
    """French first, then English, on one page."""

    @property
    def languages(self) -> tuple[str, ...]:
        return ("fr", "en") if self is Mode.BILINGUAL else (self.value,)


@dataclass(frozen=True)
class CertificateDocument:
    """Everything a certificate prints; rendering it twice gives the same bytes."""

    holder_name: str
    title: Localized
    statement: Localized
    """The sentence under the name: "a complété avec succès ..."."""
    issuer_name: Localized
    issued_on: date
    expires_on: date | None
    code: str
    verify_url: str
    mode: Mode
    signatories: tuple[Signatory, ...]
    logo: Path | None
    fonts_dir: Path = FONTS_DIR


def mode_for(definition: CertificateDefinition, language: str) -> Mode:
    """Bilingual when the definition says so, else the learner's language (French by default)."""
    if definition.bilingual:
        return Mode.BILINGUAL
    return Mode.EN if language == "en" else Mode.FR


def document_for(
    definition: CertificateDefinition,
    *,
    holder_name: str,
    issued_on: date,
    expires_on: date | None,
    code: str,
    verify_url: str,
    mode: Mode,
    fonts_dir: Path = FONTS_DIR,
) -> CertificateDocument:
    """The document for one learner's certificate of ``definition``."""
    return CertificateDocument(
        holder_name=holder_name,
        title=definition.title,
        statement=definition.statement,
        issuer_name=definition.issuer.name,
        issued_on=issued_on,
        expires_on=expires_on,
        code=code,
        verify_url=verify_url,
        mode=mode,
        signatories=definition.signatories,
        logo=definition.logo,
        fonts_dir=fonts_dir,
    )


def format_day(day: date, language: str) -> str:
    """The date as written in running text: ``21 novembre 2026``, ``November 21, 2026``."""
    text = format_date(day, "long", locale=_LOCALES[language])
    if language == "fr" and day.day == 1:
        text = "1er" + text[1:]  # French writes the first of the month as an ordinal
    return text
