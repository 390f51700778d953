"""Hostile roster files are refused before they are read whole: size, an XLSX's uncompressed
parts, lines, columns, cell length; a bad value is quoted in 80 characters at most."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

from openpyxl import Workbook

from lms.cohorts import roster, spreadsheets
from lms.cohorts.roster import ProblemKind, RosterProblem, parse_roster

HEADER = ["Email", "First name", "Last name", "Sector", "Fellowship number"]
SHEET = "xl/worksheets/sheet1.xml"
NAMESPACE = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def workbook_with_sheet(sheet_xml: Iterable[bytes]) -> bytes:
    """A real workbook (openpyxl's parts) whose first sheet is ``sheet_xml``, compressed."""
    skeleton = io.BytesIO()
    Workbook().save(skeleton)
    output = io.BytesIO()
    with (
        zipfile.ZipFile(skeleton) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            if member.filename != SHEET:
                target.writestr(member, source.read(member))
        with target.open(SHEET, "w", force_zip64=True) as sheet:
            for chunk in sheet_xml:
                sheet.write(chunk)
    return output.getvalue()


def sheet(rows: Iterable[bytes], dimension: str | None = None) -> Iterable[bytes]:
    yield f'<?xml version="1.0"?><worksheet xmlns="{NAMESPACE}">'.encode()
    if dimension is not None:
        yield f'<dimension ref="{dimension}"/>'.encode()
    yield b"<sheetData>"
    yield from rows
    yield b"</sheetData></worksheet>"


def row(number: int, *cells: str, first_column: str = "A") -> bytes:
    parts = []
    for offset, text in enumerate(cells):
        column = chr(ord(first_column) + offset) if len(first_column) == 1 else first_column
        parts.append(f'<c r="{column}{number}" t="inlineStr"><is><t>{text}</t></is></c>')
    return f'<row r="{number}">{"".join(parts)}</row>'.encode()


def header_and(rows: Iterable[bytes]) -> Iterable[bytes]:
    yield row(1, *HEADER)
    yield from rows


def only_problem(data: bytes, filename: str = "roster.xlsx") -> RosterProblem:
    result = parse_roster(data, filename)
    assert not result.ok
    [problem] = result.problems
    return problem


def test_a_million_lines_small_on_disk_are_refused_by_the_stated_dimension() -> None:
    data = workbook_with_sheet(
        sheet(header_and(row(n, "x") for n in range(2, 12)), dimension="A1:E1000000")
    )

    assert len(data) < 20_000
    assert only_problem(data) == RosterProblem(0, ProblemKind.TOO_MANY_ROWS, None, "20000")


def test_lines_past_the_limit_are_refused_as_they_are_read_when_the_dimension_lies() -> None:
    lines = (
        row(n, f"p{n}@example.org", "A", "B", "FRQS", "1")
        for n in range(2, spreadsheets.MAX_SHEET_ROWS + 2)
    )
    data = workbook_with_sheet(sheet(header_and(lines), dimension="A1:E2"))

    assert only_problem(data) == RosterProblem(0, ProblemKind.TOO_MANY_ROWS, None, "20000")


def test_a_workbook_too_large_uncompressed_is_refused_before_it_is_opened() -> None:
    # A 40 MB cell (the had 200 MB) that compresses to a few kilobytes.
    big = (b"y" * 1_000_000 for _ in range(40))
    data = workbook_with_sheet(sheet([row(1, *HEADER), b'<row r="2"><c r="A2" t="inlineStr">'
                                      b"<is><t>", *big, b"</t></is></c></row>"]))  # fmt: skip

    assert len(data) < 200_000
    problem = only_problem(data)
    assert problem == RosterProblem(0, ProblemKind.FILE_TOO_LARGE, None, "32")


def test_a_long_cell_is_refused_with_its_line() -> None:
    long_cell = "z" * (spreadsheets.MAX_CELL_LENGTH + 1)
    data = workbook_with_sheet(sheet(header_and([row(2, "a@example.org", "A", long_cell)])))

    assert only_problem(data) == RosterProblem(2, ProblemKind.CELL_TOO_LONG, None, "10000")


def test_a_cell_far_to_the_right_behind_a_false_dimension_is_not_read() -> None:
    # Each line is read 101 cells wide at most, so a cell at the last column (16,384th)
    # costs nothing; the dimension check below refuses an honest file that wide.
    line = row(2, "a@example.org", "A", "B", "FRQS", "1") + row(3, "x", first_column="XFD")
    data = workbook_with_sheet(sheet(header_and([line]), dimension="A1:E3"))

    result = parse_roster(data, "roster.xlsx")

    assert result.ok
    assert [r.email for r in result.rows] == ["a@example.org"]


def test_a_stated_width_past_the_limit_is_refused_at_once() -> None:
    data = workbook_with_sheet(sheet(header_and([]), dimension="A1:XFD2"))

    assert only_problem(data) == RosterProblem(0, ProblemKind.TOO_MANY_COLUMNS, None, "100")


def test_a_file_over_the_size_limit_is_refused_unread() -> None:
    data = b"Email\n" + b"a" * roster.MAX_FILE_BYTES

    assert only_problem(data, "roster.csv") == RosterProblem(
        0, ProblemKind.FILE_TOO_LARGE, None, "5"
    )


def test_a_bad_value_is_quoted_in_eighty_characters_at_most() -> None:
    bad = "not-an-address-" + "x" * 5_000
    text = "Email,First name,Last name,Sector,Fellowship number\n"
    text += f"{bad},A,B,{'Médecine' * 500},1\n"

    result = parse_roster(text.encode(), "roster.csv")

    assert {p.kind for p in result.problems} >= {ProblemKind.BAD_EMAIL, ProblemKind.UNKNOWN_SECTOR}
    for problem in result.problems:
        assert problem.value is None or len(problem.value) <= roster.SHOWN_LENGTH
    email = next(p for p in result.problems if p.kind is ProblemKind.BAD_EMAIL)
    assert email.value is not None
    assert email.value.startswith("not-an-address-xxx")
    assert email.value.endswith("…")


def test_a_csv_of_blank_lines_is_refused_once_past_the_lines_read_at_most() -> None:
    data = b"Email,First name\n" + b",\n" * (spreadsheets.MAX_SHEET_ROWS + 1)

    assert only_problem(data, "roster.csv") == RosterProblem(
        0, ProblemKind.TOO_MANY_ROWS, None, "20000"
    )


def test_checked_lines_kept_as_json_come_back_the_same() -> None:
    text = "Email,First name,Last name,Sector,Fellowship number,Notes\n"
    text += "zoe@example.org,Zoé,Côté,FRQSC,,« note »\nada@example.org,Ada,L,FRQS,12,\n"
    checked = parse_roster(text.encode(), "roster.csv")

    assert roster.rows_from_json(roster.rows_to_json(checked.rows)) == checked
