"""Privacy rules across features: export everything about a person, delete an account, purge.

Each feature gathers and erases the data it owns (its ``privacy`` module); this package,
above them all, puts the pieces together in one transaction, which the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from lms.accounts import privacy as accounts
from lms.accounts import queries as account_queries
from lms.audit import privacy as audit_trail
from lms.audit import services as audit
from lms.audit.actions import AuditAction
from lms.certificates import privacy as certificates
from lms.cohorts import privacy as cohorts
from lms.communities import privacy as communities
from lms.db import utcnow
from lms.learning import privacy as learning
from lms.live import privacy as live
from lms.outbox import privacy as outbox
from lms.quizzes import privacy as quizzes

if TYPE_CHECKING:
    from lms.accounts.models import User

EXPORT_FORMAT = "parcours-personal-data/1"
DAYS_PER_YEAR = 365.25


def export_data(session: Session, user: User, now: datetime | None = None) -> dict[str, Any]:
    """Everything Parcours holds about ``user``, and nothing about anyone else, as JSON values.

    Certificates' PDFs are given as links (see ``lms.certificates.privacy.learner_data``).
    """
    cohort_data = cohorts.learner_data(session, user)
    live_data = live.learner_data(session, user)
    return {
        "format": EXPORT_FORMAT,
        "exported_at": accounts.iso(now or utcnow()),
        "account": accounts.account_data(user),
        "signed_in_devices": accounts.devices_data(session, user),
        "learning": learning.learner_data(session, user),
        "quiz_attempts": quizzes.learner_data(session, user),
        "certificates": certificates.learner_data(session, user),
        "cohort_memberships": cohort_data["cohort_memberships"],
        "reminders_received": cohort_data["reminders_received"],
        "live_session_registrations": live_data["registrations"],
        "live_session_attendance": live_data["attendance"],
        "calendar_feed": live_data["calendar_feed"],
        "mails": outbox.learner_data(session, user.email),
        "communities": communities.learner_data(session, user),
    }


def delete_account(
    session: Session,
    user: User,
    *,
    remove_posts: bool = False,
    by_retention: bool = False,
    now: datetime | None = None,
) -> None:
    """Erase ``user``'s personal data, in the caller's transaction.

    Kept, anonymous: the account's row (id only), enrolments and completions (counted by
    staff reports), roster lines without name or address, certificate records withdrawn
    by their holder (their codes still answer), audit events (actor ids kept, the address
    redacted), live sessions' registrations and attendance, posts in communities signed "a
    former member" (erased with ``remove_posts``). Deleted: quiz attempts, the PDFs and badges,
    every mail to them in the outbox, their calendar feed, their name and follows in
    communities; their seats at sessions to come are given up. Raises
    ``LastAdministratorCannotLeave`` for the only
    administrator.
    """
    moment = now or utcnow()
    accounts.require_deletable(session, user)
    # Rosters and the audit trail find the person by the address too: before it is replaced.
    cohorts.erase_learner(session, user)
    audit_trail.erase_learner(session, user)
    outbox.erase_recipient(session, user.email)
    quizzes.erase_learner(session, user)
    # Before the address goes: the seats it frees are mailed to the next on the lists.
    live.erase_learner(session, user, moment)
    communities.erase_member(session, user, remove_posts=remove_posts, now=moment)
    certificates.withdraw_certificates(session, user, moment)
    accounts.erase_account(session, user, moment)
    if not by_retention:
        audit.record(session, user, AuditAction.ACCOUNT_DELETE, f"user:{user.id}")
    session.flush()


@dataclass(frozen=True)
class Purge:
    cutoff: datetime
    user_ids: tuple[int, ...]
    """The accounts deleted (or that would be, in a dry run)."""
    skipped_ids: tuple[int, ...] = ()
    """Inactive, but the last administrator: kept."""


def retention_cutoff(years: int, now: datetime | None = None) -> datetime:
    return (now or utcnow()) - timedelta(days=round(years * DAYS_PER_YEAR))


def purge_inactive(
    session: Session, years: int, *, dry_run: bool, now: datetime | None = None
) -> Purge:
    """Delete accounts not seen for ``years`` years (at least 1); only list them if ``dry_run``.

    A dry run makes the very same deletions in a savepoint and undoes them, so that what it
    lists (the last administrator kept, for one) is exactly what the real run would do.
    """
    moment = now or utcnow()
    cutoff = retention_cutoff(years, moment)
    if dry_run:
        savepoint = session.begin_nested()
        try:
            deleted, skipped = _delete_inactive(session, cutoff, moment)
        finally:
            savepoint.rollback()
        return Purge(cutoff, deleted, skipped)
    deleted, skipped = _delete_inactive(session, cutoff, moment)
    audit.record(
        session,
        None,
        AuditAction.PRIVACY_PURGE,
        "accounts",
        years=years,
        deleted=len(deleted),
        user_ids=list(deleted),
        skipped=list(skipped),
    )
    return Purge(cutoff, deleted, skipped)


def _delete_inactive(
    session: Session, cutoff: datetime, moment: datetime
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Ids of the inactive accounts deleted, and of those kept as the last administrator."""
    deleted: list[int] = []
    skipped: list[int] = []
    for user_id in accounts.inactive_user_ids(session, cutoff):
        user = account_queries.user_by_id(session, user_id)
        if user is None:
            continue
        try:
            delete_account(session, user, by_retention=True, now=moment)
        except accounts.LastAdministratorCannotLeave:
            skipped.append(user_id)
        else:
            deleted.append(user_id)
    return tuple(deleted), tuple(skipped)
