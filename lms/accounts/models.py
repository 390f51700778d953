"""Accounts' tables: the people who use Parcours."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, validates

from lms.accounts.categories import Affiliation, FrqSector, ResearchRole, Role
from lms.db import Base, str_enum, utcnow

AFFILIATION_OTHER_LENGTH = 200
CERTIFICATE_NAME_LENGTH = 200


def normalize_email(email: str) -> str:
    """Addresses compare case-insensitively, so they are stored trimmed and lower-cased."""
    return email.strip().lower()


class User(Base):
    """A person with an account; also what Flask-Login keeps as the signed-in user."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "affiliation_other IS NULL OR affiliation = 'other'", name="affiliation_other_if_other"
        ),
        CheckConstraint("frq_sector IS NULL OR frq_fellowship", name="frq_sector_if_fellow"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    """None until the person sets a password (e.g. an invited learner)."""
    certificate_name: Mapped[str | None] = mapped_column(String(CERTIFICATE_NAME_LENGTH))
    """The name as it should appear on certificates."""
    language: Mapped[str | None] = mapped_column(String(8))
    """The interface language the person chose; None follows the browser."""
    role: Mapped[Role] = mapped_column(str_enum(Role), default=Role.LEARNER)
    email_confirmed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime | None]

    # The profile of the membership form; None (or empty) for accounts made without it,
    # such as an administrator created from the command line.
    research_roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    """``ResearchRole`` values, in the order of the enum; see ``roles_in_research``."""
    affiliation: Mapped[Affiliation | None] = mapped_column(str_enum(Affiliation, length=32))
    affiliation_other: Mapped[str | None] = mapped_column(String(AFFILIATION_OTHER_LENGTH))
    frq_fellowship: Mapped[bool | None]
    """Whether the person holds an FRQ fellowship; None if never asked."""
    frq_sector: Mapped[FrqSector | None] = mapped_column(str_enum(FrqSector, length=32))
    privacy_consent_at: Mapped[datetime | None]
    privacy_notice_version: Mapped[str | None] = mapped_column(String(32))
    """The version of the privacy notice consented to at ``privacy_consent_at``."""
    totp_secret: Mapped[str | None] = mapped_column(String(255))
    """The second factor's TOTP secret, sealed (``totp.seal``); None without one."""
    totp_enabled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    """The time step of the last code accepted: a code is good once (RFC 6238, 5.2)."""
    deleted_at: Mapped[datetime | None]
    """When the account was deleted: the row stays, emptied of personal data, so that staff
    counts and certificate verification pages keep their anonymous facts (lms.privacy)."""

    @validates("email")
    def _normalize_email(self, _key: str, email: str) -> str:
        return normalize_email(email)

    @property
    def roles_in_research(self) -> frozenset[ResearchRole]:
        """The stored research roles that still exist in ``ResearchRole``."""
        known = {r.value for r in ResearchRole}
        return frozenset(ResearchRole(r) for r in self.research_roles or () if r in known)

    @roles_in_research.setter
    def roles_in_research(self, roles: frozenset[ResearchRole]) -> None:
        # A new list, in enum order: SQLAlchemy sees the change, and equal sets store alike.
        self.research_roles = [r.value for r in ResearchRole if r in roles]

    @property
    def has_second_factor(self) -> bool:
        return self.totp_enabled_at is not None and self.totp_secret is not None

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def session_key(self) -> str:
        """Changes with the password hash, so that changing the password ends other sessions."""
        digest = hashlib.sha256((self.password_hash or "").encode("utf-8")).hexdigest()
        return digest[:16]

    # Flask-Login's user protocol, written out rather than inherited from its untyped mixin.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.deleted_at is None

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        # Flask-Login keeps this in the session and the remember-me cookie; see _load_user.
        return f"{self.id}:{self.session_key}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.STAFF, Role.ADMIN)

    def __repr__(self) -> str:
        # No email: a repr can end up in a log or a traceback.
        return f"<User {self.id} {self.role}>"


class RecoveryCode(Base):
    """One of a person's single-use codes for signing in without their authenticator."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    digest: Mapped[str] = mapped_column(String(64))
    """``totp.recovery_code_digest`` of the code; the code itself is shown once."""
    used_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
