"""Roster files (CSV or XLSX, French or English headers) in, rows or numbered problems out: pure."""

from __future__ import annotations

import enum
import itertools
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from lms.accounts.categories import FrqSector
from lms.cohorts.spreadsheets import MAX_ROWS, Limit, Refused, Unreadable, read_lines

MAX_FILE_BYTES = 5 * 1024 * 1024
"""A 20,000-line roster is about 1.5 MB as CSV, less as XLSX."""
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


_PROBLEM_OF_LIMIT: dict[Limit, ProblemKind] = {
    Limit.UNCOMPRESSED_SIZE: ProblemKind.FILE_TOO_LARGE,
    Limit.ROWS: ProblemKind.TOO_MANY_ROWS,
    Limit.COLUMNS: ProblemKind.TOO_MANY_COLUMNS,
    Limit.CELL_LENGTH: ProblemKind.CELL_TOO_LONG,
}
"""What a file refused as it was read is reported as, by the limit it passed."""


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
        table = read_lines(data, filename)
    except Unreadable:
        return _failed(ProblemKind.UNREADABLE)
    except Refused as refused:
        kind = _PROBLEM_OF_LIMIT[refused.limit]
        return Roster((), (RosterProblem(refused.line, kind, None, refused.maximum),))
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


def _failed(kind: ProblemKind, value: str | None = None) -> Roster:
    return Roster((), (RosterProblem(0, kind, None, value),))


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
