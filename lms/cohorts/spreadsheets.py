"""Spreadsheet files (CSV or XLSX) in, lines of cells out, each limit checked as read: pure."""

from __future__ import annotations

import csv
import enum
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime

MAX_ROWS = 20_000
"""More than any cohort; bounds the work a mistaken upload (a whole registry) can cause."""
MAX_SHEET_ROWS = 2 * MAX_ROWS
"""Lines read at most, blank ones included (spreadsheets keep formatted empty rows)."""
MAX_COLUMNS = 100
"""Cells of a line read at most; a roster needs six, an export from a registry a few dozen."""
MAX_CELL_LENGTH = 10_000
"""Characters in any cell, ours or not (notes, our longest, take 2,000)."""
MAX_XLSX_UNCOMPRESSED = 32 * 1024 * 1024
"""The workbook's parts, uncompressed, at most: a 20,000-line roster takes under 10 MB, and
openpyxl reads the shared strings whole. Checked in the zip's directory before any of it is
read (zipfile stops at the declared size, so a part cannot be larger than it says)."""


class Unreadable(Exception):
    """Not a CSV or XLSX file we can read (or not text in UTF-8 or Windows-1252)."""


class Refused(Exception):
    """A limit was passed while reading: the file is refused for ``limit``, passed on ``line``
    (0 for the whole file). ``maximum`` is the limit as a problem quotes it: in MB for a size,
    ``MAX_ROWS`` for lines."""

    def __init__(self, limit: Limit, line: int, maximum: str) -> None:
        super().__init__(limit.value)
        self.limit = limit
        self.line = line
        self.maximum = maximum


class Limit(enum.StrEnum):
    """What a refused file has too much of."""

    UNCOMPRESSED_SIZE = "uncompressed_size"
    """An XLSX's parts, past ``MAX_XLSX_UNCOMPRESSED``."""
    ROWS = "rows"
    """More lines than ``MAX_SHEET_ROWS``, as the sheet states or as they are read."""
    COLUMNS = "columns"
    """A line, or the sheet's stated width, past ``MAX_COLUMNS`` cells."""
    CELL_LENGTH = "cell_length"
    """A cell longer than ``MAX_CELL_LENGTH``."""


def read_lines(data: bytes, filename: str) -> list[list[str]]:
    """``data``'s lines of cells, read as CSV or XLSX by ``filename`` or the bytes: raises
    ``Unreadable`` if it is neither, ``Refused`` as soon as a limit is passed."""
    lines = _xlsx_rows(data) if _is_xlsx(data, filename) else _csv_rows(_decode(data))
    return _bounded(lines)


def _bounded(lines: Iterable[list[str]]) -> list[list[str]]:
    """The file's lines, read until a limit is passed: lines, columns, cell length."""
    table: list[list[str]] = []
    for line, cells in enumerate(lines, start=1):
        if line > MAX_SHEET_ROWS:
            raise Refused(Limit.ROWS, 0, str(MAX_ROWS))
        if len(cells) > MAX_COLUMNS:
            if any(cells[MAX_COLUMNS:]):
                raise Refused(Limit.COLUMNS, line, str(MAX_COLUMNS))
            cells = cells[:MAX_COLUMNS]
        if any(len(cell) > MAX_CELL_LENGTH for cell in cells):
            raise Refused(Limit.CELL_LENGTH, line, str(MAX_CELL_LENGTH))
        table.append(cells)
    return table


def _is_xlsx(data: bytes, filename: str) -> bool:
    # The name says what staff meant; the bytes decide for a file named oddly (roster.xlsx.csv).
    return filename.lower().endswith((".xlsx", ".xlsm")) or data.startswith(b"PK\x03\x04")


def _decode(data: bytes) -> str:
    """UTF-8 (Excel's "CSV UTF-8" adds a byte-order mark), else Windows-1252 (Excel's "CSV")."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        # Five bytes have no Windows-1252 character: this is neither encoding (or not text).
        raise Unreadable from None


def _csv_rows(text: str) -> Iterator[list[str]]:
    if "\x00" in text:
        raise Unreadable
    first_line = text.split("\n", 1)[0]
    # French Excel separates with semicolons, since the comma is the decimal mark.
    delimiter = max((";", ",", "\t"), key=first_line.count)
    try:
        for cells in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            yield [cell.strip() for cell in cells]
    except csv.Error:
        raise Unreadable from None


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    # Imported here: only XLSX uploads pay for loading openpyxl.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    unreadable = (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError)
    _check_zip(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except unreadable as error:
        raise Unreadable from error
    try:
        sheet = workbook.worksheets[0]
        _check_dimensions(sheet.max_row, sheet.max_column)
        # The dimension a file states may be wrong: rows are read as they come instead,
        # each cut (or padded) to one cell past the limit, which tells a wider one.
        sheet.reset_dimensions()
        for values in sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True):
            yield _xlsx_line(values)
    except unreadable as error:
        raise Unreadable from error
    finally:
        workbook.close()


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise Unreadable from error
    if size > MAX_XLSX_UNCOMPRESSED:
        raise Refused(Limit.UNCOMPRESSED_SIZE, 0, str(MAX_XLSX_UNCOMPRESSED // (1024 * 1024)))


def _check_dimensions(rows: int | None, columns: int | None) -> None:
    """Refuse at once a sheet whose stated size is too large (an honest file's is right)."""
    if rows is not None and rows > MAX_SHEET_ROWS:
        raise Refused(Limit.ROWS, 0, str(MAX_ROWS))
    if columns is not None and columns > MAX_COLUMNS:
        raise Refused(Limit.COLUMNS, 0, str(MAX_COLUMNS))


def _xlsx_line(values: Sequence[object]) -> list[str]:
    end = len(values)
    while end and values[end - 1] is None:
        end -= 1  # The padding to MAX_COLUMNS + 1 cells: nothing to convert.
    return [_xlsx_text(value) for value in values[:end]]


def _xlsx_text(value: object) -> str:
    if value is None:
        return ""
    # A fellowship number typed as a number comes back as 12345.0: it is an identifier.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()
