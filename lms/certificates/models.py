"""Certificates' tables: issued certificates, frozen at issue with everything they show."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import Base, str_enum, utcnow

if TYPE_CHECKING:
    from lms.accounts.models import User

DEFINITION_ID_LENGTH = 64
LANGUAGE_LENGTH = 16
"""``fr``, ``en`` or ``bilingual`` (a ``Mode`` of ``lms.certificates.pdf``)."""


class CertificateStatus(enum.StrEnum):
    ACTIVE = "active"
    """Issued and standing: valid, or expired once ``expires_at`` has passed."""
    REVOKED = "revoked"
    SUPERSEDED = "superseded"
    """Replaced by a reissued certificate (``superseded_by``)."""


class Certificate(Base):
    """A certificate as issued; it never changes, except to be revoked or superseded.

    ``sequence`` counts a learner's certificates of one definition from 1: the first issue,
    then reissues and renewals. The unique (user, definition, sequence) makes two requests
    that issue the same certificate at the same instant collide, so it is issued once.
    """

    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("user_id", "definition_id", "sequence"),
        CheckConstraint("sequence >= 1", name="sequence_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    definition_id: Mapped[str] = mapped_column(String(DEFINITION_ID_LENGTH))
    """The id of the definition in ``certificates/``."""
    sequence: Mapped[int]
    code: Mapped[str] = mapped_column(String(32), unique=True)
    """The public verification code (``/verify/CODE``)."""
    certificate_name: Mapped[str] = mapped_column(String(200))
    """The holder's name as printed."""
    title: Mapped[dict[str, Any]]
    """The definition's title per language at issue."""
    statement: Mapped[dict[str, Any]]
    issuer: Mapped[dict[str, Any]]
    """The issuer at issue: ``{"name": {language: text}, "url": ...}``."""
    course_versions: Mapped[dict[str, Any]]
    """Course id -> content version completed."""
    language: Mapped[str] = mapped_column(String(LANGUAGE_LENGTH))
    """What the learner was issued in: their language (``fr``, ``en``) or ``bilingual``."""
    duration_minutes: Mapped[int | None]
    """The learning time it attests: its courses' estimated minutes at issue, printed on it
    and stated in its badge. None on certificates issued before it was recorded."""
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    status: Mapped[CertificateStatus] = mapped_column(
        str_enum(CertificateStatus), default=CertificateStatus.ACTIVE
    )
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    superseded_at: Mapped[datetime | None]
    superseded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("certificates.id", ondelete="SET NULL")
    )
    badge_jwt: Mapped[str | None] = mapped_column(Text)
    """The Open Badges 3.0 credential, signed as a VC-JWT at issue."""
    status_index: Mapped[int] = mapped_column(unique=True)
    """Its bit in its definition's revocation status lists, which its badge names; drawn at
    random at issue (``lms.certificates.status_lists``), so that bits tell nothing of order."""
    expiry_reminded_at: Mapped[datetime | None]
    """When the learner was told it expires soon: never twice."""
    renewal_started_at: Mapped[datetime | None]
    """When the learner asked to renew: their courses were reset to be taken again."""
    holder_withdrawn_at: Mapped[datetime | None]
    """When the holder deleted their account: the name is blanked and the PDFs deleted, and
    the verification page says the holder withdrew it (lms.privacy)."""
    reissue_requested_at: Mapped[datetime | None]
    """When the holder asked staff to reissue it in their current name: asked once."""
    reissue_requested_name: Mapped[str | None] = mapped_column(String(200))
    """The name they asked for, as their profile gave it then."""

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    superseded_by: Mapped[Certificate | None] = relationship(remote_side=[id])
    pdfs: Mapped[list[CertificatePdf]] = relationship(
        back_populates="certificate",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="CertificatePdf.language",
    )


class CertificatePdf(Base):
    """One rendering of a certificate, stored at issue so that every download is the same.

    A certificate has one per language (``fr`` and ``en``, the learner picking at
    download), or a single ``bilingual`` one when its definition asks for that.
    """

    __tablename__ = "certificate_pdfs"
    __table_args__ = (UniqueConstraint("certificate_id", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(ForeignKey("certificates.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(LANGUAGE_LENGTH))
    sha256: Mapped[str] = mapped_column(String(64))
    """Hex SHA-256 of ``content``: published on the verification page."""
    # Deferred: lists and the verification page need the hash, never the bytes.
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)

    certificate: Mapped[Certificate] = relationship(back_populates="pdfs")
