"""Staff rules: cohorts, roster imports with their invitations, roles, finding people."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.accounts import services as accounts
from lms.accounts.models import Role, User, normalize_email
from lms.content import Catalog
from lms.errors import DomainError
from lms.mail import Mail
from lms.staff import audit, invitations
from lms.staff.audit import AuditAction
from lms.staff.models import Cohort, CohortMembership
from lms.staff.roster import Roster, RosterRow

LOOKUP_CHUNK = 500
"""Addresses per ``IN (...)`` query: well under every database's limit on parameters."""
USERS_PER_PAGE = 50


class CohortNotFound(DomainError):
    status_code = 404
    message = lazy_gettext("There is no cohort at this address.")


class CohortNameTaken(DomainError):
    status_code = 409
    message = lazy_gettext("A cohort with this name already exists. Choose another name.")


class CertificateNotFound(DomainError):
    message = lazy_gettext("There is no certificate with this id in the catalogue.")


class RosterNotValid(DomainError):
    message = lazy_gettext("The roster has errors: nothing was imported.")


class UserNotFound(DomainError):
    status_code = 404
    message = lazy_gettext("There is no account at this address.")


class LastAdministrator(DomainError):
    status_code = 409
    message = lazy_gettext(
        "This is the last administrator: make someone else an administrator first."
    )


@dataclass(frozen=True)
class CohortSummary:
    cohort: Cohort
    members: int


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    """Lines of people already in the cohort, whose details were replaced by the file's."""
    linked: int
    """New members who already had an account."""
    invited: int
    """New members for whom an account was made and an invitation written."""
    mails: tuple[Mail, ...]
    """The invitations, to send once the import is committed."""


def create_cohort(
    session: Session,
    catalog: Catalog,
    *,
    name: str,
    certificate_id: str,
    due_date: date | None,
    actor: User | None,
) -> Cohort:
    """Add a cohort working towards ``certificate_id``; its name must be unique."""
    name = name.strip()
    if certificate_id not in catalog.certificates:
        raise CertificateNotFound
    cohort = Cohort(name=name, certificate_id=certificate_id, due_date=due_date)
    try:
        # The unique name, not a look-up, settles two staff creating the same cohort at once.
        with session.begin_nested():
            session.add(cohort)
    except IntegrityError:
        raise CohortNameTaken from None
    audit.record(
        session,
        actor,
        AuditAction.COHORT_CREATE,
        f"cohort:{cohort.id}",
        name=name,
        certificate=certificate_id,
        due_date=due_date.isoformat() if due_date else None,
    )
    return cohort


def find_cohort(session: Session, cohort_id: int) -> Cohort:
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise CohortNotFound
    return cohort


def find_cohort_by_reference(session: Session, reference: str) -> Cohort:
    """The cohort named ``reference``, or with that id: what the command line accepts."""
    cohort = session.scalar(select(Cohort).where(Cohort.name == reference.strip()))
    if cohort is None and reference.strip().isdigit():
        cohort = session.get(Cohort, int(reference.strip()))
    if cohort is None:
        raise CohortNotFound
    return cohort


def cohort_summaries(session: Session) -> list[CohortSummary]:
    """Every cohort with its number of members, by due date (soonest first), then name."""
    rows = session.execute(
        select(Cohort, func.count(CohortMembership.id))
        .outerjoin(CohortMembership, CohortMembership.cohort_id == Cohort.id)
        .group_by(Cohort.id)
        .order_by(Cohort.due_date.is_(None), Cohort.due_date, Cohort.name)
    )
    return [CohortSummary(cohort, count) for cohort, count in rows]


def import_roster(
    session: Session, cohort: Cohort, roster: Roster, *, actor: User | None
) -> ImportResult:
    """Add or update the roster's people in ``cohort``, all at once or (with errors) not at all.

    Known addresses are linked to their accounts; for the others an account without a
    password is made, and an invitation written to open it. People already in the cohort
    keep their membership, with the file's details; nobody is removed.
    """
    if not roster.ok:
        raise RosterNotValid
    existing = _memberships_by_email(session, cohort)
    users = _users_by_email(session, [row.email for row in roster.rows])
    added = updated = linked = 0
    invited: list[tuple[User, CohortMembership]] = []
    for row in roster.rows:
        membership = existing.get(row.email)
        if membership is not None:
            _fill(membership, row)
            updated += 1
            continue
        user = users.get(row.email)
        if user is None:
            user = accounts.create_user(session, row.email, None, Role.LEARNER)
            users[row.email] = user
            new_account = True
        else:
            new_account = False
            linked += 1
        membership = CohortMembership(cohort=cohort, user=user, email=row.email)
        _fill(membership, row)
        session.add(membership)
        added += 1
        # Someone invited before who never accepted gets an invitation naming this cohort.
        if new_account or invitations.is_pending(user):
            invited.append((user, membership))
    session.flush()
    for user, _membership in invited:
        audit.record(
            session, actor, AuditAction.INVITATION_SEND, f"user:{user.id}", email=user.email
        )
    audit.record(
        session,
        actor,
        AuditAction.ROSTER_IMPORT,
        f"cohort:{cohort.id}",
        added=added,
        updated=updated,
        linked=linked,
        invited=len(invited),
    )
    mails = tuple(invitations.invitation_mail(user, m) for user, m in invited)
    return ImportResult(added, updated, linked, len(invited), mails)


def _fill(membership: CohortMembership, row: RosterRow) -> None:
    membership.first_name = row.first_name
    membership.last_name = row.last_name
    membership.sector = row.sector.value
    membership.fellowship_number = row.fellowship_number
    membership.notes = row.notes


def _memberships_by_email(session: Session, cohort: Cohort) -> dict[str, CohortMembership]:
    rows = session.scalars(select(CohortMembership).where(CohortMembership.cohort_id == cohort.id))
    return {membership.email: membership for membership in rows}


def _users_by_email(session: Session, emails: Sequence[str]) -> dict[str, User]:
    found: dict[str, User] = {}
    unique = sorted({normalize_email(email) for email in emails})
    for start in range(0, len(unique), LOOKUP_CHUNK):
        chunk = unique[start : start + LOOKUP_CHUNK]
        found.update(
            (u.email, u) for u in session.scalars(select(User).where(User.email.in_(chunk)))
        )
    return found


def find_user(session: Session, user_id: int) -> User:
    """The account ``user_id``; ``UserNotFound`` if there is none or it was deleted (its row,
    emptied, is kept for anonymous counts only, not to be shown or changed)."""
    user = session.get(User, user_id)
    if user is None or user.deleted_at is not None:
        raise UserNotFound
    return user


def set_role(session: Session, user: User, role: Role, *, actor: User | None) -> bool:
    """Give ``user`` the role ``role``; False if they had it already.

    The last administrator cannot lose the role: nobody could give it back.
    """
    if user.role is role:
        return False
    if user.role is Role.ADMIN and _admin_count(session) <= 1:
        raise LastAdministrator
    previous = user.role
    user.role = role
    audit.record(
        session,
        actor,
        AuditAction.ROLE_CHANGE,
        f"user:{user.id}",
        email=user.email,
        previous=previous.value,
        role=role.value,
    )
    return True


def _admin_count(session: Session) -> int:
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
        pattern = audit.contains_pattern(text.strip().lower())
        condition = or_(
            User.email.like(pattern, escape="\\"),
            func.lower(User.certificate_name).like(pattern, escape="\\"),
        )
        query, count = query.where(condition), count.where(condition)
    if role is not None:
        query, count = query.where(User.role == role), count.where(User.role == role)
    total = session.scalar(count) or 0
    pages = max(1, -(-total // per_page))
    number = min(max(1, page), pages)
    users = session.scalars(
        query.order_by(User.email).limit(per_page).offset((number - 1) * per_page)
    )
    return UserPage(tuple(users), number, pages, total)


def memberships_of(session: Session, user: User) -> list[CohortMembership]:
    """``user``'s roster lines, with their cohorts, by cohort name."""
    return list(
        session.scalars(
            select(CohortMembership)
            .join(Cohort)
            .where(CohortMembership.user_id == user.id)
            .order_by(Cohort.name)
        )
    )
