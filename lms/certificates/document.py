"""What a certificate prints, as one frozen value: the input of the PDF renderer."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from babel.dates import format_date
from babel.units import format_unit

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
    duration_minutes: int | None = None
    """The learning time the certificate attests (its courses' estimated minutes); None on
    certificates issued before it was recorded, which print none."""
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
    duration_minutes: int | None = None,
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
        duration_minutes=duration_minutes,
        fonts_dir=fonts_dir,
    )


def format_day(day: date, language: str) -> str:
    """The date as written in running text: ``21 novembre 2026``, ``November 21, 2026``."""
    text = format_date(day, "long", locale=_LOCALES[language])
    if language == "fr" and day.day == 1:
        text = "1er" + text[1:]  # French writes the first of the month as an ordinal
    return text


def format_hours(minutes: int, language: str) -> str:
    """A learning time in hours, to the nearest half hour: ``6,5 heures``, ``1.5 hours``.

    Half hours, because the minutes are authors' estimates: "6.25 hours" would claim a
    precision they do not have. Never below half an hour, so a short course is not "0 hours".
    """
    hours = max(1, math.floor(minutes / 30 + 0.5)) / 2
    return format_unit(hours, "duration-hour", length="long", locale=_LOCALES[language])
