"""Staff's way back in for a learner who used every attempt at a quiz: more attempts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask_babel import lazy_gettext
from sqlalchemy.orm import Session

from lms.audit import services as audit
from lms.audit.actions import AuditAction
from lms.content import Course
from lms.errors import DomainError
from lms.quizzes.models import AttemptGrant

if TYPE_CHECKING:
    from lms.accounts.models import User

MAX_EXTRA = 5
"""Attempts one grant may add: enough for any learner, too few for a typo to open a quiz."""
REASON_MAX_LENGTH = 1000


class GrantNotValid(DomainError):
    status_code = 400
    message = lazy_gettext(
        "Give between 1 and %(max)d attempts, and the reason (at most %(length)d characters).",
        max=MAX_EXTRA,
        length=REASON_MAX_LENGTH,
    )


class QuizHasNoLimit(DomainError):
    status_code = 400
    message = lazy_gettext("This quiz allows any number of attempts: there is nothing to grant.")


class StaffOnly(DomainError):
    status_code = 403
    message = lazy_gettext("Only program staff can grant attempts.")


def grant_attempts(
    session: Session,
    learner: User,
    course: Course,
    quiz: str,
    *,
    extra: int,
    reason: str,
    actor: User,
) -> AttemptGrant:
    """Let ``learner`` start ``extra`` more attempts at ``course``'s quiz ``quiz``.

    The learner sees them at once (the quiz page counts grants). Recorded in the audit
    trail with the reason. Raises ``StaffOnly``, ``QuizHasNoLimit`` and ``GrantNotValid``.
    """
    if not actor.is_staff:
        raise StaffOnly
    limited = course.quizzes.get(quiz)
    if limited is None or limited.max_attempts is None:
        raise QuizHasNoLimit
    text = reason.strip()
    if not 1 <= extra <= MAX_EXTRA or not text or len(text) > REASON_MAX_LENGTH:
        raise GrantNotValid
    grant = AttemptGrant(
        user_id=learner.id,
        course_id=course.id,
        quiz=quiz,
        extra=extra,
        reason=text,
        granted_by_id=actor.id,
    )
    session.add(grant)
    audit.record(
        session,
        actor,
        AuditAction.QUIZ_ATTEMPTS_GRANT,
        f"quiz:{course.id}/{quiz}",
        user=learner.id,
        extra=extra,
        reason=text,
    )
    return grant
