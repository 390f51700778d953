"""Reading the audit trail: one page of the events a filter keeps, newest first; whether a
one-shot form was used."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Select, String, cast, func, literal, or_, select
from sqlalchemy.orm import Session, joinedload

from lms.accounts import queries as accounts
from lms.audit.actions import AuditAction
from lms.audit.models import ActionKey, AuditEvent
from lms.pagination import clamp_page, page_count

if TYPE_CHECKING:
    pass

PER_PAGE = 50

_S = TypeVar("_S", bound=Select[Any])


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""
    """Part of the actor's email address; empty for everyone."""
    person: str = ""
    """Part of the email address of the person acted on (a learner, an account); empty for
    everyone."""
    action: AuditAction | None = None
    since: datetime | None = None
    until: datetime | None = None
    """Exclusive."""


@dataclass(frozen=True)
class AuditPage:
    events: tuple[AuditEvent, ...]
    """Newest first, each with its actor loaded."""
    number: int
    pages: int
    total: int


def find_events(
    session: Session, filters: AuditFilter, page: int = 1, per_page: int = PER_PAGE
) -> AuditPage:
    """One page of the events ``filters`` keep: two queries, whatever the trail's length."""
    query = _filtered(select(AuditEvent), filters)
    total = count_events(session, filters)
    pages = page_count(total, per_page)
    number = clamp_page(page, pages)
    events = session.scalars(
        query.options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(per_page)
        .offset((number - 1) * per_page)
    )
    return AuditPage(tuple(events), number, pages, total)


def count_events(session: Session, filters: AuditFilter) -> int:
    return session.scalar(_filtered(select(func.count(AuditEvent.id)), filters)) or 0


def every_event(session: Session, filters: AuditFilter) -> tuple[AuditEvent, ...]:
    """Every event ``filters`` keep, newest first, with its actor: for an export, whose
    caller checks ``count_events`` first."""
    events = session.scalars(
        _filtered(select(AuditEvent), filters)
        .options(joinedload(AuditEvent.actor))
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    )
    return tuple(events)


def _filtered(query: _S, filters: AuditFilter) -> _S:
    if filters.actor.strip():
        query = query.where(
            AuditEvent.actor_id.in_(accounts.ids_with_email_containing(filters.actor))
        )
    if filters.person.strip():
        people = accounts.ids_with_email_containing(filters.person).subquery()
        # Events name their person in the target (``user:6``) or, when they act on a
        # certificate or a quiz, in ``details.user``.
        targets = select(literal("user:") + cast(people.c.id, String))
        query = query.where(
            or_(
                AuditEvent.target.in_(targets),
                AuditEvent.details["user"].as_integer().in_(select(people.c.id)),
            )
        )
    if filters.action is not None:
        query = query.where(AuditEvent.action == filters.action.value)
    if filters.since is not None:
        query = query.where(AuditEvent.created_at >= filters.since)
    if filters.until is not None:
        query = query.where(AuditEvent.created_at < filters.until)
    return query


def action_claimed(session: Session, key: str) -> bool:
    """Whether a one-shot form's ``key`` was claimed: its action is done already."""
    return session.get(ActionKey, key) is not None


def latest_by_target(session: Session, action: AuditAction, since: datetime) -> dict[str, datetime]:
    """The targets ``action`` was done to since ``since``, with the last time each was."""
    rows = session.execute(
        select(AuditEvent.target, func.max(AuditEvent.created_at))
        .where(AuditEvent.action == action.value, AuditEvent.created_at >= since)
        .group_by(AuditEvent.target)
    )
    return dict(rows.all())
