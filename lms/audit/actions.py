"""The actions the audit trail records, by the names stored with each event."""

from __future__ import annotations

import enum


class AuditAction(enum.StrEnum):
    COHORT_CREATE = "cohort.create"
    ROSTER_IMPORT = "roster.import"
    INVITATION_SEND = "invitation.send"
    ROLE_CHANGE = "role.change"
    REPORT_EXPORT = "report.export"
    REMINDER_SEND = "reminder.send"
    CERTIFICATE_REVOKE = "certificate.revoke"
    CERTIFICATE_REISSUE = "certificate.reissue"
    QUIZ_ATTEMPTS_GRANT = "quiz.attempts_grant"
    """Staff let a learner who used every attempt at a quiz try it again."""
    PROGRESS_RESET = "progress.reset"
    """Staff cleared a learner's steps in a course, to take it again."""
    STEP_MARK_DONE = "progress.mark_done"
    """Staff recorded a step as done for a learner."""
    ACCOUNT_DELETE = "account.delete"
    """A person deleted their own account (lms.privacy); no address is recorded."""
    PRIVACY_PURGE = "privacy.purge"
    """Inactive accounts deleted by the retention rule (``lms privacy purge``)."""
    COHORT_UPDATE = "cohort.update"
    """Staff renamed a cohort, or changed its certificate or due date (old values kept)."""
    COHORT_ARCHIVE = "cohort.archive"
    COHORT_UNARCHIVE = "cohort.unarchive"
    MEMBERSHIP_ADD = "membership.add"
    """One person added to a cohort by address (a roster of one)."""
    MEMBERSHIP_REMOVE = "membership.remove"
    """A member taken off a cohort's roster, with the reason."""
    MEMBERSHIP_DUE_DATE = "membership.due_date"
    """A member given a due date of their own (an extension), with the reason."""
    SECOND_FACTOR_CHANGE = "account.second_factor"
    """A person turned two-step verification on or off, used a recovery code or renewed them
    (the change is in the details)."""
    MAIL_RETRY = "mail.retry"
    """An administrator had an unsent or failed mail of the outbox tried again at once."""
