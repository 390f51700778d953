"""CSV in the reader's convention (with a byte-order mark) and XLSX with the same cells, sized
columns and filters; formulas never slip in, even where a reader splits a cell."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from lms.cohorts.exports import (
    COLUMN_WIDTH,
    CSV_SEPARATORS,
    FORMULA_STARTS,
    CsvDialect,
    Table,
    neutralize,
    to_csv,
    to_xlsx,
)

TABLE = Table(
    title="FRQ: fellows/2026 [A]",
    header=("Nom", "Courriel", "Progression (%)", "Terminé le", "Écart"),
    rows=(
        ("Côté", "zoe@example.org", 100, date(2026, 9, 30), -2.5),
        ('=HYPERLINK("http://evil")', "+1@example.org", 0, None, -3),
        ("-2+3", "@SUM(A1)", 50, datetime(2026, 10, 1, 3, tzinfo=UTC), 0.00001),
        ('x;=HYPERLINK("http://evil")', "a,+1", 12, None, None),
    ),
)


def test_formula_starts_get_an_apostrophe_but_negative_numbers_stay_numbers() -> None:
    texts = ("=1", "+1", "-a", "@a", "\tx", "\rx", " =1", "ok", "", "-1", "-2.5", "-2,5")

    assert [neutralize(t) for t in texts] == [
        "'=1",
        "'+1",
        "'-a",
        "'@a",
        "'\tx",
        "'\rx",
        "' =1",
        "ok",
        "",
        "-1",
        "-2.5",
        "-2,5",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('x;=HYPERLINK("http://evil")', 'x;\'=HYPERLINK("http://evil")'),
        ("a,+1", "a,'+1"),
        ("Smith, @me; -x", "Smith,' @me;' -x"),
        ("1;-2,-3.5", "1;-2,-3.5"),
        ("Tremblay, Léa; notes", "Tremblay, Léa; notes"),
    ],
)
def test_formulas_after_a_separator_inside_a_value_are_neutralized(
    text: str, expected: str
) -> None:
    assert neutralize(text, separators=CSV_SEPARATORS) == expected


def _read(data: bytes, delimiter: str) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


def _no_piece_starts_a_formula(rows: list[list[str]]) -> None:
    """Whichever convention a reader splits with, no piece of any cell is a formula."""
    for row in rows:
        for cell in row:
            for separator in CSV_SEPARATORS:
                for piece in cell.split(separator):
                    stripped = piece.lstrip(" ")
                    number = re.fullmatch(r"-\d+(?:[.,]\d+)?", stripped)
                    assert number or not stripped.startswith(FORMULA_STARTS), cell


def test_french_csv_splits_on_semicolons_with_decimal_commas() -> None:
    data = to_csv(TABLE, CsvDialect.FR)

    rows = _read(data, ";")
    assert rows[0] == list(TABLE.header)
    assert rows[1] == ["Côté", "zoe@example.org", "100", "2026-09-30", "-2,5"]
    assert rows[2] == ['\'=HYPERLINK("http://evil")', "'+1@example.org", "0", "", "-3"]
    assert rows[3] == ["'-2+3", "'@SUM(A1)", "50", "2026-10-01", "0,00001"]
    assert rows[4] == ['x;\'=HYPERLINK("http://evil")', "a,'+1", "12", "", ""]
    _no_piece_starts_a_formula(rows)
    # Read with the other convention, a line is not its cells.
    assert len(_read(data, ",")[1]) != len(TABLE.header)


def test_english_csv_splits_on_commas_with_decimal_points() -> None:
    rows = _read(to_csv(TABLE, CsvDialect.EN), ",")

    assert rows[0] == list(TABLE.header)
    assert rows[1] == ["Côté", "zoe@example.org", "100", "2026-09-30", "-2.5"]
    assert rows[3][-1] == "0.00001"
    assert rows[4][:2] == ['x;\'=HYPERLINK("http://evil")', "a,'+1"]
    _no_piece_starts_a_formula(rows)


def test_the_dialect_follows_the_language() -> None:
    assert CsvDialect.for_language("fr") is CsvDialect.FR
    assert CsvDialect.for_language("en") is CsvDialect.EN
    assert (CsvDialect.FR.delimiter, CsvDialect.FR.decimal_mark) == (";", ",")
    assert (CsvDialect.EN.delimiter, CsvDialect.EN.decimal_mark) == (",", ".")


def test_xlsx_holds_the_same_cells_with_real_dates_and_no_formula() -> None:
    workbook = load_workbook(io.BytesIO(to_xlsx(TABLE)))
    sheet = workbook.active
    assert sheet is not None

    values = [list(row) for row in sheet.iter_rows(values_only=True)]

    assert sheet.title == "FRQ  fellows 2026  A"
    assert values[0] == list(TABLE.header)
    assert values[1] == ["Côté", "zoe@example.org", 100, datetime(2026, 9, 30), -2.5]
    assert values[2] == ['\'=HYPERLINK("http://evil")', "'+1@example.org", 0, None, -3]
    # A cell is never split in a workbook: text after a separator stays as written.
    assert values[4][:2] == ['x;=HYPERLINK("http://evil")', "a,+1"]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet["D2"].is_date
    assert sheet["C2"].data_type == "n"


def test_xlsx_has_a_frozen_filtered_header_and_columns_sized_to_their_contents() -> None:
    wide = Table("Wide", ("A", "Notes"), (("x", "n" * 200), ("y", "short")))
    sheet = load_workbook(io.BytesIO(to_xlsx(TABLE))).active
    wide_sheet = load_workbook(io.BytesIO(to_xlsx(wide))).active
    assert sheet is not None
    assert wide_sheet is not None

    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:E{len(TABLE.rows) + 1}"
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDE"}
    # The longest text of each column fits: the formula guarded, the address, the header.
    assert widths["A"] >= len('\'x;=HYPERLINK("http://evil")')
    assert widths["B"] >= len("zoe@example.org")
    assert widths["C"] >= len("Progression (%)")
    assert widths["D"] >= len("2026-09-30")
    assert wide_sheet.column_dimensions["A"].width == COLUMN_WIDTH[0]
    assert wide_sheet.column_dimensions["B"].width == COLUMN_WIDTH[1]
    assert wide_sheet.auto_filter.ref == "A1:B3"
