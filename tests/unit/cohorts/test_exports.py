"""CSV with a byte-order mark and XLSX with the same cells; formulas never slip in."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

from openpyxl import load_workbook

from lms.cohorts.exports import Table, neutralize, to_csv, to_xlsx

TABLE = Table(
    title="FRQ: fellows/2026 [A]",
    header=("Nom", "Courriel", "Progression (%)", "Terminé le"),
    rows=(
        ("Côté", "zoe@example.org", 100, date(2026, 9, 30)),
        ('=HYPERLINK("http://evil")', "+1@example.org", 0, None),
        ("-2+3", "@SUM(A1)", 50, datetime(2026, 10, 1, 3, tzinfo=UTC)),
    ),
)


def test_formula_starts_get_an_apostrophe() -> None:
    assert [neutralize(t) for t in ("=1", "+1", "-1", "@a", "\tx", "ok", "")] == [
        "'=1",
        "'+1",
        "'-1",
        "'@a",
        "'\tx",
        "ok",
        "",
    ]


def test_csv_has_a_byte_order_mark_and_neutralized_cells() -> None:
    data = to_csv(TABLE)

    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == list(TABLE.header)
    assert rows[1] == ["Côté", "zoe@example.org", "100", "2026-09-30"]
    assert rows[2] == ['\'=HYPERLINK("http://evil")', "'+1@example.org", "0", ""]
    assert rows[3] == ["'-2+3", "'@SUM(A1)", "50", "2026-10-01"]


def test_xlsx_holds_the_same_cells_with_real_dates_and_no_formula() -> None:
    workbook = load_workbook(io.BytesIO(to_xlsx(TABLE)))
    sheet = workbook.active
    assert sheet is not None

    values = [list(row) for row in sheet.iter_rows(values_only=True)]

    assert sheet.title == "FRQ  fellows 2026  A"
    assert values[0] == list(TABLE.header)
    assert values[1] == ["Côté", "zoe@example.org", 100, datetime(2026, 9, 30)]
    assert values[2] == ['\'=HYPERLINK("http://evil")', "'+1@example.org", 0, None]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet.freeze_panes == "A2"
