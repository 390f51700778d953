"""Video platforms' attendance reports (Zoom's participants export, Microsoft Teams'
attendance report, and Teams' older attendance list of joins and leaves; French or English
headers) in, minutes per address or numbered problems out; pure.

A report may start with a summary (Zoom's meeting line, Teams' "1. Summary" or "Meeting
Summary"); the participants' table is found by its header, and ends at the first blank line
(Teams' next section). A person who joined twice is on two lines (Zoom): their minutes add
up; in a list of joins and leaves, the time between each join and its leave adds up.
"""

from __future__ import annotations

import csv
import enum
import io
import itertools
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from lms.live.attendance_log import ACTION_WORDS, Action, minutes_present, parse_timestamp
from lms.live.durations import parse_duration

MAX_FILE_BYTES = 4 * 1024 * 1024
"""A webinar of 10,000 attendees exports under 2 MB (twice that as Teams' UTF-16)."""
MAX_ROWS = 20_000
MAX_CELL_LENGTH = 1_000
SHOWN_LENGTH = 80
HEADER_SEARCH_LINES = 50
"""The participants' header comes after a summary of a dozen lines at most."""

EMAIL_PATTERN = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+"
    r"@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+\Z"
)
"""The sign-up form's rule (as ``lms.cohorts.roster``'s, which this layer may not import)."""


class Platform(enum.StrEnum):
    ZOOM = "zoom"
    TEAMS = "teams"


class Column(enum.StrEnum):
    NAME = "name"
    EMAIL = "email"
    UPN = "upn"
    """Teams' sign-in name, an address too: used when the email cell is empty."""
    DURATION = "duration"
    ACTION = "action"
    """Teams' older list: "Joined" or "Left" (« A rejoint », « A quitté »)."""
    TIMESTAMP = "timestamp"


def header_key(text: str) -> str:
    """``text`` without accents, case or anything but letters and digits: what aliases compare
    (the roster's rule, ``lms.cohorts.roster.fold``)."""
    text = "".join(
        itertools.filterfalse(unicodedata.combining, unicodedata.normalize("NFKD", text))
    )
    return "".join(filter(str.isalnum, text)).casefold()


def _keys(*names: str) -> frozenset[str]:
    return frozenset(header_key(name) for name in names)


ZOOM_DURATIONS = _keys("Duration (Minutes)", "Durée (minutes)", "Durée (min)")
TEAMS_DURATIONS = _keys(
    "In-Meeting Duration", "In-meeting duration", "Duration", "Attendance duration",
    "Durée dans la réunion", "Durée de participation", "Durée",
    "Temps passé dans la réunion",
)  # fmt: skip
ALIASES: dict[Column, frozenset[str]] = {
    Column.NAME: _keys(
        "Name (Original Name)", "Name (original name)", "Name", "Full Name", "Participant",
        "Nom (nom d'origine)", "Nom (nom original)", "Nom", "Nom complet", "Participant(e)",
    ),
    Column.EMAIL: _keys(
        "User Email", "Email", "E-mail", "Email address", "Courriel", "Adresse courriel",
        "E-mail de l'utilisateur", "Courriel de l'utilisateur", "Adresse e-mail",
        "Adresse de messagerie", "Adresse électronique",
    ),
    Column.UPN: _keys("Participant ID (UPN)", "ID du participant (UPN)", "UPN"),
    Column.DURATION: ZOOM_DURATIONS | TEAMS_DURATIONS,
    Column.ACTION: _keys(
        "User Action", "Action", "Action de l'utilisateur", "Action utilisateur", "Activité",
    ),
    Column.TIMESTAMP: _keys("Timestamp", "Horodatage", "Date et heure", "Heure"),
}  # fmt: skip
MEETING_ENDS = _keys(
    "Meeting End Time", "End Time", "Heure de fin de la réunion", "Heure de fin",
)  # fmt: skip
"""The summary's line that says when the meeting ended: who never left stayed until then."""


class ProblemKind(enum.StrEnum):
    UNREADABLE = "unreadable"
    FILE_TOO_LARGE = "file_too_large"
    NO_PARTICIPANTS_HEADER = "no_participants_header"
    """No line names a name, an address and a duration column."""
    EMPTY = "empty"
    TOO_MANY_ROWS = "too_many_rows"
    CELL_TOO_LONG = "cell_too_long"
    BAD_EMAIL = "bad_email"
    BAD_DURATION = "bad_duration"
    BAD_ACTION = "bad_action"
    """In a list of joins and leaves: neither a join nor a leave."""
    BAD_TIMESTAMP = "bad_timestamp"
    NO_ADDRESS_COLUMN = "no_address_column"
    """A list of joins and leaves by name only: nobody can be matched to an account."""


@dataclass(frozen=True, order=True)
class ReportProblem:
    """One reason the report cannot be imported; views word it in the reader's language."""

    line: int
    """The file's line it is on (counted from 1); 0 for the whole file."""
    kind: ProblemKind
    value: str | None = None


@dataclass(frozen=True)
class Attendee:
    """One address of the report, with every line it is on and their minutes added up."""

    email: str
    """Trimmed and lower-cased, as accounts store addresses."""
    name: str
    minutes: int
    lines: tuple[int, ...]


@dataclass(frozen=True)
class AttendanceReport:
    platform: Platform | None
    attendees: tuple[Attendee, ...]
    """By first line."""
    problems: tuple[ReportProblem, ...]
    """In line order; nothing may be imported from a report that has any."""
    without_address: tuple[int, ...] = ()
    """Lines of guests who gave no address (a phone caller, a guest of Zoom's): nobody to
    credit, and no reason to refuse the report."""

    @property
    def ok(self) -> bool:
        return not self.problems


def shown(value: str) -> str:
    return value if len(value) <= SHOWN_LENGTH else value[: SHOWN_LENGTH - 1] + "…"


def parse_report(data: bytes) -> AttendanceReport:
    """Read and check a whole report; every problem is reported, each with its line."""
    if len(data) > MAX_FILE_BYTES:
        return _failed(ProblemKind.FILE_TOO_LARGE, str(MAX_FILE_BYTES // (1024 * 1024)))
    text = _decode(data)
    if text is None:
        return _failed(ProblemKind.UNREADABLE)
    # Not str.splitlines, which also breaks at form feeds and separators a cell may hold.
    lines = re.split(r"\r\n|\r|\n", text)
    found = _find_header(lines)
    if found is None:
        if not any(line.strip() for line in lines):
            return _failed(ProblemKind.EMPTY)
        return _failed(ProblemKind.NO_PARTICIPANTS_HEADER)
    index, delimiter, positions, platform = found
    if Column.ACTION in positions:
        return _joins_and_leaves(lines, index, delimiter, positions)
    return _participants(lines, index, delimiter, positions, platform)


def _failed(kind: ProblemKind, value: str | None = None) -> AttendanceReport:
    return AttendanceReport(None, (), (ReportProblem(0, kind, value),))


def _decode(data: bytes) -> str | None:
    """Teams writes UTF-16 with a byte-order mark; Zoom UTF-8, with one or without; a file
    saved again by Excel may be Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for encoding in ("utf-8", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return None if "\x00" in text else text
    return None


def _cells(line: str, delimiter: str) -> list[str]:
    return [cell.strip() for cell in next(csv.reader([line], delimiter=delimiter), [])]


def _find_header(
    lines: Sequence[str],
) -> tuple[int, str, dict[Column, int], Platform] | None:
    """The participants' header line: its index, delimiter, columns and what made it."""
    for index, line in enumerate(lines[:HEADER_SEARCH_LINES]):
        for delimiter in ("\t", ",", ";"):
            if delimiter not in line:
                continue
            try:
                keys = [header_key(cell) for cell in _cells(line, delimiter)]
            except csv.Error:
                continue
            positions: dict[Column, int] = {}
            for position, key in enumerate(keys):
                column = next((c for c, names in ALIASES.items() if key in names), None)
                if column is not None:
                    positions.setdefault(column, position)
            # Zoom's meeting line has an address and a duration too (the host's), no name.
            has_address = Column.EMAIL in positions or Column.UPN in positions
            if has_address and Column.DURATION in positions and Column.NAME in positions:
                zoom = keys[positions[Column.DURATION]] in ZOOM_DURATIONS
                return index, delimiter, positions, Platform.ZOOM if zoom else Platform.TEAMS
            if {Column.NAME, Column.ACTION, Column.TIMESTAMP} <= positions.keys():
                positions.pop(Column.DURATION, None)
                return index, delimiter, positions, Platform.TEAMS
    return None


def _rows(lines: Sequence[str], start: int, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """The table's rows after its header, with their line numbers, to its first blank line."""
    body = io.StringIO("\n".join(lines[start + 1 :]), newline="")
    reader = csv.reader(body, delimiter=delimiter)
    line = start + 2
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            return
        yield line, [cell.strip() for cell in cells]
        line = start + 2 + reader.line_num


class _TooManyRows(Exception):
    """More rows than ``MAX_ROWS``: the whole report is refused."""


def _checked_rows(
    lines: Sequence[str],
    index: int,
    delimiter: str,
    positions: dict[Column, int],
    problems: list[ReportProblem],
) -> Iterator[tuple[int, list[str], str]]:
    """The table's rows with their line and address (lower-cased; empty for a guest who gave
    none); a row with a cell too long is put in ``problems`` and left out."""
    for count, (line, cells) in enumerate(_rows(lines, index, delimiter), start=1):
        if count > MAX_ROWS:
            raise _TooManyRows
        if any(len(cell) > MAX_CELL_LENGTH for cell in cells):
            problems.append(ReportProblem(line, ProblemKind.CELL_TOO_LONG, str(MAX_CELL_LENGTH)))
            continue
        address = _cell(cells, positions, Column.EMAIL) or _cell(cells, positions, Column.UPN)
        yield line, cells, address.lower()


def _participants(
    lines: Sequence[str],
    index: int,
    delimiter: str,
    positions: dict[Column, int],
    platform: Platform,
) -> AttendanceReport:
    problems: list[ReportProblem] = []
    minutes: dict[str, int] = {}
    names: dict[str, str] = {}
    seen_on: dict[str, list[int]] = {}
    without_address: list[int] = []
    try:
        for line, cells, email in _checked_rows(lines, index, delimiter, positions, problems):
            duration = parse_duration(_cell(cells, positions, Column.DURATION))
            if not email:
                without_address.append(line)
                continue
            if not EMAIL_PATTERN.match(email):
                problems.append(ReportProblem(line, ProblemKind.BAD_EMAIL, shown(email)))
                continue
            if duration is None:
                value = shown(_cell(cells, positions, Column.DURATION))
                problems.append(ReportProblem(line, ProblemKind.BAD_DURATION, value))
                continue
            minutes[email] = minutes.get(email, 0) + duration
            names.setdefault(email, _cell(cells, positions, Column.NAME))
            seen_on.setdefault(email, []).append(line)
    except _TooManyRows:
        return _failed(ProblemKind.TOO_MANY_ROWS, str(MAX_ROWS))
    except csv.Error:
        return _failed(ProblemKind.UNREADABLE)
    if not minutes and not problems and not without_address:
        return _failed(ProblemKind.EMPTY)
    attendees = tuple(
        Attendee(email, names[email], minutes[email], tuple(seen_on[email])) for email in minutes
    )
    return AttendanceReport(platform, attendees, tuple(sorted(problems)), tuple(without_address))


def _meeting_end(lines: Sequence[str], header: int, delimiter: str) -> datetime | None:
    """When the summary above the list says the meeting ended, if it says."""
    for line in lines[:header]:
        try:
            cells = _cells(line, delimiter)
        except csv.Error:
            continue
        if len(cells) >= 2 and header_key(cells[0]) in MEETING_ENDS:
            return parse_timestamp(cells[1])
    return None


def _joins_and_leaves(
    lines: Sequence[str], index: int, delimiter: str, positions: dict[Column, int]
) -> AttendanceReport:
    """Teams' older list: a line per join or leave; each address's minutes between them."""
    if Column.EMAIL not in positions and Column.UPN not in positions:
        return AttendanceReport(
            None, (), (ReportProblem(index + 1, ProblemKind.NO_ADDRESS_COLUMN),)
        )
    problems: list[ReportProblem] = []
    events: dict[str, list[tuple[Action, datetime]]] = {}
    names: dict[str, str] = {}
    seen_on: dict[str, list[int]] = {}
    without_address: list[int] = []
    last: datetime | None = None
    try:
        for line, cells, email in _checked_rows(lines, index, delimiter, positions, problems):
            action_text = _cell(cells, positions, Column.ACTION)
            action = ACTION_WORDS.get(header_key(action_text))
            stamp_text = _cell(cells, positions, Column.TIMESTAMP)
            moment = parse_timestamp(stamp_text)
            if email and not EMAIL_PATTERN.match(email):
                problems.append(ReportProblem(line, ProblemKind.BAD_EMAIL, shown(email)))
            elif action is None:
                problems.append(ReportProblem(line, ProblemKind.BAD_ACTION, shown(action_text)))
            elif moment is None:
                problems.append(ReportProblem(line, ProblemKind.BAD_TIMESTAMP, shown(stamp_text)))
            elif not email:
                without_address.append(line)
            else:
                last = max(last, moment) if last is not None else moment
                events.setdefault(email, []).append((action, moment))
                names.setdefault(email, _cell(cells, positions, Column.NAME))
                seen_on.setdefault(email, []).append(line)
    except _TooManyRows:
        return _failed(ProblemKind.TOO_MANY_ROWS, str(MAX_ROWS))
    except csv.Error:
        return _failed(ProblemKind.UNREADABLE)
    if not events and not problems and not without_address:
        return _failed(ProblemKind.EMPTY)
    ended = _meeting_end(lines, index, delimiter) or last
    attendees = tuple(
        Attendee(email, names[email], minutes_present(events[email], ended=ended), tuple(on))
        for email, on in seen_on.items()
    )
    return AttendanceReport(
        Platform.TEAMS, attendees, tuple(sorted(problems)), tuple(without_address)
    )


def _cell(cells: Sequence[str], positions: dict[Column, int], column: Column) -> str:
    position = positions.get(column)
    return cells[position] if position is not None and position < len(cells) else ""
