"""What administration's pages show: a learner's record as staff see it, the trail's words.

The profile leaves out the password hash, and quiz attempts come without their answers
(where reflections are): no page can show them by mistake.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

from lms.accounts.categories import Affiliation, FrqSector, ResearchRole, Role
from lms.audit.actions import AuditAction
from lms.content import ItemKind, Localized

if TYPE_CHECKING:
    from lms.accounts.models import User
    from lms.cohorts.models import CohortMembership

ROLE_LABELS = {
    Role.LEARNER: _l("Learner"),
    Role.STAFF: _l("Staff"),
    Role.ADMIN: _l("Administrator"),
}

ACTION_LABELS = {
    AuditAction.COHORT_CREATE: _l("Cohort created"),
    AuditAction.ROSTER_IMPORT: _l("Roster imported"),
    AuditAction.INVITATION_SEND: _l("Invitation sent"),
    AuditAction.ROLE_CHANGE: _l("Role changed"),
    AuditAction.REPORT_EXPORT: _l("Report exported"),
    AuditAction.REMINDER_SEND: _l("Reminders sent"),
    AuditAction.CERTIFICATE_REVOKE: _l("Certificate revoked"),
    AuditAction.CERTIFICATE_REISSUE: _l("Certificate reissued"),
    AuditAction.QUIZ_ATTEMPTS_GRANT: _l("Quiz attempts granted"),
    AuditAction.PROGRESS_RESET: _l("Course progress reset"),
    AuditAction.STEP_MARK_DONE: _l("Step marked as done"),
    AuditAction.ACCOUNT_DELETE: _l("Account deleted"),
    AuditAction.PRIVACY_PURGE: _l("Inactive accounts deleted"),
    AuditAction.COHORT_UPDATE: _l("Cohort changed"),
    AuditAction.COHORT_ARCHIVE: _l("Cohort archived"),
    AuditAction.COHORT_UNARCHIVE: _l("Cohort taken out of the archive"),
    AuditAction.MEMBERSHIP_ADD: _l("Member added"),
    AuditAction.MEMBERSHIP_REMOVE: _l("Member removed"),
    AuditAction.MEMBERSHIP_DUE_DATE: _l("Member’s due date changed"),
    AuditAction.MAIL_RETRY: _l("Mail tried again"),
    AuditAction.SECOND_FACTOR_CHANGE: _l("Two-step verification changed"),
    AuditAction.LIVE_SESSION_CREATE: _l("Live session scheduled"),
    AuditAction.LIVE_SESSION_UPDATE: _l("Live session changed"),
    AuditAction.LIVE_SESSION_CANCEL: _l("Live session cancelled"),
    AuditAction.LIVE_RECORDING_SET: _l("Live session’s recording given"),
    AuditAction.ATTENDANCE_RECORD: _l("Attendance ticked"),
    AuditAction.ATTENDANCE_IMPORT: _l("Attendance report imported"),
    AuditAction.COMMUNITY_CREATE: _l("Community created"),
    AuditAction.COMMUNITY_UPDATE: _l("Community changed"),
    AuditAction.THREAD_PIN: _l("Discussion pinned"),
    AuditAction.THREAD_UNPIN: _l("Discussion unpinned"),
    AuditAction.THREAD_LOCK: _l("Discussion locked"),
    AuditAction.THREAD_UNLOCK: _l("Discussion unlocked"),
    AuditAction.POST_HIDE: _l("Post hidden"),
    AuditAction.POST_RESTORE: _l("Post restored"),
    AuditAction.REPORTS_DISMISS: _l("Reports dismissed"),
}


@dataclass(frozen=True)
class Profile:
    """What staff may know of an account: no password, no secret."""

    id: int
    email: str
    certificate_name: str | None
    language: str | None
    role: Role
    created_at: datetime
    last_seen_at: datetime | None
    email_confirmed_at: datetime | None
    research_roles: frozenset[ResearchRole]
    affiliation: Affiliation | None
    affiliation_other: str | None
    frq_fellowship: bool | None
    frq_sector: FrqSector | None
    privacy_consent_at: datetime | None
    privacy_notice_version: str | None
    invitation_pending: bool

    @classmethod
    def of(cls, user: User, *, invitation_pending: bool) -> Profile:
        return cls(
            id=user.id,
            email=user.email,
            certificate_name=user.certificate_name,
            language=user.language,
            role=user.role,
            created_at=user.created_at,
            last_seen_at=user.last_seen_at,
            email_confirmed_at=user.email_confirmed_at,
            research_roles=user.roles_in_research,
            affiliation=user.affiliation,
            affiliation_other=user.affiliation_other,
            frq_fellowship=user.frq_fellowship,
            frq_sector=user.frq_sector,
            privacy_consent_at=user.privacy_consent_at,
            privacy_notice_version=user.privacy_notice_version,
            invitation_pending=invitation_pending,
        )


@dataclass(frozen=True)
class ItemLine:
    key: str
    kind: ItemKind
    title: Localized
    completed_at: datetime | None


@dataclass(frozen=True)
class CourseLine:
    course_id: str
    title: Localized
    started_at: datetime | None
    completed_at: datetime | None
    items: tuple[ItemLine, ...]
    """The outline as it is now; empty for a course no longer in the catalogue."""
    done: int
    total: int


@dataclass(frozen=True)
class AttemptLine:
    course_id: str
    course_title: Localized
    quiz_title: Localized
    number: int
    started_at: datetime
    submitted_at: datetime | None
    score: Decimal | None
    max_score: int | None
    percent: int | None
    passed: bool | None


@dataclass(frozen=True)
class BlockedQuiz:
    """A quiz the learner failed as often as it allows: staff may grant more attempts."""

    course_id: str
    quiz: str
    course_title: Localized
    quiz_title: Localized


@dataclass(frozen=True)
class LearnerRecord:
    profile: Profile
    memberships: tuple[CohortMembership, ...]
    courses: tuple[CourseLine, ...]
    attempts: tuple[AttemptLine, ...]
    blocked: tuple[BlockedQuiz, ...] = ()
