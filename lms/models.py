"""Imports every feature's models, so that ``Base.metadata`` knows every table."""

from lms.accounts.models import Role, User
from lms.certificates.models import Certificate, CertificatePdf, CertificateStatus
from lms.db import Base
from lms.learning.models import Enrolment, ItemCompletion
from lms.quizzes.models import QuizAttempt
from lms.staff.models import AuditEvent, Cohort, CohortMembership

__all__ = [
    "AuditEvent",
    "Base",
    "Certificate",
    "CertificatePdf",
    "CertificateStatus",
    "Cohort",
    "CohortMembership",
    "Enrolment",
    "ItemCompletion",
    "QuizAttempt",
    "Role",
    "User",
]
