"""Accounts' tables: the people who use Parcours."""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, String, inspect
from sqlalchemy.orm import Mapped, mapped_column, validates

from lms.accounts.browsers import NAME_LENGTH
from lms.accounts.categories import Affiliation, FrqSector, ResearchRole, Role
from lms.db import Base, str_enum, utcnow

AFFILIATION_OTHER_LENGTH = 200
CERTIFICATE_NAME_LENGTH = 200
_DEVICE = "signed_in_device"
"""Where a loaded user keeps the device session of the request (``User.signed_in_on``)."""


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
        """Changes with the password hash: what a pending two-step sign-in and a remembered
        device are bound to (``lms.accounts.sign_in_steps``). Sessions themselves are rows
        of ``DeviceSession``, ended on the server (``lms.accounts.devices``)."""
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

    def signed_in_on(self, device: DeviceSession, secret: str) -> None:
        """Note that this request's user is signed in on ``device``, whose secret is ``secret``
        (kept with this object only, never stored: see ``lms.accounts.devices``)."""
        inspect(self).info[_DEVICE] = (device, secret)

    @property
    def device(self) -> DeviceSession | None:
        """The device session this user was loaded or signed in with, if any."""
        found: tuple[DeviceSession, str] | None = inspect(self).info.get(_DEVICE)
        return found[0] if found is not None else None

    def get_id(self) -> str:
        # Flask-Login keeps this in the session and the remember-me cookie: both name the
        # device session, so that ending it on the server signs that browser out (_load_user).
        found: tuple[DeviceSession, str] | None = inspect(self).info.get(_DEVICE)
        if found is None:
            raise LookupError("A user is signed in through lms.accounts.devices.start only.")
        return f"{self.id}:{found[1]}"

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


class DeviceSession(Base):
    """One browser a person signed in on: the server ends it at sign-out, at "sign out
    everywhere", at a password change, or once too old, whatever its cookies say."""

    __tablename__ = "device_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    """The SHA-256 (hex) of the session's secret: only the browser's cookies hold the secret."""
    browser: Mapped[str] = mapped_column(String(NAME_LENGTH), default="")
    system: Mapped[str] = mapped_column(String(NAME_LENGTH), default="")
    """The browser's and the system's names (``lms.accounts.browsers``); empty if unknown."""
    remember: Mapped[bool] = mapped_column(default=False)
    """Signed in with "keep me signed in": it outlives the idle timeout, not the lifetime."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    """Written at most every few minutes (``lms.accounts.devices.LAST_SEEN_EVERY``)."""
    ended_at: Mapped[datetime | None]
    """When it was signed out; the row stays until its owner's next sign-in (then pruned)."""

    def __repr__(self) -> str:
        return f"<DeviceSession {self.id} of user {self.user_id}>"
