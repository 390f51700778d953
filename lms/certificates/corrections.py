"""Staff corrections to issued certificates: revoking and reissuing them, each once."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.audit import services as audit
from lms.audit.actions import AuditAction
from lms.certificates import issuing, mails, queries, status_lists
from lms.certificates.codes import new_code
from lms.certificates.models import Certificate, CertificateStatus
from lms.content import Catalog
from lms.db import rows_changed, utcnow
from lms.errors import DomainError
from lms.outbox.services import enqueue

if TYPE_CHECKING:
    from lms.accounts.models import User

REASON_MAX_LENGTH = 2000
REISSUE_TRIES = 3
"""A sequence number taken meanwhile (a renewal issued at that instant): try the next one."""


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


def _require_staff(actor: User) -> None:
    if not actor.is_staff:
        raise StaffOnly


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
