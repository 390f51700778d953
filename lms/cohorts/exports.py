"""A table as a CSV file (UTF-8 with a byte-order mark) or an XLSX workbook; pure."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time

Cell = str | int | float | date | None
"""A ``datetime`` is a ``date`` too; exports give days, as the dashboard does."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP's list of CSV injection triggers)."""

SHEET_TITLE_LENGTH = 31
"""Excel refuses longer worksheet names."""


@dataclass(frozen=True)
class Table:
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def neutralize(text: str) -> str:
    """``text`` as a spreadsheet shows it but never runs it: a leading apostrophe before a
    formula's first character. Names and notes come from uploaded rosters, which anyone
    could have filled in."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def to_csv(table: Table) -> bytes:
    """The table as CSV, comma-separated, with a byte-order mark so that Excel reads UTF-8."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([neutralize(name) for name in table.header])
    writer.writerows([_csv_cell(cell) for cell in row] for row in table.rows)
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(table: Table) -> bytes:
    """The table as one worksheet: a bold, frozen header row, dates as real dates."""
    # Imported here: only XLSX downloads pay for loading openpyxl.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    # Write-only mode streams rows: a large cohort's export stays fast and small in memory.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(table.title))
    sheet.freeze_panes = "A2"

    def header_cell(name: str) -> object:
        written = WriteOnlyCell(sheet, value=_xlsx_text(name))
        written.font = Font(bold=True)
        return written

    def body_cell(cell: Cell) -> object:
        if isinstance(cell, date):
            # A date-time at midnight shown as a date: what spreadsheets store for a day.
            written = WriteOnlyCell(sheet, value=datetime.combine(_day(cell), time()))
            written.number_format = "yyyy-mm-dd"
            return written
        return _xlsx_text(cell) if isinstance(cell, str) else cell

    sheet.append([header_cell(name) for name in table.header])
    for row in table.rows:
        sheet.append([body_cell(cell) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv_cell(cell: Cell) -> str | int | float:
    if cell is None:
        return ""
    if isinstance(cell, date):
        return _day(cell).isoformat()
    if isinstance(cell, str):
        return neutralize(cell)
    return cell


def _xlsx_text(text: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    # Control characters cannot be stored in XLSX's XML: drop them rather than fail.
    return neutralize(ILLEGAL_CHARACTERS_RE.sub("", text))


def _day(value: date) -> date:
    return value.date() if isinstance(value, datetime) else value


def _sheet_title(title: str) -> str:
    # Excel forbids these characters in a worksheet's name.
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in title).strip()
    return cleaned[:SHEET_TITLE_LENGTH] or "Report"
