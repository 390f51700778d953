"""Certificate rules: their standing, downloads, reissue requests and prospects."""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from lms.certificates import badge_image, queries
from lms.certificates.models import Certificate, CertificatePdf, CertificateStatus
from lms.content import Catalog, CertificateDefinition, Localized
from lms.db import rows_changed, utcnow
from lms.errors import DomainError
from lms.learning import queries as learning
from lms.live import queries as live

if TYPE_CHECKING:
    from lms.accounts.models import User


class CertificateNotFound(DomainError):
    status_code = 404
    message = lazy_gettext(
        "You have no certificate with this code. Start again from the list of your certificates."
    )


class CertificateNotDownloadable(DomainError):
    status_code = 410
    message = lazy_gettext(
        "This certificate was revoked or replaced: it can no longer be downloaded. Your "
        "list of certificates shows why, and the replacement if there is one."
    )


class Standing(enum.StrEnum):
    """Where a certificate stands, as the verification page says it."""

    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"
    WITHDRAWN = "withdrawn"
    """The holder deleted their account: the record stays, without their name."""


def standing_of(certificate: Certificate, now: datetime | None = None) -> Standing:
    if certificate.holder_withdrawn_at is not None:
        return Standing.WITHDRAWN
    if certificate.status is CertificateStatus.REVOKED:
        return Standing.REVOKED
    if certificate.status is CertificateStatus.SUPERSEDED:
        return Standing.SUPERSEDED
    moment = now if now is not None else utcnow()
    if certificate.expires_at is not None and certificate.expires_at <= moment:
        return Standing.EXPIRED
    return Standing.VALID


def own_certificate(session: Session, user: User, code: str) -> Certificate:
    """``user``'s certificate of ``code``; ``CertificateNotFound`` for anyone else's."""
    certificate = queries.find_certificate_by_code(session, code)
    # Not found, rather than forbidden: whether a code exists is not a learner's to learn.
    if certificate is None or certificate.user_id != user.id:
        raise CertificateNotFound
    return certificate


def pdf_of(session: Session, certificate: Certificate, language: str | None) -> CertificatePdf:
    """The PDF stored at issue in ``language`` (default: the certificate's own language).

    Raises ``CertificateNotDownloadable`` for a revoked or superseded certificate.
    """
    _require_downloadable(certificate)
    wanted = language if language in {p.language for p in certificate.pdfs} else None
    chosen = wanted or certificate.language
    found = session.scalar(
        select(CertificatePdf).where(
            CertificatePdf.certificate_id == certificate.id, CertificatePdf.language == chosen
        )
    )
    if found is None:
        # A certificate issued before PDFs were kept per language: its only one.
        found = session.scalar(
            select(CertificatePdf).where(CertificatePdf.certificate_id == certificate.id)
        )
    if found is None:
        raise CertificateNotFound
    return found


def badge_of(certificate: Certificate) -> str:
    """The signed Open Badge (VC-JWT) of ``certificate``."""
    _require_downloadable(certificate)
    if certificate.badge_jwt is None:
        raise CertificateNotFound
    return certificate.badge_jwt


class ReissueNotNeeded(DomainError):
    status_code = 409
    message = lazy_gettext(
        "This certificate already prints the name in your profile: there is nothing to reissue."
    )


class ReissueAlreadyRequested(DomainError):
    status_code = 409
    message = lazy_gettext(
        "You have already asked for this certificate to be reissued: the program’s team has "
        "your request."
    )


def names_out_of_date(certificates: Sequence[Certificate], user: User) -> list[Certificate]:
    """The active ones of ``user``'s ``certificates`` that print another name than the one
    their profile gives now: those they may ask staff to reissue."""
    name = (user.certificate_name or "").strip()
    return [
        c
        for c in certificates
        if name
        and c.certificate_name != name
        and c.status is CertificateStatus.ACTIVE
        and c.holder_withdrawn_at is None
    ]


def request_reissue(session: Session, user: User, certificate: Certificate) -> None:
    """Record ``user``'s request that staff reissue ``certificate`` (theirs) in their current
    name, once: staff see it on the learner's record. Raises ``ReissueNotNeeded`` and
    ``ReissueAlreadyRequested`` (also for a second click at the same instant)."""
    if certificate not in names_out_of_date([certificate], user):
        raise ReissueNotNeeded
    requested = (
        update(Certificate)
        .where(Certificate.id == certificate.id, Certificate.reissue_requested_at.is_(None))
        .values(
            reissue_requested_at=utcnow(),
            reissue_requested_name=(user.certificate_name or "").strip(),
        )
        .execution_options(synchronize_session=False)
    )
    if rows_changed(session, requested) != 1:
        raise ReissueAlreadyRequested
    session.refresh(certificate)


def badge_image_of(certificate: Certificate, language: str) -> bytes:
    """The Open Badge as a PNG with its credential baked in; its words in ``language`` where
    the certificate has them (a bilingual one: the language asked)."""
    token = badge_of(certificate)
    title = Localized.of(certificate.title).get(language)
    issuer = Localized.of(certificate.issuer.get("name") or {}).get(language)
    return badge_image.bake(badge_image.badge_png(title, issuer), token)


def _require_downloadable(certificate: Certificate) -> None:
    if certificate.status is not CertificateStatus.ACTIVE or certificate.holder_withdrawn_at:
        raise CertificateNotDownloadable


@dataclass(frozen=True)
class Prospect:
    """A certificate requiring a course, as its learner stands toward it."""

    definition: CertificateDefinition
    code: str | None
    """The learner's valid certificate of it; None while they have none."""
    missing_courses: tuple[str, ...]
    """Required courses not completed yet, in the definition's order."""
    name_missing: bool
    """The learner has no name for certificates, which a certificate prints."""
    email_unconfirmed: bool = False
    """The learner's address is not confirmed yet: certificates wait for it."""
    sessions_missing: int = 0
    """Live sessions still to attend (``requires_sessions``)."""


def prospects(session: Session, user: User, catalog: Catalog, course_id: str) -> list[Prospect]:
    """Each certificate of ``catalog`` requiring ``course_id``, as ``user`` stands toward it:
    what a learner who completes the course is told (their certificate, or what it still needs)."""
    completed = learning.completed_enrolments(session, user)
    # One query for all of them, not one per definition: the latest of each, by sequence.
    latest_of: dict[str, Certificate] = {}
    for certificate in queries.certificates_of(session, user):
        known = latest_of.get(certificate.definition_id)
        if known is None or certificate.sequence > known.sequence:
            latest_of[certificate.definition_id] = certificate
    found = []
    for definition in catalog.certificates_requiring(course_id):
        latest = latest_of.get(definition.id)
        valid = latest is not None and standing_of(latest) is Standing.VALID
        found.append(
            Prospect(
                definition=definition,
                code=latest.code if valid and latest is not None else None,
                missing_courses=tuple(c for c in definition.requires if c not in completed),
                name_missing=not (user.certificate_name or "").strip(),
                email_unconfirmed=not user.email_confirmed,
                sessions_missing=_sessions_missing(session, user, definition),
            )
        )
    return found


def _sessions_missing(session: Session, user: User, definition: CertificateDefinition) -> int:
    requirement = definition.requires_sessions
    if requirement is None:
        return 0
    return max(0, requirement.count - live.attended_count(session, user.id, requirement))
