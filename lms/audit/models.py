"""The audit trail's table: one row per action, only ever added to."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, String, event
from sqlalchemy.orm import Mapped, Mapper, mapped_column, relationship

from lms.db import Base, utcnow

if TYPE_CHECKING:
    from lms.accounts.models import User


class AuditEvent(Base):
    """A staff action, kept even after its actor's account is deleted."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(64), index=True)
    """What was done, e.g. ``certificate.revoke``."""
    target: Mapped[str] = mapped_column(String(200))
    """What it was done to, e.g. ``certificate:AB12CD``."""
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    actor: Mapped[User | None] = relationship()


class AuditRecordImmutable(RuntimeError):
    """Code tried to change or delete an audit event: a bug, never a person's mistake."""


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(AuditEvent, "before_delete")
def _refuse_change(_mapper: Mapper[AuditEvent], _connection: object, record: AuditEvent) -> None:
    # The trail is evidence: the application only ever adds to it. (Deleting an actor's
    # account sets actor_id to NULL in the database, which does not pass through here.)
    raise AuditRecordImmutable(f"audit event {record.id} cannot be changed or deleted")


class ActionKey(Base):
    """The key of a one-shot action's form, kept once the action is done.

    A confirmation page puts a fresh key in its form; posting it claims the key in the
    action's own transaction. A second post of the same form (a double click, a reload, a
    second server receiving the same request) finds the key taken and does nothing.
    """

    __tablename__ = "action_keys"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    action: Mapped[str] = mapped_column(String(64))
    """What the key was claimed for, e.g. ``certificate.revoke``: for whoever reads the table."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
