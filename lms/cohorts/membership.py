"""Who is in a cohort: one person added (with their invitation; rosters: ``imports``), a member
removed, a member's own due date, more attempts for members out of them. Services: they
never commit."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.accounts import links
from lms.accounts import queries as account_queries
from lms.accounts import services as accounts
from lms.audit import services as audit
from lms.audit.actions import AuditAction
from lms.cohorts import queries
from lms.cohorts.models import Cohort, CohortMembership
from lms.cohorts.roster import RosterRow
from lms.content import Catalog
from lms.db import utcnow
from lms.errors import DomainError
from lms.mail import Mail
from lms.quizzes import grants, limits

if TYPE_CHECKING:
    from lms.accounts.models import User


class RosterNotValid(DomainError):
    message = lazy_gettext("The roster has errors: nothing was imported.")


class AlreadyMember(DomainError):
    status_code = 409
    message = lazy_gettext("This person is already a member of the cohort.")


class MembershipNotFound(DomainError):
    status_code = 404
    message = lazy_gettext("This person is not (or no longer) a member of this cohort.")


class NobodyBlocked(DomainError):
    status_code = 409
    message = lazy_gettext(
        "None of the members chosen is out of attempts any more: nothing was granted."
    )


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


def add_member(
    session: Session, cohort: Cohort, row: RosterRow, *, actor: User, secret_key: str
) -> ImportResult:
    """Add one person to ``cohort`` as a roster line would: linked to their account if they
    have one, else with a new account and an invitation. ``AlreadyMember`` if they are in."""
    if queries.membership_by_email(session, cohort, row.email) is not None:
        raise AlreadyMember
    try:
        # The unique address per cohort settles two staff adding the same person at once.
        with session.begin_nested():
            result = _add_rows(session, cohort, (row,), {}, actor=actor, secret_key=secret_key)
    except (IntegrityError, accounts.EmailAlreadyRegistered):
        raise AlreadyMember from None
    membership = queries.membership_by_email(session, cohort, row.email)
    audit.record(
        session,
        actor,
        AuditAction.MEMBERSHIP_ADD,
        f"cohort:{cohort.id}",
        user=membership.user_id if membership is not None else None,
        email=row.email,
        invited=bool(result.invited),
    )
    return result


def _add_rows(
    session: Session,
    cohort: Cohort,
    rows: Sequence[RosterRow],
    existing: Mapping[str, CohortMembership],
    *,
    actor: User | None,
    secret_key: str,
) -> ImportResult:
    """The rules a roster import and a single addition share, ``existing`` being the
    cohort's roster lines by address; invitations audited here."""
    users = account_queries.users_by_email(session, [row.email for row in rows])
    added = updated = linked = 0
    invited: list[tuple[User, str]] = []
    for row in rows:
        membership = existing.get(row.email)
        if membership is not None:
            _fill(membership, row)
            updated += 1
            continue
        user = users.get(row.email)
        if user is None:
            # What the roster says of the person fills their profile in advance, for them
            # to check when they accept the invitation.
            user = accounts.create_invited_account(
                session, row.email, name=row.name, frq_sector=row.sector
            )
            users[row.email] = user
            new_account = True
        else:
            new_account = False
            linked += 1
        membership = CohortMembership(cohort=cohort, user_id=user.id, email=row.email)
        _fill(membership, row)
        session.add(membership)
        added += 1
        # Someone invited before who never accepted gets an invitation naming this cohort.
        if new_account or links.invitation_pending(user):
            invited.append((user, row.name))
            # Queued in the outbox by the caller, in this transaction: owed no more.
            membership.invited_at = utcnow()
    session.flush()
    for user, _name in invited:
        audit.record(
            session, actor, AuditAction.INVITATION_SEND, f"user:{user.id}", email=user.email
        )
    mails = tuple(
        links.invitation_mail(user, secret_key=secret_key, name=name, cohort=cohort.name)
        for user, name in invited
    )
    return ImportResult(added, updated, linked, len(invited), mails)


def _fill(membership: CohortMembership, row: RosterRow) -> None:
    membership.first_name = row.first_name
    membership.last_name = row.last_name
    membership.sector = row.sector.value
    membership.fellowship_number = row.fellowship_number
    membership.notes = row.notes


def find_membership(session: Session, cohort: Cohort, user_id: int) -> CohortMembership:
    """The roster line of the account ``user_id`` in ``cohort``: pages name members by
    account, as the learner's record does."""
    membership = queries.membership_of(session, cohort, user_id)
    if membership is None:
        raise MembershipNotFound
    return membership


def remove_member(
    session: Session, membership: CohortMembership, *, reason: str, actor: User
) -> None:
    """Take ``membership`` off its cohort's roster: its line goes from the dashboard, reports
    and reminders; the audit trail keeps who was removed, by whom and why. What the person
    did (courses, certificates) stays theirs."""
    audit.record(
        session,
        actor,
        AuditAction.MEMBERSHIP_REMOVE,
        f"cohort:{membership.cohort_id}",
        user=membership.user_id,
        email=membership.email,
        reason=reason,
    )
    session.delete(membership)


def set_due_date(
    session: Session,
    membership: CohortMembership,
    due_date: date | None,
    *,
    reason: str,
    actor: User,
) -> None:
    """Give ``membership`` its own due date (None: the cohort's again), for the dashboard,
    reminders and "overdue" alike; audited with the reason."""
    audit.record(
        session,
        actor,
        AuditAction.MEMBERSHIP_DUE_DATE,
        f"cohort:{membership.cohort_id}",
        user=membership.user_id,
        email=membership.email,
        due_date=due_date.isoformat() if due_date else None,
        previous_due_date=membership.due_date.isoformat() if membership.due_date else None,
        reason=reason,
    )
    membership.due_date = due_date


def grant_blocked(
    session: Session,
    catalog: Catalog,
    cohort: Cohort,
    user_ids: Collection[int],
    *,
    extra: int,
    reason: str,
    actor: User,
) -> int:
    """``extra`` more attempts at every required quiz each member of ``user_ids`` is out of attempts
    at, one audited grant each (``lms.quizzes.grants``); the number of members helped.
    ``NobodyBlocked`` when none of them is blocked (any more)."""
    members = {m.user_id for m in queries.memberships_by_email(session, cohort).values()}
    chosen = [user_id for user_id in user_ids if user_id in members]
    courses = [
        course
        for column in queries.required_courses(catalog, cohort.certificate_id)
        if (course := catalog.course(column.id)) is not None
    ]
    blocked = limits.blocked_learners(session, chosen, courses)
    if not blocked:
        raise NobodyBlocked
    people = account_queries.users_by_id(session, set(blocked))
    by_id = {course.id: course for course in courses}
    for user_id, quizzes in sorted(blocked.items()):
        for course_id, stem in sorted(quizzes):
            grants.grant_attempts(
                session,
                people[user_id],
                by_id[course_id],
                stem,
                extra=extra,
                reason=reason,
                actor=actor,
            )
    return len(blocked)
