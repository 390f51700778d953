"""What a certificate is made of at issue: its PDFs and its signed Open Badge."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from flask_babel import force_locale, gettext

from lms.certificates.badges import (
    Badge,
    BadgeAchievement,
    BadgeHolder,
    BadgeIssuer,
    issue_badge,
    new_salt,
    subject_id_for,
)
from lms.certificates.keys import signing_key
from lms.certificates.pdf import CertificateDocument, Mode, format_hours, render_certificate_pdf
from lms.certificates.status_lists import badge_status
from lms.config import current_settings
from lms.content import Catalog, CertificateDefinition, Localized
from lms.mail import external_url


@dataclass(frozen=True)
class Statement:
    """What one certificate states, frozen at issue: the input of its PDFs and its badge."""

    definition_id: str
    code: str
    holder_name: str
    title: Localized
    statement: Localized
    issuer_name: Localized
    issuer_url: str
    issued_at: datetime
    expires_at: datetime | None
    language: str
    """``fr``, ``en`` or ``bilingual``: the certificate's own language (``Mode``)."""
    duration_minutes: int | None = None
    """The learning time attested, as frozen at issue (None before it was recorded)."""


def local_day(moment: datetime, zone: tzinfo) -> date:
    """The day of ``moment`` where the site is (``LMS_TIME_ZONE``): a certificate is dated there."""
    return moment.astimezone(zone).date()


def pdf_languages(language: str) -> tuple[str, ...]:
    """The PDFs a certificate in ``language`` has: both languages, or the bilingual one.

    Both are rendered at issue, so that the learner picks at download and every download
    of either is the same bytes, whatever happens to the definition or the fonts later.
    """
    if language == Mode.BILINGUAL:
        return (Mode.BILINGUAL.value,)
    return (Mode.FR.value, Mode.EN.value)


def verify_url(code: str) -> str:
    """The public verification page of ``code``: what the QR code on the PDF says."""
    return external_url("certificates.verify", code=code)


def render_pdfs(statement: Statement, definition: CertificateDefinition) -> dict[str, bytes]:
    """The PDFs of the certificate by language (see ``pdf_languages``).

    Texts come from ``statement``; the signatories and the logo, which cannot be
    snapshotted in a row, from ``definition`` as it is now.
    """
    rendered = {}
    zone = current_settings().zone
    for language in pdf_languages(statement.language):
        document = CertificateDocument(
            holder_name=statement.holder_name,
            title=statement.title,
            statement=statement.statement,
            issuer_name=statement.issuer_name,
            issued_on=local_day(statement.issued_at, zone),
            expires_on=local_day(statement.expires_at, zone) if statement.expires_at else None,
            code=statement.code,
            verify_url=verify_url(statement.code),
            mode=Mode(language),
            signatories=definition.signatories,
            logo=definition.logo,
            duration_minutes=statement.duration_minutes,
        )
        rendered[language] = render_certificate_pdf(document)
    return rendered


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def sign_badge(
    statement: Statement,
    *,
    email: str | None,
    language: str,
    criteria: str,
    status_index: int,
) -> str:
    """The certificate as an OpenBadgeCredential, signed (VC-JWT) with the app's key.

    ``language`` is the one the badge's texts are in: the learner's; ``status_index`` the
    certificate's bit in its revocation status lists.
    """
    badge = Badge(
        id=verify_url(statement.code),
        issuer=BadgeIssuer(
            id=external_url("certificates.issuer", definition_id=statement.definition_id),
            name=statement.issuer_name.get(language),
            url=statement.issuer_url,
        ),
        achievement=BadgeAchievement(
            id=external_url("certificates.achievement", definition_id=statement.definition_id),
            name=statement.title.get(language),
            description=statement.statement.get(language),
            criteria=criteria,
            language=language,
        ),
        holder=BadgeHolder(
            id=subject_id_for(statement.code),
            name=statement.holder_name,
            email=email,
            salt=new_salt(),
        ),
        valid_from=statement.issued_at,
        valid_until=statement.expires_at,
        status=badge_status(statement.definition_id, status_index),
    )
    return issue_badge(badge, signing_key(), jwks_url=external_url("certificates.jwks"))


def duration_minutes(catalog: Catalog, requires: tuple[str, ...]) -> int:
    """The learning time of the courses ``requires`` names: their authors' estimates, summed."""
    courses = (catalog.course(course_id) for course_id in requires)
    return sum(course.estimated_minutes for course in courses if course is not None)


def criteria_text(
    catalog: Catalog, requires: tuple[str, ...], language: str, minutes: int | None = None
) -> str:
    """What earns the certificate, in ``language``: the courses to complete, by title, and
    the learning time they take (``minutes``, as frozen at issue; the catalogue's if None)."""
    titles = []
    for course_id in requires:
        course = catalog.course(course_id)
        titles.append(course.title.get(language, course.default_language) if course else course_id)
    hours = format_hours(
        duration_minutes(catalog, requires) if minutes is None else minutes, language
    )
    with force_locale(language):
        return gettext(
            "Complete the following courses (%(hours)s of learning in all): %(courses)s.",
            hours=hours,
            courses="; ".join(titles),
        )
