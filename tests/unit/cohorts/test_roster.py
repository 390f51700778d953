"""Roster files in, rows or numbered problems out: encodings, headers, sectors, every bad line."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook

from lms.accounts.categories import FrqSector
from lms.accounts.forms import EMAIL_PATTERN
from lms.cohorts import roster
from lms.cohorts.roster import Column, ProblemKind, RosterProblem, parse_roster

ENGLISH = "Email,First name,Last name,FRQ sector,Fellowship number,Notes\r\n"
FRENCH = "Courriel;Prénom;Nom;Secteur;Numéro de bourse;Remarques\r\n"


def xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_utf8_file_with_a_byte_order_mark_and_english_headers() -> None:
    text = ENGLISH + "Ada@Example.org,Ada,Lovelace-Côté,Santé,FRQS-123,first cohort\r\n"

    result = parse_roster("\ufeff".encode() + text.encode(), "roster.csv")

    assert result.ok
    [row] = result.rows
    assert row.line == 2
    assert row.email == "ada@example.org"
    assert (row.first_name, row.last_name) == ("Ada", "Lovelace-Côté")
    assert row.sector is FrqSector.HEALTH
    assert row.fellowship_number == "FRQS-123"
    assert row.notes == "first cohort"


def test_a_windows_1252_file_with_french_headers_and_semicolons() -> None:
    text = FRENCH + "rene@example.org;René;Bélanger;Société et culture;42;\r\n"

    result = parse_roster(text.encode("cp1252"), "liste.csv")

    assert result.ok
    [row] = result.rows
    assert (row.first_name, row.last_name) == ("René", "Bélanger")
    assert row.sector is FrqSector.SOCIETY_CULTURE
    assert row.notes is None


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("E-mail", Column.EMAIL),
        ("ADRESSE COURRIEL", Column.EMAIL),
        ("prenom", Column.FIRST_NAME),
        ("Nom de famille", Column.LAST_NAME),
        ("secteur du FRQ", Column.SECTOR),
        ("N° de bourse", Column.FELLOWSHIP_NUMBER),
        ("Fellowship #", Column.FELLOWSHIP_NUMBER),
    ],
)
def test_headers_are_recognized_without_regard_to_accents_case_or_punctuation(
    header: str, column: Column
) -> None:
    assert roster.fold(header) in roster.HEADER_ALIASES[column]


@pytest.mark.parametrize(
    ("text", "sector"),
    [
        ("Santé", FrqSector.HEALTH),
        ("FRQS", FrqSector.HEALTH),
        ("frq-s", FrqSector.HEALTH),
        ("Société et culture", FrqSector.SOCIETY_CULTURE),
        ("FRQSC", FrqSector.SOCIETY_CULTURE),
        ("nature ET technologies", FrqSector.NATURE_TECHNOLOGIES),
        ("FRQNT", FrqSector.NATURE_TECHNOLOGIES),
        ("Health", FrqSector.HEALTH),
    ],
)
def test_sectors_by_their_names_and_the_former_funds(text: str, sector: FrqSector) -> None:
    assert roster.SECTOR_ALIASES[roster.fold(text)] is sector


def test_an_xlsx_workbook_with_a_numeric_fellowship_number() -> None:
    data = xlsx(
        [
            ["Courriel", "Prénom", "Nom", "Secteur", "Numéro de bourse"],
            ["luc@example.org", "Luc", "Tremblay", "FRQNT", 314159],
            [None, None, None, None, None],
            ["eve@example.org", "Ève", "Roy", "Santé", None],
        ]
    )

    result = parse_roster(data, "Liste.XLSX")

    assert result.ok, result.problems
    assert [(r.line, r.email, r.fellowship_number) for r in result.rows] == [
        (2, "luc@example.org", "314159"),
        (4, "eve@example.org", None),
    ]


def test_every_bad_row_is_reported_with_its_line_and_no_row_is_kept() -> None:
    text = (
        ENGLISH
        + "good@example.org,Good,Row,Santé,1,\r\n"
        + "not-an-email,Bad,Email,Santé,2,\r\n"
        + "GOOD@example.org,Twice,Listed,Santé,3,\r\n"
        + "other@example.org,Odd,Sector,Médecine,4,\r\n"
        + "\r\n"
        + "empty@example.org,,Name,FRQSC,5,\r\n"
    )

    result = parse_roster(text.encode(), "roster.csv")

    assert not result.ok
    assert result.problems == (
        RosterProblem(3, ProblemKind.BAD_EMAIL, Column.EMAIL, "not-an-email"),
        RosterProblem(4, ProblemKind.DUPLICATE, Column.EMAIL, "2"),
        RosterProblem(5, ProblemKind.UNKNOWN_SECTOR, Column.SECTOR, "Médecine"),
        RosterProblem(7, ProblemKind.MISSING_VALUE, Column.FIRST_NAME),
    )


def test_a_header_without_required_columns_names_each_missing_one() -> None:
    # "Name" alone could be either name: it is no column of ours.
    result = parse_roster(b"Email,Name\nada@example.org,Ada\n", "roster.csv")

    assert [(p.line, p.kind, p.column) for p in result.problems] == [
        (1, ProblemKind.MISSING_COLUMN, Column.FIRST_NAME),
        (1, ProblemKind.MISSING_COLUMN, Column.LAST_NAME),
        (1, ProblemKind.MISSING_COLUMN, Column.SECTOR),
        (1, ProblemKind.MISSING_COLUMN, Column.FELLOWSHIP_NUMBER),
    ]
    assert result.rows == ()


@pytest.mark.parametrize(
    ("data", "name", "kind"),
    [
        (b"", "empty.csv", ProblemKind.EMPTY),
        (ENGLISH.encode(), "header-only.csv", ProblemKind.EMPTY),
        (b"PK\x03\x04 not really a zip", "roster.xlsx", ProblemKind.UNREADABLE),
        (b"\x81\x8d\x8f\x90\x9d", "binary.csv", ProblemKind.UNREADABLE),
    ],
)
def test_files_that_cannot_be_a_roster_are_refused_whole(
    data: bytes, name: str, kind: ProblemKind
) -> None:
    result = parse_roster(data, name)

    assert result.problems == (RosterProblem(0, kind),)


def test_too_long_values_are_refused() -> None:
    text = ENGLISH + f"ada@example.org,{'A' * 101},Lovelace,Santé,1,\r\n"

    [problem] = parse_roster(text.encode(), "roster.csv").problems

    assert (problem.line, problem.kind, problem.column) == (
        2,
        ProblemKind.TOO_LONG,
        Column.FIRST_NAME,
    )


def test_the_email_rule_is_the_sign_up_forms() -> None:
    assert roster.EMAIL_PATTERN.pattern == EMAIL_PATTERN
