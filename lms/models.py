"""Imports every feature's models, so that ``Base.metadata`` knows every table (for Alembic)."""

from lms.accounts.models import DeviceSession, User
from lms.audit.models import ActionKey, AuditEvent
from lms.certificates.models import Certificate, CertificatePdf
from lms.cohorts.models import Cohort, CohortMembership, Reminder
from lms.communities.models import (
    Community,
    CommunityCohort,
    CommunityFollow,
    MemberProfile,
    Moderator,
    Post,
    PostReport,
    Thread,
    ThreadFollow,
    ThreadRead,
)
from lms.db import Base
from lms.learning.models import Enrolment, ItemCompletion
from lms.live.models import Attendance, CalendarFeed, LiveSession, Registration, SessionTag
from lms.outbox.models import QueuedMail
from lms.quizzes.models import QuizAttempt

__all__ = [
    "ActionKey",
    "Attendance",
    "AuditEvent",
    "Base",
    "CalendarFeed",
    "Certificate",
    "CertificatePdf",
    "Cohort",
    "CohortMembership",
    "Community",
    "CommunityCohort",
    "CommunityFollow",
    "DeviceSession",
    "Enrolment",
    "ItemCompletion",
    "LiveSession",
    "MemberProfile",
    "Moderator",
    "Post",
    "PostReport",
    "QueuedMail",
    "QuizAttempt",
    "Registration",
    "Reminder",
    "SessionTag",
    "Thread",
    "ThreadFollow",
    "ThreadRead",
    "User",
]
