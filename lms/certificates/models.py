"""Certificates' table: issued certificates, frozen at issue with everything they show."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.db import Base, str_enum, utcnow


class CertificateStatus(enum.StrEnum):
    ACTIVE = "active"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"
    """Replaced by a reissued certificate (``superseded_by``)."""


class Certificate(Base):
    """A certificate as issued; it never changes, except to be revoked or superseded."""

    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    definition_id: Mapped[str] = mapped_column(String(64))
    """The id of the definition in ``certificates/``."""
    code: Mapped[str] = mapped_column(String(32), unique=True)
    """The public verification code (``/verify/CODE``)."""
    certificate_name: Mapped[str] = mapped_column(String(200))
    title: Mapped[dict[str, Any]]
    """The definition's title per language at issue."""
    statement: Mapped[dict[str, Any]]
    course_versions: Mapped[dict[str, Any]]
    """Course id -> content version completed."""
    language: Mapped[str] = mapped_column(String(8))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    status: Mapped[CertificateStatus] = mapped_column(
        str_enum(CertificateStatus), default=CertificateStatus.ACTIVE
    )
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    superseded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("certificates.id", ondelete="SET NULL")
    )
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    """The PDF as first rendered, so that every download gives the same bytes."""

    user: Mapped[User] = relationship()
    superseded_by: Mapped[Certificate | None] = relationship(remote_side=[id])
