"""Roster files (CSV or XLSX, French or English headers) in, rows or numbered problems out: pure."""

from __future__ import annotations

import csv
import enum
import io
import itertools
import json
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from lms.accounts.categories import FrqSector

MAX_ROWS = 20_000
"""More than any cohort; bounds the work a mistaken upload (a whole registry) can cause."""
MAX_FILE_BYTES = 5 * 1024 * 1024
"""A 20,000-line roster is about 1.5 MB as CSV, less as XLSX."""
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
SHOWN_LENGTH = 80
"""Characters of a bad value quoted back in a problem; the rest is cut off."""

EMAIL_PATTERN = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+\Z"
)
"""The sign-up form's rule (``lms.accounts.forms.EMAIL_PATTERN``, which a test keeps equal),
copied because this module must not import Flask: an invitation goes to an address anyone
could have signed up with."""


class Column(enum.StrEnum):
    EMAIL = "email"
    FIRST_NAME = "first_name"
    LAST_NAME = "last_name"
    SECTOR = "sector"
    FELLOWSHIP_NUMBER = "fellowship_number"
    NOTES = "notes"


REQUIRED_COLUMNS = (
    Column.EMAIL,
    Column.FIRST_NAME,
    Column.LAST_NAME,
    Column.SECTOR,
    Column.FELLOWSHIP_NUMBER,
)
REQUIRED_VALUES = frozenset({Column.EMAIL, Column.FIRST_NAME, Column.LAST_NAME, Column.SECTOR})
"""A fellowship number may still be unknown when a cohort is imported; the rest may not."""

MAX_LENGTHS = {
    Column.EMAIL: 254,
    Column.FIRST_NAME: 100,
    Column.LAST_NAME: 100,
    Column.FELLOWSHIP_NUMBER: 64,
    Column.NOTES: 2000,
}
"""The membership table's column sizes (notes: a bound of our own)."""


def fold(text: str) -> str:
    """``text`` without accents, case or anything but letters and digits: what aliases compare.

    Also the key dashboards sort and search names by, for every member on every request:
    hence the shortcut for plain ASCII, and filters that run in C.
    """
    if not text.isascii():
        text = "".join(
            itertools.filterfalse(unicodedata.combining, unicodedata.normalize("NFKD", text))
        )
    return "".join(filter(str.isalnum, text)).casefold()


def _aliases(*names: str) -> frozenset[str]:
    return frozenset(fold(name) for name in names)


HEADER_ALIASES: dict[Column, frozenset[str]] = {
    Column.EMAIL: _aliases(
        "email", "e-mail", "email address", "courriel", "adresse courriel", "adresse de courriel",
        "adresse électronique", "adresse email", "mail",
    ),
    Column.FIRST_NAME: _aliases("first name", "firstname", "given name", "prénom"),
    Column.LAST_NAME: _aliases(
        "last name", "lastname", "surname", "family name", "nom", "nom de famille"
    ),
    Column.SECTOR: _aliases("sector", "FRQ sector", "secteur", "secteur FRQ", "secteur du FRQ"),
    Column.FELLOWSHIP_NUMBER: _aliases(
        "fellowship number", "fellowship no", "fellowship #", "fellowship id", "numéro de bourse",
        "no de bourse", "n° de bourse", "numéro de dossier", "file number",
    ),
    Column.NOTES: _aliases("notes", "note", "comments", "remarques", "commentaires"),
}  # fmt: skip

SECTOR_ALIASES: dict[str, FrqSector] = {
    **dict.fromkeys(
        _aliases("Santé", "Health", "FRQS", "FRQ-S", "FRQ Santé", "FRQSanté"), FrqSector.HEALTH
    ),
    **dict.fromkeys(
        _aliases("Société et culture", "Society and culture", "FRQSC", "FRQ-SC", "FRQ Société"),
        FrqSector.SOCIETY_CULTURE,
    ),
    **dict.fromkeys(
        _aliases(
            "Nature et technologies", "Nature and technologies", "FRQNT", "FRQ-NT", "FRQ Nature"
        ),
        FrqSector.NATURE_TECHNOLOGIES,
    ),
}
"""The three sectors of today's FRQ and the former funds' names, in French and English."""


class ProblemKind(enum.StrEnum):
    UNREADABLE = "unreadable"
    """Not a CSV or XLSX file we can read (or not text in UTF-8 or Windows-1252)."""
    EMPTY = "empty"
    TOO_MANY_ROWS = "too_many_rows"
    MISSING_COLUMN = "missing_column"
    DUPLICATE_COLUMN = "duplicate_column"
    MISSING_VALUE = "missing_value"
    BAD_EMAIL = "bad_email"
    DUPLICATE = "duplicate"
    UNKNOWN_SECTOR = "unknown_sector"
    TOO_LONG = "too_long"
    FILE_TOO_LARGE = "file_too_large"
    """The file (value: its limit in MB), or an XLSX's uncompressed parts."""
    TOO_MANY_COLUMNS = "too_many_columns"
    CELL_TOO_LONG = "cell_too_long"


@dataclass(frozen=True, order=True)
class RosterProblem:
    """One reason the file cannot be imported; views word it in the reader's language."""

    line: int
    """The line (spreadsheet row) it is on, the header being line 1; 0 for the whole file."""
    kind: ProblemKind
    column: Column | None = None
    value: str | None = None
    """The offending text (cut to ``SHOWN_LENGTH``: see ``shown``); for a duplicate, the
    line of the first occurrence."""


@dataclass(frozen=True)
class RosterRow:
    line: int
    email: str
    """Trimmed and lower-cased, as accounts store addresses."""
    first_name: str
    last_name: str
    sector: FrqSector
    fellowship_number: str | None
    notes: str | None

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class Roster:
    rows: tuple[RosterRow, ...]
    problems: tuple[RosterProblem, ...]
    """In line order; nothing may be imported from a file that has any."""

    @property
    def ok(self) -> bool:
        return not self.problems


def parse_roster(data: bytes, filename: str) -> Roster:
    """Read and check a whole roster; every problem is reported, each with its line.

    The file's size, and an XLSX's uncompressed size, lines, columns and cells, are checked
    as it is read, before any of it is kept whole: a hostile file costs a bounded effort.
    """
    if len(data) > MAX_FILE_BYTES:
        return _failed(ProblemKind.FILE_TOO_LARGE, str(MAX_FILE_BYTES // (1024 * 1024)))
    try:
        lines = _xlsx_rows(data) if _is_xlsx(data, filename) else _csv_rows(_decode(data))
        table = _bounded(lines)
    except _Unreadable:
        return _failed(ProblemKind.UNREADABLE)
    except _Refused as refused:
        return Roster((), (refused.problem,))
    # Trailing blank lines (common in exported files) are not rows.
    while table and not any(table[-1]):
        table.pop()
    if not table:
        return _failed(ProblemKind.EMPTY)
    if len(table) - 1 > MAX_ROWS:
        return _failed(ProblemKind.TOO_MANY_ROWS, str(MAX_ROWS))
    return _checked(table)


def _checked(table: list[list[str]]) -> Roster:
    positions, problems = _header(table[0])
    if problems:
        return Roster((), tuple(problems))
    rows: list[RosterRow] = []
    first_line: dict[str, int] = {}
    for line, cells in enumerate(table[1:], start=2):
        if not any(cells):
            continue
        values = {column: _cell(cells, index) for column, index in positions.items()}
        row, row_problems = _row(line, values, first_line)
        problems.extend(row_problems)
        if row is not None:
            rows.append(row)
    if not rows and not problems:
        return _failed(ProblemKind.EMPTY)
    return Roster(tuple(rows), tuple(sorted(problems)))


def shown(value: str) -> str:
    """``value`` as a problem quotes it: at most ``SHOWN_LENGTH`` characters."""
    if len(value) <= SHOWN_LENGTH:
        return value
    return value[: SHOWN_LENGTH - 1] + "…"


class _Refused(Exception):
    """A limit was passed while reading: the file is refused for ``problem``."""

    def __init__(self, problem: RosterProblem) -> None:
        super().__init__(problem.kind.value)
        self.problem = problem


def _bounded(lines: Iterable[list[str]]) -> list[list[str]]:
    """The file's lines, read until a limit is passed: lines, columns, cell length."""
    table: list[list[str]] = []
    for line, cells in enumerate(lines, start=1):
        if line > MAX_SHEET_ROWS:
            raise _Refused(RosterProblem(0, ProblemKind.TOO_MANY_ROWS, None, str(MAX_ROWS)))
        if len(cells) > MAX_COLUMNS:
            if any(cells[MAX_COLUMNS:]):
                limit = str(MAX_COLUMNS)
                raise _Refused(RosterProblem(line, ProblemKind.TOO_MANY_COLUMNS, None, limit))
            cells = cells[:MAX_COLUMNS]
        if any(len(cell) > MAX_CELL_LENGTH for cell in cells):
            limit = str(MAX_CELL_LENGTH)
            raise _Refused(RosterProblem(line, ProblemKind.CELL_TOO_LONG, None, limit))
        table.append(cells)
    return table


def _failed(kind: ProblemKind, value: str | None = None) -> Roster:
    return Roster((), (RosterProblem(0, kind, None, value),))


class _Unreadable(Exception):
    pass


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
        raise _Unreadable from None


def _csv_rows(text: str) -> Iterator[list[str]]:
    if "\x00" in text:
        raise _Unreadable
    first_line = text.split("\n", 1)[0]
    # French Excel separates with semicolons, since the comma is the decimal mark.
    delimiter = max((";", ",", "\t"), key=first_line.count)
    try:
        for cells in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            yield [cell.strip() for cell in cells]
    except csv.Error:
        raise _Unreadable from None


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    # Imported here: only XLSX uploads pay for loading openpyxl.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    unreadable = (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError)
    _check_zip(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except unreadable as error:
        raise _Unreadable from error
    try:
        sheet = workbook.worksheets[0]
        _check_dimensions(sheet.max_row, sheet.max_column)
        # The dimension a file states may be wrong: rows are read as they come instead,
        # each cut (or padded) to one cell past the limit, which tells a wider one.
        sheet.reset_dimensions()
        for values in sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True):
            yield _xlsx_line(values)
    except unreadable as error:
        raise _Unreadable from error
    finally:
        workbook.close()


def _check_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            size = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _Unreadable from error
    if size > MAX_XLSX_UNCOMPRESSED:
        limit = str(MAX_XLSX_UNCOMPRESSED // (1024 * 1024))
        raise _Refused(RosterProblem(0, ProblemKind.FILE_TOO_LARGE, None, limit))


def _check_dimensions(rows: int | None, columns: int | None) -> None:
    """Refuse at once a sheet whose stated size is too large (an honest file's is right)."""
    if rows is not None and rows > MAX_SHEET_ROWS:
        raise _Refused(RosterProblem(0, ProblemKind.TOO_MANY_ROWS, None, str(MAX_ROWS)))
    if columns is not None and columns > MAX_COLUMNS:
        limit = str(MAX_COLUMNS)
        raise _Refused(RosterProblem(0, ProblemKind.TOO_MANY_COLUMNS, None, limit))


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


def _header(cells: Sequence[str]) -> tuple[dict[Column, int], list[RosterProblem]]:
    positions: dict[Column, int] = {}
    problems: list[RosterProblem] = []
    for index, name in enumerate(cells):
        column = _column_named(name)
        if column is None:
            continue  # Extra columns (a phone number, an id) are not ours to refuse.
        if column in positions:
            problems.append(RosterProblem(1, ProblemKind.DUPLICATE_COLUMN, column, shown(name)))
        else:
            positions[column] = index
    problems.extend(
        RosterProblem(1, ProblemKind.MISSING_COLUMN, column)
        for column in REQUIRED_COLUMNS
        if column not in positions
    )
    return positions, problems


def _column_named(name: str) -> Column | None:
    folded = fold(name)
    return next((c for c, aliases in HEADER_ALIASES.items() if folded in aliases), None)


def _cell(cells: Sequence[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def _row(
    line: int, values: dict[Column, str], first_line: dict[str, int]
) -> tuple[RosterRow | None, list[RosterProblem]]:
    problems = [
        RosterProblem(line, ProblemKind.MISSING_VALUE, column)
        for column in REQUIRED_COLUMNS
        if column in REQUIRED_VALUES and not values.get(column)
    ]
    problems.extend(
        RosterProblem(line, ProblemKind.TOO_LONG, column, str(limit))
        for column, limit in MAX_LENGTHS.items()
        if len(values.get(column, "")) > limit
    )
    email = values[Column.EMAIL].strip().lower()
    if email and not EMAIL_PATTERN.match(email):
        problems.append(RosterProblem(line, ProblemKind.BAD_EMAIL, Column.EMAIL, shown(email)))
    elif email in first_line:
        problems.append(
            RosterProblem(line, ProblemKind.DUPLICATE, Column.EMAIL, str(first_line[email]))
        )
    elif email:
        first_line[email] = line
    sector_text = values[Column.SECTOR]
    sector = SECTOR_ALIASES.get(fold(sector_text))
    if sector_text and sector is None:
        problems.append(
            RosterProblem(line, ProblemKind.UNKNOWN_SECTOR, Column.SECTOR, shown(sector_text))
        )
    if problems or sector is None:
        return None, problems
    row = RosterRow(
        line=line,
        email=email,
        first_name=values[Column.FIRST_NAME],
        last_name=values[Column.LAST_NAME],
        sector=sector,
        fellowship_number=values.get(Column.FELLOWSHIP_NUMBER) or None,
        notes=values.get(Column.NOTES) or None,
    )
    return row, []


def sector_names() -> Iterable[str]:
    """The sector names a roster may use, for the import page's help."""
    return ("Santé", "Société et culture", "Nature et technologies", "FRQS", "FRQSC", "FRQNT")


def rows_to_json(rows: Iterable[RosterRow]) -> bytes:
    """``rows`` as compact JSON: what an import job keeps between the check and the import,
    so that a file is read (a workbook of 20,000 lines takes seconds) only once."""
    return json.dumps(
        [
            [
                r.line,
                r.email,
                r.first_name,
                r.last_name,
                r.sector.value,
                r.fellowship_number,
                r.notes,
            ]
            for r in rows
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")


def rows_from_json(data: bytes) -> Roster:
    """The roster of ``rows_to_json``'s lines, checked when they were written."""
    rows = tuple(
        RosterRow(line, email, first, last, FrqSector(sector), number, notes)
        for line, email, first, last, sector, number, notes in json.loads(data)
    )
    return Roster(rows, ())
