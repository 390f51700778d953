"""Certificate rules: their standing, downloads, revoking and reissuing (both audited)."""

from __future__ import annotations

import enum
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.audit import services as audit
from lms.audit.actions import AuditAction
from lms.certificates import badge_image, issuing, mails, queries, status_lists
from lms.certificates.codes import new_code
from lms.certificates.models import Certificate, CertificatePdf, CertificateStatus
from lms.content import Catalog, CertificateDefinition, Localized
from lms.db import rows_changed, utcnow
from lms.errors import DomainError
from lms.learning import queries as learning
from lms.live import queries as live
from lms.outbox.services import enqueue

if TYPE_CHECKING:
    from lms.accounts.models import User

REASON_MAX_LENGTH = 2000
REISSUE_TRIES = 3
"""A sequence number taken meanwhile (a renewal issued at that instant): try the next one."""


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


class StaffOnly(DomainError):
    status_code = 403
    message = lazy_gettext("Only program staff may revoke or reissue a certificate.")


class RevocationReasonMissing(DomainError):
    message = lazy_gettext(
        "Give the reason for revoking the certificate (at most %(num)d characters): it is "
        "shown on its public verification page.",
        num=REASON_MAX_LENGTH,
    )


class CertificateAlreadyRevoked(DomainError):
    status_code = 409
    message = lazy_gettext("This certificate is revoked already.")


class CertificateAlreadySuperseded(DomainError):
    status_code = 409
    message = lazy_gettext(
        "This certificate was replaced by a reissued one: act on the new certificate instead."
    )


class CertificateWithdrawn(DomainError):
    status_code = 409
    message = lazy_gettext(
        "This certificate was withdrawn by its holder, who deleted their account: it can no "
        "longer be revoked or reissued."
    )


class CertificateRevokedCannotBeReissued(DomainError):
    status_code = 409
    message = lazy_gettext("A revoked certificate cannot be reissued.")


class CertificateDefinitionGone(DomainError):
    status_code = 409
    message = lazy_gettext(
        "This certificate's definition is no longer in the catalogue, so it cannot be "
        "printed again."
    )


class CertificateDefinitionHeldBack(DomainError):
    status_code = 409
    message = lazy_gettext(
        "This certificate's definition holds placeholder text, so it cannot be printed "
        "again until the file is fixed."
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


def _require_staff(actor: User) -> None:
    if not actor.is_staff:
        raise StaffOnly


def revoke_certificate(
    session: Session, certificate: Certificate, *, reason: str, actor: User
) -> None:
    """Revoke ``certificate``: its verification page says so from now on, with ``reason``.

    Raises ``StaffOnly``, ``RevocationReasonMissing`` (empty or too long),
    ``CertificateAlreadyRevoked`` (also when another staff member did it a moment before),
    and ``CertificateAlreadySuperseded``. Recorded in the audit trail.
    """
    _require_staff(actor)
    text = reason.strip()
    if not text or len(text) > REASON_MAX_LENGTH:
        raise RevocationReasonMissing
    _require_active(certificate)
    now = utcnow()
    _change_if_active(
        session,
        certificate,
        status=CertificateStatus.REVOKED,
        revoked_at=now,
        revoked_reason=text,
        revoked_by_id=actor.id,
    )
    enqueue(session, mails.revoked_mail(certificate.user, certificate))
    audit.record(
        session,
        actor,
        AuditAction.CERTIFICATE_REVOKE,
        f"certificate:{certificate.code}",
        user=certificate.user_id,
        reason=text,
    )


def reissue_certificate(
    session: Session,
    certificate: Certificate,
    *,
    actor: User,
    catalog: Catalog,
    reason: str | None = None,
    held_back: Collection[str] = (),
) -> Certificate:
    """Replace ``certificate`` by a new one printed with the learner's current name.

    The new certificate has a new code, fresh PDFs and badge; it states what the old one
    did (title, statement, issuer, course versions, issue and expiry dates), since what was
    achieved has not changed. The old one becomes superseded, its verification page
    pointing to the new one. The learner is mailed once the caller commits, with ``reason``
    (staff's words) when given. Recorded in the audit trail.
    Raises ``StaffOnly``,
    ``CertificateRevokedCannotBeReissued``, ``CertificateAlreadySuperseded``,
    ``CertificateDefinitionGone`` and ``CertificateDefinitionHeldBack`` (placeholder text
    in production: the new PDF would print its signatories).
    """
    _require_staff(actor)
    if certificate.status is CertificateStatus.REVOKED:
        raise CertificateRevokedCannotBeReissued
    _require_active(certificate)
    definition = catalog.certificates.get(certificate.definition_id)
    if definition is None:
        raise CertificateDefinitionGone
    if definition.id in held_back:
        raise CertificateDefinitionHeldBack
    # First, so that of two reissues at the same instant only one goes on to make a new one.
    _change_if_active(
        session, certificate, status=CertificateStatus.SUPERSEDED, superseded_at=utcnow()
    )
    user = certificate.user
    replacement = Certificate(
        user_id=user.id,
        definition_id=certificate.definition_id,
        code=new_code(),
        certificate_name=(user.certificate_name or "").strip() or certificate.certificate_name,
        title=dict(certificate.title),
        statement=dict(certificate.statement),
        issuer=dict(certificate.issuer),
        course_versions=dict(certificate.course_versions),
        language=certificate.language,
        duration_minutes=certificate.duration_minutes,
        issued_at=certificate.issued_at,
        expires_at=certificate.expires_at,
        status=CertificateStatus.ACTIVE,
        # Reminded or renewing, the old one was: the same holds for its replacement.
        expiry_reminded_at=certificate.expiry_reminded_at,
        renewal_started_at=certificate.renewal_started_at,
        # A bit of its own: the old one's is set, superseded, so its badge reads revoked.
        status_index=status_lists.new_status_index(session),
    )
    issuing.make_artifacts(replacement, definition, catalog, user)
    _insert_with_next_sequence(session, replacement)
    certificate.superseded_by = replacement
    text = (reason or "").strip()[:REASON_MAX_LENGTH] or None
    enqueue(session, mails.issued_mail(user, replacement, reissued=True, reason=text))
    audit.record(
        session,
        actor,
        AuditAction.CERTIFICATE_REISSUE,
        f"certificate:{certificate.code}",
        user=user.id,
        replacement=replacement.code,
        **({"reason": text} if text else {}),
    )
    return replacement


def _require_active(certificate: Certificate) -> None:
    if certificate.holder_withdrawn_at is not None:
        raise CertificateWithdrawn
    if certificate.status is CertificateStatus.REVOKED:
        raise CertificateAlreadyRevoked
    if certificate.status is CertificateStatus.SUPERSEDED:
        raise CertificateAlreadySuperseded


def _insert_with_next_sequence(session: Session, certificate: Certificate) -> None:
    for attempt in range(1, REISSUE_TRIES + 1):
        certificate.sequence = queries.next_sequence(
            session, certificate.user_id, certificate.definition_id
        )
        try:
            with session.begin_nested():
                session.add(certificate)
        except IntegrityError:
            if attempt == REISSUE_TRIES:
                raise
        else:
            return


def _change_if_active(session: Session, certificate: Certificate, **values: Any) -> None:
    # One conditional UPDATE, not a read then a write: of two staff members acting on one
    # certificate at the same instant, exactly one changes it; the other is told what won.
    changed = (
        update(Certificate)
        .where(Certificate.id == certificate.id, Certificate.status == CertificateStatus.ACTIVE)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if rows_changed(session, changed) != 1:
        session.refresh(certificate)
        _require_active(certificate)
        raise CertificateAlreadyRevoked
    session.refresh(certificate)


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
