"""Reads of accounts, for this feature and for others: by address, by id, searches, states."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, Select, bindparam, func, or_, select
from sqlalchemy.orm import Session

from lms.accounts.categories import Role
from lms.accounts.models import DeviceSession, User, normalize_email
from lms.db import contains_pattern
from lms.pagination import clamp_page, page_count

LOOKUP_CHUNK = 500
"""Values per ``IN (...)`` query: well under every database's limit on parameters."""
USERS_PER_PAGE = 50


def find_user_by_email(session: Session, email: str) -> User | None:
    """The user with this address, compared case-insensitively."""
    return session.scalar(select(User).where(User.email == normalize_email(email)))


def user_by_id(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


_DEVICE_AND_USER = (
    select(DeviceSession, User)
    .join(User, User.id == DeviceSession.user_id)
    .where(DeviceSession.key_hash == bindparam("key_hash"))
)
"""Built once: every signed-in request runs it, and building it cost more than running it."""


def device_and_user(session: Session, key_hash: str) -> tuple[DeviceSession, User] | None:
    """The device session whose secret hashes to ``key_hash``, ended or not, and its user,
    in one query."""
    row = session.execute(_DEVICE_AND_USER, {"key_hash": key_hash}).one_or_none()
    return None if row is None else (row[0], row[1])


def devices_of(session: Session, user_id: int) -> list[DeviceSession]:
    """Every device session of ``user_id``, ended and expired ones too, oldest first."""
    return list(
        session.scalars(
            select(DeviceSession)
            .where(DeviceSession.user_id == user_id)
            .order_by(DeviceSession.created_at, DeviceSession.id)
        )
    )


def lock_user(session: Session, user_id: int) -> None:
    """Make this transaction the only one, until it ends, to hold ``user_id``'s lock: another
    transaction asking for it waits, then reads what this one committed.

    For work that reads what one person did before writing what follows from it (completing
    a course, issuing a certificate), which two of their requests at once would otherwise
    each do on a read missing the other's write (PostgreSQL's READ COMMITTED). The row is
    locked ``FOR NO KEY UPDATE``: rows naming the user may still be added meanwhile. SQLite
    needs no statement: a transaction that writes holds the database's only write lock, and
    one that read before another's commit may not write (``lms.db._takes_write_lock``).
    """
    if session.get_bind().dialect.name == "sqlite":
        return
    session.execute(select(User.id).where(User.id == user_id).with_for_update(key_share=True))


def ids_with_email_containing(text: str) -> Select[int]:
    """A subquery of the ids of accounts whose address contains ``text`` (any case)."""
    pattern = contains_pattern(text.strip().lower())
    return select(User.id).where(User.email.like(pattern, escape="\\"))


def users_by_email(session: Session, emails: Iterable[str]) -> dict[str, User]:
    """The accounts of ``emails`` that exist, by normalised address; a query per 500."""
    found: dict[str, User] = {}
    unique = sorted({normalize_email(email) for email in emails})
    for start in range(0, len(unique), LOOKUP_CHUNK):
        chunk = unique[start : start + LOOKUP_CHUNK]
        found.update(
            (u.email, u) for u in session.scalars(select(User).where(User.email.in_(chunk)))
        )
    return found


def users_by_id(session: Session, user_ids: Collection[int]) -> dict[int, User]:
    """The accounts of ``user_ids`` that exist, by id; a query per 500."""
    found: dict[int, User] = {}
    unique = sorted(set(user_ids))
    for start in range(0, len(unique), LOOKUP_CHUNK):
        chunk = unique[start : start + LOOKUP_CHUNK]
        found.update((u.id, u) for u in session.scalars(select(User).where(User.id.in_(chunk))))
    return found


@dataclass(frozen=True)
class AccountState:
    """What reports need to know of an account, without reading the rest of it."""

    language: str | None
    invitation_pending: bool
    """Made by an invitation whose owner has not chosen a password yet."""
    deleted: bool


def account_states(session: Session, user_ids: Any) -> dict[int, AccountState]:
    """The state of each account among ``user_ids`` (a collection, or a subquery selecting
    ids, so that a cohort of any size costs one query)."""
    rows = session.execute(
        select(
            User.id, User.language, User.password_hash.is_(None), User.deleted_at.is_not(None)
        ).where(User.id.in_(user_ids))
    )
    return {
        user_id: AccountState(language, bool(no_password and not deleted), bool(deleted))
        for user_id, language, no_password, deleted in rows
    }


@dataclass(frozen=True)
class AccountKey:
    """An account as an invitation needs it (a token binds id, address and password hash),
    read without the rest of the row: imports look up thousands at once."""

    id: int
    email: str
    password_hash: str | None
    language: str | None
    certificate_name: str | None
    deleted: bool

    @property
    def invitation_pending(self) -> bool:
        """No password chosen yet (see ``lms.accounts.links.invitation_pending``)."""
        return self.password_hash is None and not self.deleted


def account_keys_by_email(session: Session, emails: Iterable[str]) -> dict[str, AccountKey]:
    """``AccountKey`` of each existing account among ``emails``; a query per 500."""
    found: dict[str, AccountKey] = {}
    unique = sorted({normalize_email(email) for email in emails})
    columns = (
        User.id, User.email, User.password_hash, User.language, User.certificate_name,
        User.deleted_at.is_not(None),
    )  # fmt: skip
    for start in range(0, len(unique), LOOKUP_CHUNK):
        chunk = unique[start : start + LOOKUP_CHUNK]
        rows = session.execute(select(*columns).where(User.email.in_(literal_values(chunk))))
        found.update((row[1], AccountKey(*row)) for row in rows)
    return found


def literal_values(values: list[str]) -> BindParameter[Any]:
    """``values`` for an ``IN``, written into the statement (quoted by SQLAlchemy): dozens of
    the same statement with bound values make psycopg prepare it, and PostgreSQL's generic
    plan for a 500-value list then compares each row with each value (150 ms a chunk on
    20,000 accounts, instead of 2 ms)."""
    return bindparam("values", values, expanding=True, literal_execute=True)


def admin_exists(session: Session) -> bool:
    """Whether any account has the admin role."""
    return session.scalar(select(User.id).where(User.role == Role.ADMIN).limit(1)) is not None


def admin_count(session: Session) -> int:
    return session.scalar(select(func.count(User.id)).where(User.role == Role.ADMIN)) or 0


@dataclass(frozen=True)
class UserPage:
    users: tuple[User, ...]
    number: int
    pages: int
    total: int


def search_users(
    session: Session,
    text: str = "",
    role: Role | None = None,
    page: int = 1,
    per_page: int = USERS_PER_PAGE,
) -> UserPage:
    """Accounts whose email or certificate name contains ``text``, by email; one page.

    Deleted accounts are left out: nothing in them is anyone's any more.
    """
    query = select(User).where(User.deleted_at.is_(None))
    count = select(func.count(User.id)).where(User.deleted_at.is_(None))
    if text.strip():
        pattern = contains_pattern(text.strip().lower())
        condition = or_(
            User.email.like(pattern, escape="\\"),
            func.lower(User.certificate_name).like(pattern, escape="\\"),
        )
        query, count = query.where(condition), count.where(condition)
    if role is not None:
        query, count = query.where(User.role == role), count.where(User.role == role)
    total = session.scalar(count) or 0
    pages = page_count(total, per_page)
    number = clamp_page(page, pages)
    users = session.scalars(
        query.order_by(User.email).limit(per_page).offset((number - 1) * per_page)
    )
    return UserPage(tuple(users), number, pages, total)
