"""The dashboard as CSV (with a byte-order mark, in the reader's convention) and XLSX: same
columns, same filters, audited; and the same from `lms report cohort`."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import update

from lms.accounts.categories import Role
from lms.cli import cli
from lms.db import get_session
from lms.learning.models import Enrolment
from tests.web.conftest import MakeApp
from tests.web.learning_helpers import record, sign_in
from tests.web.staff_helpers import (
    BASICS,
    PRACTICE,
    add_cohort,
    add_member,
    add_user,
    audit_events,
    staff_app,
)


@pytest.fixture
def app(make_app: MakeApp) -> Flask:
    return staff_app(make_app)


@pytest.fixture
def cohort(app: Flask) -> int:
    cohort_id = add_cohort(app, "FRQ: 2026 / fellows", due_date=date(2030, 1, 1))
    zoe = add_user(app, "zoe@example.org", password=None)
    add_member(app, cohort_id, "zoe@example.org", "Zoé", "Côté", user_id=zoe)
    # A name that a spreadsheet would run as a formula.
    add_member(
        app, cohort_id, "eve@example.org", '=HYPERLINK("x")', "-Évil", sector="society_culture"
    )
    record(app, zoe, BASICS, "welcome", "partners", "check.quiz")
    record(app, zoe, PRACTICE, "apply")
    return cohort_id


@pytest.fixture
def staff_client(app: Flask, client: FlaskClient) -> FlaskClient:
    add_user(app, "sam@example.org", role=Role.STAFF)
    sign_in(client, "sam@example.org")
    return client


def csv_rows(data: bytes, delimiter: str = ",") -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))


def xlsx_rows(data: bytes) -> list[list[object]]:
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet is not None
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_csv_and_xlsx_have_the_same_columns_and_rows(
    app: Flask, staff_client: FlaskClient, cohort: int
) -> None:
    csv_response = staff_client.get(f"/staff/cohorts/{cohort}/export.csv")
    xlsx_response = staff_client.get(f"/staff/cohorts/{cohort}/export.xlsx")

    assert csv_response.status_code == xlsx_response.status_code == 200
    assert csv_response.mimetype == "text/csv"
    assert "attachment" in csv_response.headers["Content-Disposition"]
    assert "frq-2026-fellows-" in csv_response.headers["Content-Disposition"]
    assert csv_response.headers["Cache-Control"] == "no-store"
    from_csv = csv_rows(csv_response.data)
    from_xlsx = xlsx_rows(xlsx_response.data)
    header = from_csv[0]
    assert header == from_xlsx[0]
    assert header[:6] == [
        "Last name",
        "First name",
        "Email",
        "FRQ sector",
        "Fellowship number",
        "Status",
    ]
    # Courses by their short label where they have one, as the dashboard's matrix.
    assert "Basics: status" in header
    assert "Partnership in practice: completed on" in header
    assert len(from_csv) == len(from_xlsx) == 3
    # Sorted by name, as the dashboard: Côté, then the -Évil one.
    zoe_csv, evil_csv = from_csv[1], from_csv[2]
    zoe_xlsx = from_xlsx[1]
    assert zoe_csv[:3] == ["Côté", "Zoé", "zoe@example.org"]
    assert [str(v) for v in zoe_xlsx[:3]] == zoe_csv[:3]
    assert zoe_csv[header.index("Status")] == "Completed"
    assert zoe_xlsx[header.index("Status")] == "Completed"
    assert zoe_csv[header.index("Progress (%)")] == "100"
    assert zoe_xlsx[header.index("Progress (%)")] == 100
    completed_on = zoe_csv[header.index("Completed on")]
    assert len(completed_on) == 10  # an ISO date
    assert zoe_xlsx[header.index("Completed on")].date().isoformat() == completed_on
    # Formulas neutralized in both.
    assert evil_csv[:2] == ["'-Évil", '\'=HYPERLINK("x")']
    assert from_xlsx[2][:2] == ["'-Évil", '\'=HYPERLINK("x")']


def test_exports_keep_the_dashboards_filters_and_are_audited(
    app: Flask, staff_client: FlaskClient, cohort: int
) -> None:
    response = staff_client.get(f"/staff/cohorts/{cohort}/export.csv?status=not_started&q=evil")

    rows = csv_rows(response.data)
    assert [row[2] for row in rows[1:]] == ["eve@example.org"]
    [event] = audit_events(app)
    assert (event.action, event.target) == ("report.export", f"cohort:{cohort}")
    assert event.details == {
        "format": "csv",
        "filters": {"status": "not_started", "q": "evil"},
        "rows": 1,
    }


def test_the_dashboard_links_to_its_exports_with_its_filters(
    staff_client: FlaskClient, cohort: int
) -> None:
    page = staff_client.get(f"/staff/cohorts/{cohort}?sector=health").get_data(as_text=True)

    assert f'href="/staff/cohorts/{cohort}/export.csv?sector=health"' in page
    assert f'href="/staff/cohorts/{cohort}/export.xlsx?sector=health"' in page


def test_an_unknown_export_format_is_404(staff_client: FlaskClient, cohort: int) -> None:
    assert staff_client.get(f"/staff/cohorts/{cohort}/export.pdf").status_code == 404


@pytest.fixture
def french_client(app: Flask) -> FlaskClient:
    add_user(app, "lea@example.org", role=Role.STAFF, language="fr")
    client = app.test_client()
    sign_in(client, "lea@example.org")
    return client


def test_a_french_export_opens_in_french_excel(
    app: Flask, french_client: FlaskClient, cohort: int
) -> None:
    # Formulas that a reader splitting on the wrong separator would find inside a value.
    add_member(app, cohort, "amy@example.org", "a,+1", 'Roy;=HYPERLINK("y")')

    data = french_client.get(f"/staff/cohorts/{cohort}/export.csv").data

    rows = csv_rows(data, ";")
    header = rows[0]
    assert header[:3] == ["Nom", "Prénom", "Courriel"]
    assert "Les bases\u00a0: statut" in header
    assert all(len(row) == len(header) for row in rows)
    by_email = {row[2]: row for row in rows[1:]}
    assert set(by_email) == {"zoe@example.org", "eve@example.org", "amy@example.org"}
    assert by_email["zoe@example.org"][:2] == ["Côté", "Zoé"]
    assert by_email["eve@example.org"][:2] == ["'-Évil", '\'=HYPERLINK("x")']
    assert by_email["amy@example.org"][:2] == ['Roy;\'=HYPERLINK("y")', "a,'+1"]
    # Numbers bare, for the spreadsheet to read as numbers; no decimal point anywhere.
    zoe = by_email["zoe@example.org"]
    assert zoe[header.index("Progression (%)")] == "100"
    assert "." not in "".join(zoe[header.index("Progression (%)") :])
    # Read with English Excel's separator, the file is not its columns.
    assert csv_rows(data)[0] != header


def test_the_other_convention_is_a_link_beside_the_download(
    staff_client: FlaskClient, french_client: FlaskClient, cohort: int
) -> None:
    english = staff_client.get(f"/staff/cohorts/{cohort}?sector=health").get_data(as_text=True)
    french = french_client.get(f"/staff/cohorts/{cohort}").get_data(as_text=True)

    assert (
        f'<a href="/staff/cohorts/{cohort}/export.csv?dialect=fr&amp;sector=health">'
        "CSV for Excel in French (semicolons)</a>"
    ) in english
    assert (
        f'<a href="/staff/cohorts/{cohort}/export.csv?dialect=en">'
        "CSV pour Excel en anglais (virgules)</a>"
    ) in french
    from_english = staff_client.get(f"/staff/cohorts/{cohort}/export.csv?dialect=fr").data
    from_french = french_client.get(f"/staff/cohorts/{cohort}/export.csv?dialect=en").data
    assert csv_rows(from_english, ";")[0][:2] == ["Last name", "First name"]
    assert csv_rows(from_french, ",")[0][:2] == ["Nom", "Prénom"]
    assert [row[2] for row in csv_rows(from_french)[1:]] == ["zoe@example.org", "eve@example.org"]


@pytest.mark.parametrize("dialect", ["de", "FR", ";"])
def test_an_unknown_csv_convention_is_a_400_with_a_message(
    app: Flask, staff_client: FlaskClient, cohort: int, dialect: str
) -> None:
    response = staff_client.get(f"/staff/cohorts/{cohort}/export.csv?dialect={dialect}")

    assert response.status_code == 400
    assert "unknown CSV convention" in response.get_data(as_text=True)
    assert audit_events(app) == []


def test_the_report_command_writes_the_same_table(
    app: Flask, staff_client: FlaskClient, cohort: int, tmp_path: Path
) -> None:
    csv_file, xlsx_file = tmp_path / "report.csv", tmp_path / "report.xlsx"
    runner = app.test_cli_runner()
    name = "FRQ: 2026 / fellows"

    for kind, path in (("csv", csv_file), ("xlsx", xlsx_file)):
        result = runner.invoke(
            cli, ["report", "cohort", name, "--format", kind, "-o", str(path), "--language", "en"]
        )
        assert result.exit_code == 0, result.output
        assert "Wrote 2 member(s)" in result.output

    downloaded = csv_rows(staff_client.get(f"/staff/cohorts/{cohort}/export.csv").data)
    assert csv_rows(csv_file.read_bytes()) == downloaded
    assert xlsx_rows(xlsx_file.read_bytes())[0] == downloaded[0]
    filtered = tmp_path / "overdue.csv"
    runner.invoke(
        cli, ["report", "cohort", str(cohort), "--status", "completed", "-o", str(filtered)]
    )
    # In LMS_DEFAULT_LANGUAGE, French: headers and convention.
    assert len(csv_rows(filtered.read_bytes(), ";")) == 2
    assert csv_rows(filtered.read_bytes(), ";")[0][0] == "Nom"
    exports = [e for e in audit_events(app) if e.details.get("via") == "cli"]
    assert [e.details["format"] for e in exports] == ["csv", "xlsx", "csv"]
    assert (
        runner.invoke(
            cli, ["report", "cohort", name, "--status", "bad", "-o", str(filtered)]
        ).exit_code
        == 1
    )


def test_the_report_command_takes_the_csv_convention_or_that_of_its_language(
    app: Flask, cohort: int, tmp_path: Path
) -> None:
    runner, written = app.test_cli_runner(), tmp_path / "report.csv"

    def report(*options: str) -> bytes:
        result = runner.invoke(cli, ["report", "cohort", str(cohort), "-o", str(written), *options])
        assert result.exit_code == 0, result.output
        return written.read_bytes()

    assert csv_rows(report("--language", "en"))[0][0] == "Last name"
    assert csv_rows(report("--language", "en", "--csv-dialect", "fr"), ";")[0][0] == "Last name"
    assert csv_rows(report("--language", "fr"), ";")[0][0] == "Nom"
    assert csv_rows(report("--csv-dialect", "en"))[0][0] == "Nom"
    refused = runner.invoke(
        cli, ["report", "cohort", str(cohort), "-o", str(written), "--csv-dialect", "de"]
    )
    assert refused.exit_code == 2
    assert "'de' is not one of 'fr', 'en'" in refused.output


@pytest.mark.parametrize(
    ("zone", "day"), [("America/Toronto", "2026-08-31"), ("Europe/Paris", "2026-09-01")]
)
def test_days_are_counted_in_the_site_time_zone(make_app: MakeApp, zone: str, day: str) -> None:
    """A course completed at 02:30 UTC on 1 September: still 31 August in Montreal."""
    app = staff_app(make_app, time_zone=zone)
    cohort_id = add_cohort(app, "Night owls", due_date=date(2030, 1, 1))
    zoe = add_user(app, "zoe@example.org")
    add_member(app, cohort_id, "zoe@example.org", "Zoé", "Côté", user_id=zoe)
    record(app, zoe, BASICS, "welcome", "partners", "check.quiz")
    record(app, zoe, PRACTICE, "apply")
    with app.app_context():
        session = get_session()
        moment = datetime(2026, 9, 1, 2, 30, tzinfo=UTC)
        session.execute(update(Enrolment).values(completed_at=moment))
        session.commit()
    add_user(app, "sam@example.org", role=Role.STAFF)
    client = app.test_client()
    sign_in(client, "sam@example.org")

    rows = csv_rows(client.get(f"/staff/cohorts/{cohort_id}/export.csv").data)

    completed_on = rows[0].index("Completed on")
    assert rows[1][completed_on] == day
