"""Accounts' tables: the people who use Parcours."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, validates

from lms.db import Base, str_enum, utcnow


class Role(enum.StrEnum):
    LEARNER = "learner"
    STAFF = "staff"
    ADMIN = "admin"


def normalize_email(email: str) -> str:
    """Addresses compare case-insensitively, so they are stored trimmed and lower-cased."""
    return email.strip().lower()


class User(Base):
    """A person with an account; also what Flask-Login keeps as the signed-in user."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    """None until the person sets a password (e.g. an invited learner)."""
    certificate_name: Mapped[str | None] = mapped_column(String(200))
    """The name as it should appear on certificates."""
    language: Mapped[str | None] = mapped_column(String(8))
    """The interface language the person chose; None follows the browser."""
    role: Mapped[Role] = mapped_column(str_enum(Role), default=Role.LEARNER)
    email_confirmed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime | None]

    @validates("email")
    def _normalize_email(self, _key: str, email: str) -> str:
        return normalize_email(email)

    # Flask-Login's user protocol, written out rather than inherited from its untyped mixin.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.STAFF, Role.ADMIN)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"
