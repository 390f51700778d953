"""A table as a CSV file (UTF-8 with a byte-order mark) or an XLSX workbook; pure."""

from __future__ import annotations

import csv
import enum
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

Cell = str | int | float | date | None
"""A ``datetime`` is a ``date`` too; exports give days, as the dashboard does."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What makes a spreadsheet read a cell as a formula (OWASP's list of CSV injection triggers)."""

CSV_SEPARATORS = ";,"
"""Where a spreadsheet may split a CSV line: each piece of a cell can start a formula, since
a reader who opens the file with the other convention splits cells on what is inside them."""

_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")
"""A negative number written as text: a spreadsheet reads it as a number, never a formula."""

COLUMN_WIDTH = (8, 60)
"""Narrowest and widest XLSX column, in characters: long notes wrap out of sight."""

SHEET_TITLE_LENGTH = 31
"""Excel refuses longer worksheet names."""


class CsvDialect(enum.StrEnum):
    """A spreadsheet's CSV convention, named by its language: French Excel (as Quebec's
    staff have it) splits on semicolons and writes decimal commas; English Excel uses commas
    and decimal points. Opened with the wrong one, a file shows as one column."""

    FR = "fr"
    EN = "en"

    @classmethod
    def for_language(cls, language: str) -> CsvDialect:
        return cls.FR if language == "fr" else cls.EN

    @classmethod
    def other_than(cls, language: str) -> CsvDialect:
        """The convention that is not ``language``'s: the page's second download link."""
        default = cls.for_language(language)
        return next(dialect for dialect in cls if dialect is not default)

    @property
    def delimiter(self) -> str:
        return ";" if self is CsvDialect.FR else ","

    @property
    def decimal_mark(self) -> str:
        return "," if self is CsvDialect.FR else "."


@dataclass(frozen=True)
class Table:
    title: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def neutralize(text: str, *, separators: str = "") -> str:
    """``text`` as a spreadsheet shows it but never runs it: an apostrophe before a formula's
    first character, at the start and after each of ``separators``. Names and notes come
    from uploaded rosters, which anyone could have filled in. Negative numbers stay numbers.
    """
    if not separators:
        return _guard(text)
    pieces = re.split(f"([{re.escape(separators)}])", text)
    # Odd places hold the separators themselves.
    return "".join(_guard(piece) if i % 2 == 0 else piece for i, piece in enumerate(pieces))


def _guard(piece: str) -> str:
    # Spaces first: a reader that trims cells would bring the formula to the front.
    starts_formula = piece.lstrip(" ").startswith(FORMULA_STARTS)
    return f"'{piece}" if starts_formula and not _NUMBER.fullmatch(piece.strip(" ")) else piece


def to_csv(table: Table, dialect: CsvDialect) -> bytes:
    """The table as CSV in ``dialect``'s convention, with a byte-order mark so that Excel
    reads UTF-8. Numbers are written bare (no thousands separator), for spreadsheets to
    read as numbers; days as ISO dates, which Excel reads in either language."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerow([neutralize(name, separators=CSV_SEPARATORS) for name in table.header])
    writer.writerows([_csv_cell(cell, dialect) for cell in row] for row in table.rows)
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(table: Table) -> bytes:
    """The table as one worksheet: a bold, frozen header row with filters, columns as wide
    as their contents, dates as real dates and numbers as numbers."""
    # Imported here: only XLSX downloads pay for loading openpyxl.
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    # Write-only mode streams rows: a large cohort's export stays fast and small in memory.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_title(table.title))
    sheet.freeze_panes = "A2"
    # Write-only sheets take column settings before their first row.
    for number, width in enumerate(_column_widths(table), start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    last_column = get_column_letter(max(1, len(table.header)))
    sheet.auto_filter.ref = f"A1:{last_column}{len(table.rows) + 1}"

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


def _csv_cell(cell: Cell, dialect: CsvDialect) -> str:
    if cell is None:
        return ""
    if isinstance(cell, date):
        return _day(cell).isoformat()
    if isinstance(cell, str):
        return neutralize(cell, separators=CSV_SEPARATORS)
    if isinstance(cell, float):
        # Through Decimal: never an exponent (1e-05), which spreadsheets read as text.
        return format(Decimal(repr(cell)), "f").replace(".", dialect.decimal_mark)
    return str(cell)


def _column_widths(table: Table) -> list[float]:
    """Each column's width in characters: its longest text, its header's with room for the
    bold and the filter's button, within ``COLUMN_WIDTH``."""
    narrowest, widest = COLUMN_WIDTH
    widths = [len(name) * 1.1 + 4 for name in table.header]
    for row in table.rows:
        for number, cell in enumerate(row):
            widths[number] = max(widths[number], _shown_length(cell) + 2)
    return [round(min(widest, max(narrowest, width)), 1) for width in widths]


def _shown_length(cell: Cell) -> int:
    if cell is None:
        return 0
    if isinstance(cell, date):
        return len("yyyy-mm-dd")
    return len(str(cell))


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
