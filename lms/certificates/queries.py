"""Reads of certificates, for this feature and for the features above it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.certificates.codes import normalize_code
from lms.certificates.models import Certificate, CertificateStatus

if TYPE_CHECKING:
    from lms.accounts.models import User


def find_certificate_by_code(session: Session, code: str) -> Certificate | None:
    """The certificate of ``code`` as typed (any case, dashes or none); None if there is none."""
    canonical = normalize_code(code)
    if canonical is None:
        return None
    return session.scalar(select(Certificate).where(Certificate.code == canonical))


def certificates_of(session: Session, user: User) -> list[Certificate]:
    """Every certificate of ``user``, the latest issued first (revoked and replaced ones too)."""
    return list(
        session.scalars(
            select(Certificate)
            .where(Certificate.user_id == user.id)
            .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        )
    )


def latest_certificate(session: Session, user_id: int, definition_id: str) -> Certificate | None:
    """The learner's certificate of ``definition_id`` with the highest sequence, if any."""
    return session.scalar(
        select(Certificate)
        .where(Certificate.user_id == user_id, Certificate.definition_id == definition_id)
        .order_by(Certificate.sequence.desc())
        .limit(1)
    )


def next_sequence(session: Session, user_id: int, definition_id: str) -> int:
    highest = session.scalar(
        select(func.max(Certificate.sequence)).where(
            Certificate.user_id == user_id, Certificate.definition_id == definition_id
        )
    )
    return (highest or 0) + 1


def active_certificates(
    session: Session, user_ids: Any, definition_id: str
) -> dict[int, tuple[str, Any]]:
    """The active certificate of ``definition_id`` of each of ``user_ids`` (a collection, or a
    subquery of ids), as (code, issued at) by user id: one query for a cohort of any size.

    The latest, should a learner hold two (a reissue supersedes the first).
    """
    rows = session.execute(
        select(Certificate.user_id, Certificate.code, Certificate.issued_at)
        .where(
            Certificate.user_id.in_(user_ids),
            Certificate.definition_id == definition_id,
            Certificate.status == CertificateStatus.ACTIVE,
        )
        .order_by(Certificate.issued_at)
    )
    return {user_id: (code, issued_at) for user_id, code, issued_at in rows}


def certificate_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Certificate)) or 0


def status_index_taken(session: Session, index: int) -> bool:
    found = session.scalar(select(Certificate.id).where(Certificate.status_index == index))
    return found is not None


def has_certificates(session: Session, definition_id: str) -> bool:
    found = session.scalar(
        select(Certificate.id).where(Certificate.definition_id == definition_id).limit(1)
    )
    return found is not None


def invalid_status_indices(
    session: Session, definition_id: str, first: int, last: int
) -> list[int]:
    """The status indices, from ``first`` to ``last`` included, of ``definition_id``'s
    certificates no longer valid: revoked, superseded by a reissue, or withdrawn by their
    holder (expiry is in the badge itself)."""
    return list(
        session.scalars(
            select(Certificate.status_index).where(
                Certificate.definition_id == definition_id,
                Certificate.status_index.between(first, last),
                (Certificate.status != CertificateStatus.ACTIVE)
                | Certificate.holder_withdrawn_at.is_not(None),
            )
        )
    )
