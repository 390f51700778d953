"""What live sessions' pure modules return, in words of the reader's language: attendance
reports' problems, registration states."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.live.attendance_report import ProblemKind, ReportProblem
from lms.live.models import RegistrationStatus

STATUS_LABELS = {
    RegistrationStatus.REGISTERED: _l("Registered"),
    RegistrationStatus.WAITING: _l("Waiting list"),
    RegistrationStatus.CANCELLED: _l("Cancelled"),
}


def registration_label(status: RegistrationStatus | None) -> str:
    return str(STATUS_LABELS[status]) if status is not None else _("Not registered")


def report_problem_text(problem: ReportProblem) -> str:
    """One problem of an attendance report as a sentence; the line is shown beside it."""
    value = problem.value or ""
    texts = {
        ProblemKind.UNREADABLE: lambda: _(
            "The file could not be read. Download the attendance report again from Zoom or "
            "Microsoft Teams (CSV), and import it as it is."
        ),
        ProblemKind.FILE_TOO_LARGE: lambda: _(
            "The file is larger than %(num)s MB: is it really an attendance report?", num=value
        ),
        ProblemKind.NO_PARTICIPANTS_HEADER: lambda: _(
            "No line names the participants’ columns (a name, an email address and a "
            "duration, or a name, an action and a timestamp): is it Zoom’s participants "
            "export or Teams’ attendance report?"
        ),
        ProblemKind.EMPTY: lambda: _("The report lists no participant."),
        ProblemKind.TOO_MANY_ROWS: lambda: _(
            "The report has more than %(num)s participants’ lines.", num=value
        ),
        ProblemKind.CELL_TOO_LONG: lambda: _(
            "A cell of this line is longer than %(num)s characters.", num=value
        ),
        ProblemKind.BAD_EMAIL: lambda: _("“%(email)s” is not a valid email address.", email=value),
        ProblemKind.BAD_DURATION: lambda: _(
            "“%(duration)s” is not a duration (such as 65, 1h 5m or 1 h 5 min).", duration=value
        ),
        ProblemKind.BAD_ACTION: lambda: _(
            "“%(action)s” is neither a join nor a leave (Joined, Left, A rejoint, A quitté).",
            action=value,
        ),
        ProblemKind.BAD_TIMESTAMP: lambda: _(
            "“%(timestamp)s” is not a date and time (such as 10/15/2026, 1:03:00 PM or "
            "2026-10-15 13:03:00).",
            timestamp=value,
        ),
        ProblemKind.NO_ADDRESS_COLUMN: lambda: _(
            "This list of joins and leaves gives names without email addresses: nobody can be "
            "matched to an account. Download Teams’ attendance report with the addresses, or "
            "tick those present on the session’s page."
        ),
    }
    return texts[problem.kind]()
