"""Certificates' part of privacy: a learner's certificates for their export, and withdrawal.

When the holder deletes their account, each certificate record stays, so that its code still
answers at /verify/CODE, but says it was withdrawn by its holder: the printed name is blanked,
and the PDFs and the signed badge (which carry the name) are deleted.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from lms.accounts.privacy import iso
from lms.certificates.artifacts import verify_url
from lms.certificates.models import Certificate, CertificatePdf
from lms.certificates.queries import certificates_of
from lms.certificates.services import standing_of
from lms.db import utcnow
from lms.mail import external_url

if TYPE_CHECKING:
    from lms.accounts.models import User


def learner_data(session: Session, user: User) -> list[dict[str, Any]]:
    """``user``'s certificates: facts, standing, and links to download the PDFs and badge.

    Links, not the PDFs' bytes: the export stays small, and each PDF downloads as issued
    (the links need the holder to be signed in; they stop working once the account is gone).
    """
    found = []
    for c in certificates_of(session, user):
        downloadable = c.status.value == "active" and c.holder_withdrawn_at is None
        found.append(
            {
                "code": c.code,
                "definition_id": c.definition_id,
                "title": c.title,
                "certificate_name": c.certificate_name,
                "language": c.language,
                "issued_at": iso(c.issued_at),
                "expires_at": iso(c.expires_at),
                "status": standing_of(c).value,
                "revoked_at": iso(c.revoked_at),
                "revoked_reason": c.revoked_reason,
                "verification_url": verify_url(c.code),
                "pdfs": [
                    {
                        "language": p.language,
                        "sha256": p.sha256,
                        "url": (
                            external_url("certificates.pdf", code=c.code, lang=p.language)
                            if downloadable
                            else None
                        ),
                    }
                    for p in c.pdfs
                ],
                "badge_url": (
                    external_url("certificates.badge", code=c.code)
                    if downloadable and c.badge_jwt
                    else None
                ),
            }
        )
    return found


def withdraw_certificates(session: Session, user: User, now: datetime | None = None) -> int:
    """Mark ``user``'s certificates withdrawn by their holder and remove what names them."""
    moment = now or utcnow()
    certificates = list(session.scalars(select(Certificate).where(Certificate.user_id == user.id)))
    for certificate in certificates:
        certificate.certificate_name = ""
        certificate.badge_jwt = None
        # Staff write a revocation's reason freely, and may name the person in it.
        certificate.revoked_reason = None
        if certificate.holder_withdrawn_at is None:
            certificate.holder_withdrawn_at = moment
    if certificates:
        session.execute(
            delete(CertificatePdf).where(
                CertificatePdf.certificate_id.in_([c.id for c in certificates])
            )
        )
        for certificate in certificates:
            session.expire(certificate, ["pdfs"])
    return len(certificates)
