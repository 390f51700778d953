"""What cohorts' pure modules return, in words of the reader's language: roster problems,
columns, statuses, sectors, the chart's labels, and the dashboard as an export's table."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import TYPE_CHECKING

from flask_babel import format_date, format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from lms.accounts.categories import FrqSector
from lms.accounts.forms import FRQ_SECTOR_LABELS
from lms.cohorts import dashboard as report
from lms.cohorts.chart import ChartWords
from lms.cohorts.dashboard import ReportQuery, Status, StatusFilter
from lms.cohorts.exports import Cell, Table
from lms.cohorts.roster import Column, ProblemKind, RosterProblem
from lms.periods import local_date

if TYPE_CHECKING:
    from lms.cohorts.queries import CohortReport

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
    StatusFilter.BLOCKED: _l("Blocked: attempts used up"),
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
        ProblemKind.FILE_TOO_LARGE: lambda: _(
            "The file is larger than %(num)s MB (uncompressed, for a workbook): is it really a "
            "roster? Keep only the roster’s sheet and columns.",
            num=value,
        ),
        ProblemKind.TOO_MANY_COLUMNS: lambda: _(
            "The file has more than %(num)s columns: keep only the roster’s columns.", num=value
        ),
        ProblemKind.CELL_TOO_LONG: lambda: _(
            "A cell of this line is longer than %(num)s characters.", num=value
        ),
    }
    return texts[problem.kind]()


def chart_words(members: int, completed: int, due_date: date | None) -> ChartWords:
    """The completions chart's labels, with numbers and days as the locale writes them."""
    return ChartWords(
        completed=_("%(done)s completed", done=format_number(completed)),
        everyone=_("All %(num)s members", num=format_number(members)),
        due=_("Due date: %(date)s", date=format_date(due_date, "medium")) if due_date else None,
        count=format_number,
    )


def report_table(data: CohortReport, query: ReportQuery, language: str, zone: tzinfo) -> Table:
    """The dashboard's rows (with its filters and order, every page) as an export's table.

    The header is in the current locale; course titles in ``language``, short ones, as
    the dashboard's matrix heads its columns; days in ``zone``.
    """

    def day(moment: datetime | None) -> date | None:
        return local_date(moment, zone) if moment is not None else None

    header = [
        _("Last name"),
        _("First name"),
        _("Email"),
        _("FRQ sector"),
        _("Fellowship number"),
        _("Status"),
        _("Overdue"),
        _("Due date"),
        _("Blocked: attempts used up"),
        _("Progress (%)"),
        _("Completed on"),
        _("Certificate code"),
        _("Certificate issued on"),
    ]
    for course in data.courses:
        title = course.short_title.get(language)
        header += [
            _("%(course)s: status", course=title),
            _("%(course)s: progress (%%)", course=title),
            _("%(course)s: completed on", course=title),
        ]
    if data.sessions_required:
        header.append(_("Live sessions attended (of %(num)s)", num=data.sessions_required))
    # Words looked up once, not once per member: a cohort may have thousands.
    statuses = {status: status_label(status) for status in Status}
    sectors = {sector.value: sector_label(sector.value) for sector in FrqSector}
    yes, no = _("Yes"), _("No")
    deleted_label = _("Deleted account")
    rows: list[tuple[Cell, ...]] = []
    for row in report.select_rows(data.rows, query):
        member = row.member
        cells: list[Cell] = [
            deleted_label if member.deleted else member.last_name,
            member.first_name,
            member.email,
            sectors.get(member.sector or "", member.sector or ""),
            member.fellowship_number,
            statuses[row.status],
            yes if row.overdue else no,
            row.due_date,
            yes if row.blocked else no,
            row.percent,
            day(row.completed_at),
            row.certificate.code if row.certificate and not member.deleted else None,
            day(row.certificate.issued_at) if row.certificate else None,
        ]
        for cell in row.courses:
            cells += [statuses[cell.status], cell.percent, day(cell.completed_at)]
        if data.sessions_required:
            cells.append(row.sessions_attended or 0)
        rows.append(tuple(cells))
    return Table(data.cohort.name, tuple(header), tuple(rows))
