"""Administration rules: roles, invitations and staff's overrides of a learner's progress
(each recorded in the audit trail), and a learner's record as staff see it, gathered from
each feature."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import tzinfo
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext
from sqlalchemy.orm import Session

from lms.accounts import links
from lms.accounts import services as accounts
from lms.accounts.categories import Role
from lms.admin.audit_lines import audit_lines, audit_table
from lms.admin.pages import (
    AttemptLine,
    BlockedQuiz,
    CourseLine,
    ItemLine,
    LearnerRecord,
    Profile,
)
from lms.audit import queries as audit_queries
from lms.audit import services as audit
from lms.audit.actions import AuditAction
from lms.cohorts import exports
from lms.cohorts import queries as cohorts
from lms.cohorts.services import EXPORT_TYPES, Export
from lms.content import Catalog, Course, ItemKind, Localized
from lms.errors import DomainError
from lms.learning import queries as learning
from lms.learning import services as progress
from lms.mail import Mail
from lms.outbox import services as outbox
from lms.quizzes import grading, limits
from lms.quizzes import queries as quizzes

if TYPE_CHECKING:
    from lms.accounts.models import User


AUDIT_EXPORT_LIMIT = 50_000
"""Records in one export at most: years of a program's trail; more asks for a shorter period."""


class TooManyToExport(DomainError):
    status_code = 400
    message = lazy_gettext(
        "More than 50,000 records match: choose a shorter period or an action, and export again."
    )


def export_audit(
    session: Session,
    catalog: Catalog,
    filters: audit_queries.AuditFilter,
    args: Mapping[str, str],
    *,
    kind: str,
    csv_dialect: exports.CsvDialect,
    zone: tzinfo,
    actor: User,
) -> Export:
    """Every record ``filters`` keep, as the trail's page words them, in a ``kind`` file
    (csv or xlsx); the export itself is recorded, with the filters (``args``) it used."""
    if audit_queries.count_events(session, filters) > AUDIT_EXPORT_LIMIT:
        raise TooManyToExport
    events = audit_queries.every_event(session, filters)
    table = audit_table(audit_lines(session, events, catalog), zone)
    content = exports.to_csv(table, csv_dialect) if kind == "csv" else exports.to_xlsx(table)
    audit.record(
        session,
        actor,
        AuditAction.REPORT_EXPORT,
        "audit",
        format=kind,
        filters=dict(args),
        rows=len(table.rows),
    )
    return Export(content, EXPORT_TYPES[kind], f"audit-trail.{kind}", len(table.rows))


def set_role(session: Session, user: User, role: Role, *, actor: User | None) -> bool:
    """Give ``user`` the role ``role``; False if they had it already.

    Raises ``LastAdministrator`` for the last administrator's own role.
    """
    previous = accounts.change_role(session, user, role)
    if previous is None:
        return False
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


def resend_invitation(session: Session, user: User, *, actor: User, secret_key: str) -> Mail:
    """A new invitation for ``user``, naming their first cohort (by name) as the roster has it;
    ``InvitationNotNeeded`` once they set a password."""
    memberships = cohorts.memberships_of(session, user)
    first = memberships[0] if memberships else None
    mail = links.renewed_invitation(
        user,
        secret_key=secret_key,
        name=first.name if first else None,
        cohort=first.cohort.name if first else None,
    )
    audit.record(
        session,
        actor,
        AuditAction.INVITATION_SEND,
        f"user:{user.id}",
        email=user.email,
        resent=True,
    )
    return mail


def reset_course_progress(
    session: Session, user: User, course_id: str, *, reason: str, actor: User
) -> int:
    """Forget ``user``'s steps in the course, its completion date and their place in it;
    the number of steps forgotten.

    Quiz attempts stay, scores and all, and still count toward each quiz's limit (staff
    grant more if needed); certificates already issued stay valid.
    """
    steps = len(learning.completed_items(session, user.id, course_id))
    progress.reset_progress(session, user, (course_id,))
    audit.record(
        session,
        actor,
        AuditAction.PROGRESS_RESET,
        f"course:{course_id}",
        user=user.id,
        steps=steps,
        reason=reason,
    )
    return steps


def mark_step_done(
    session: Session, user: User, course: Course, item_key: str, *, reason: str, actor: User
) -> bool:
    """Record a step of ``course`` as done for ``user`` (a quiz passed on paper, a fault of
    ours); True if the course is complete with it, which issues its certificates as a
    learner's own last step would. Raises ``CourseLocked`` before its prerequisites."""
    completed = progress.record_item_completed(session, user, course, item_key)
    audit.record(
        session,
        actor,
        AuditAction.STEP_MARK_DONE,
        f"course:{course.id}",
        user=user.id,
        step=item_key,
        reason=reason,
    )
    return completed


def learner_record(session: Session, user: User, catalog: Catalog) -> LearnerRecord:
    """What staff see of ``user`` (certificates aside), in catalogue order; no quiz answers."""
    return LearnerRecord(
        profile=Profile.of(user, invitation_pending=links.invitation_pending(user)),
        memberships=tuple(cohorts.memberships_of(session, user)),
        courses=_courses(session, user, catalog),
        attempts=_attempts(session, user, catalog),
        blocked=_blocked(session, user, catalog),
    )


def _blocked(session: Session, user: User, catalog: Catalog) -> tuple[BlockedQuiz, ...]:
    found = limits.out_of_attempts(session, user, list(catalog.courses.values()))
    return tuple(
        BlockedQuiz(course.id, item.stem, course.title, course.quizzes[item.stem].title)
        for course in catalog.courses.values()
        for item in course.items()
        if item.key in found.get(course.id, ())
    )


def _courses(session: Session, user: User, catalog: Catalog) -> tuple[CourseLine, ...]:
    history = learning.learner_history(session, user)
    enrolments, completions = history.enrolments, history.completions
    taken = set(enrolments) | set(completions)
    # Catalogue order first, then courses that have left the catalogue, by id.
    order = [c for c in catalog.courses if c in taken] + sorted(taken - set(catalog.courses))
    lines = []
    for course_id in order:
        started_at, completed_at = enrolments.get(course_id, (None, None))
        done = completions.get(course_id, {})
        course = catalog.course(course_id)
        if course is None:
            lines.append(
                CourseLine(
                    course_id, Localized.plain(course_id), started_at, completed_at, (), 0, 0
                )
            )
            continue
        items = tuple(
            ItemLine(item.key, item.kind, _item_title(catalog, course_id, item.stem, item.kind),
                     done.get(item.key))
            for item in course.items()
        )  # fmt: skip
        lines.append(
            CourseLine(
                course_id=course_id,
                title=course.title,
                started_at=started_at,
                completed_at=completed_at,
                items=items,
                done=sum(1 for i in items if i.completed_at is not None),
                total=len(items),
            )
        )
    return tuple(lines)


def _item_title(catalog: Catalog, course_id: str, stem: str, kind: ItemKind) -> Localized:
    course = catalog.course(course_id)
    if course is not None and kind is ItemKind.LESSON and stem in course.lessons:
        return course.lessons[stem].title
    if course is not None and kind is ItemKind.QUIZ and stem in course.quizzes:
        return course.quizzes[stem].title
    return Localized.plain(stem)


def _attempts(session: Session, user: User, catalog: Catalog) -> tuple[AttemptLine, ...]:
    # Not the questions nor the answers: reflections stay the learner's own.
    rows = quizzes.attempt_records(session, user)
    lines = []
    for row in rows:
        course = catalog.course(row.course_id)
        submitted = row.submitted_at is not None
        lines.append(
            AttemptLine(
                course_id=row.course_id,
                course_title=course.title if course else Localized.plain(row.course_id),
                quiz_title=_item_title(catalog, row.course_id, row.quiz, ItemKind.QUIZ),
                number=row.number,
                started_at=row.started_at,
                submitted_at=row.submitted_at,
                score=row.score,
                max_score=row.max_score,
                percent=grading.percent(row.score or 0, row.max_score or 0) if submitted else None,
                passed=row.passed,
            )
        )
    return tuple(lines)


def retry_mail(session: Session, mail_id: int, *, actor: User) -> None:
    """Have an unsent or failed mail tried again right after the commit, in the audit trail.

    Raises ``lms.outbox.services.MailNotRetriable`` if it was sent meanwhile, or is gone.
    """
    outbox.retry_now(session, mail_id)
    audit.record(session, actor, AuditAction.MAIL_RETRY, f"mail:{mail_id}")
