"""What staff's pure modules return, in words of the reader's language: roster problems,
columns, statuses, sectors."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.accounts.forms import FRQ_SECTOR_LABELS
from lms.accounts.models import FrqSector
from lms.staff.report import Status, StatusFilter
from lms.staff.roster import Column, ProblemKind, RosterProblem

COLUMN_LABELS = {
    Column.EMAIL: _l("Email"),
    Column.FIRST_NAME: _l("First name"),
    Column.LAST_NAME: _l("Last name"),
    Column.SECTOR: _l("FRQ sector"),
    Column.FELLOWSHIP_NUMBER: _l("Fellowship number"),
    Column.NOTES: _l("Notes"),
}

STATUS_LABELS = {
    StatusFilter.NOT_STARTED: _l("Not started"),
    StatusFilter.IN_PROGRESS: _l("In progress"),
    StatusFilter.COMPLETED: _l("Completed"),
    StatusFilter.OVERDUE: _l("Overdue"),
}


def column_name(column: Column) -> str:
    return str(COLUMN_LABELS[column])


def status_label(status: Status | StatusFilter) -> str:
    return str(STATUS_LABELS[StatusFilter(status.value)])


def sector_label(sector: str | None) -> str:
    """The sector's name in the current language; an unknown stored value as it is."""
    if not sector:
        return ""
    try:
        return str(FRQ_SECTOR_LABELS[FrqSector(sector)])
    except ValueError:
        return sector


def problem_text(problem: RosterProblem) -> str:
    """One roster problem as a sentence; the line is shown beside it."""
    column = column_name(problem.column) if problem.column is not None else ""
    value = problem.value or ""
    texts = {
        ProblemKind.UNREADABLE: lambda: _(
            "The file could not be read. Save it as CSV (UTF-8) or as an Excel workbook "
            "(XLSX), then import it again."
        ),
        ProblemKind.EMPTY: lambda: _("The file holds no roster line."),
        ProblemKind.TOO_MANY_ROWS: lambda: _(
            "The file has more than %(num)s lines: split it.", num=value
        ),
        ProblemKind.MISSING_COLUMN: lambda: _(
            "The header has no “%(column)s” column.", column=column
        ),
        ProblemKind.DUPLICATE_COLUMN: lambda: _(
            "The header has the “%(column)s” column twice (“%(name)s”).", column=column, name=value
        ),
        ProblemKind.MISSING_VALUE: lambda: _("The “%(column)s” cell is empty.", column=column),
        ProblemKind.BAD_EMAIL: lambda: _("“%(email)s” is not a valid email address.", email=value),
        ProblemKind.DUPLICATE: lambda: _(
            "This email address is already on line %(line)s.", line=value
        ),
        ProblemKind.UNKNOWN_SECTOR: lambda: _(
            "Unknown sector “%(sector)s”: write Santé, Société et culture or Nature et "
            "technologies (or FRQS, FRQSC, FRQNT).",
            sector=value,
        ),
        ProblemKind.TOO_LONG: lambda: _(
            "The “%(column)s” cell is longer than %(num)s characters.", column=column, num=value
        ),
    }
    return texts[problem.kind]()
