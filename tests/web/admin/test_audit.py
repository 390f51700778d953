"""The audit trail: admins read and filter it; the application never changes or deletes it."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select

from lms.accounts.categories import Role
from lms.accounts.models import User
from lms.audit import services as audit
from lms.audit.actions import AuditAction
from lms.audit.models import AuditEvent, AuditRecordImmutable
from lms.db import get_session
from tests.web.account_helpers import post_form
from tests.web.conftest import MakeApp
from tests.web.learning_helpers import sign_in
from tests.web.staff_helpers import add_cohort, add_user, audit_events, staff_app


@pytest.fixture
def app(make_app: MakeApp) -> Flask:
    return staff_app(make_app)


@pytest.fixture
def admin_client(app: Flask, client: FlaskClient) -> FlaskClient:
    add_user(app, "root@example.org", role=Role.ADMIN)
    sign_in(client, "root@example.org")
    return client


@pytest.fixture
def trail(app: Flask, admin_client: FlaskClient) -> None:
    """Actions by the admin on the web and one by the command line, on another day."""
    lea = add_user(app, "lea@example.org", password=None)
    role = f"/admin/users/{lea}/role"
    post_form(admin_client, role, {}, f"{role}?role=staff")
    cohort = add_cohort(app, "FRQ 2026")
    post_form(admin_client, "/staff/cohorts/new", {"name": "Second", "certificate_id": "program"})
    admin_client.get(f"/staff/cohorts/{cohort}/export.csv")
    with app.app_context():
        session = get_session()
        event = audit.record(
            session, None, AuditAction.REMINDER_SEND, f"cohort:{cohort}", recipients=2
        )
        event.created_at = datetime(2026, 1, 15, 12, tzinfo=UTC)
        session.commit()


def listed(page: str) -> list[str]:
    """The actions of the audit table, in order."""
    return re.findall(r"</th>\s*<td>[^<]*</td>\s*<td>([^<]+)</td>", page)


def test_the_trail_names_people_and_cohorts_and_says_filters_in_words(
    app: Flask, admin_client: FlaskClient, trail: None
) -> None:
    page = admin_client.get("/admin/audit").get_data(as_text=True)

    assert "user:" not in page
    assert "cohort:" not in page
    assert ">Cohort FRQ 2026</a>" in page
    assert ">Cohort Second</a>" in page
    assert "lea@example.org</a>" in page  # the account whose role changed, linked
    assert "Previous role: Learner" in page
    assert "New role: Staff" in page
    assert "Filters: none: every member" in page
    assert "filters: {}" not in page

    with app.app_context():
        session = get_session()
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "role.change")).one()
        # The account goes: the trail keeps the event and says the account is gone.
        user = session.get(User, int(event.target.split(":")[1]))
        assert user is not None
        user.deleted_at = datetime.now(UTC)
        session.commit()
    page = admin_client.get("/admin/audit").get_data(as_text=True)
    assert "<td>a deleted account</td>" in page


def test_the_trail_filters_by_the_person_acted_on(admin_client: FlaskClient, trail: None) -> None:
    page = admin_client.get("/admin/audit?person=LEA@").get_data(as_text=True)
    assert listed(page) == ["Role changed"]
    assert listed(admin_client.get("/admin/audit?person=nobody").get_data(as_text=True)) == []


def test_admins_read_the_whole_trail_latest_first(admin_client: FlaskClient, trail: None) -> None:
    page = admin_client.get("/admin/audit").get_data(as_text=True)

    assert listed(page) == ["Report exported", "Cohort created", "Role changed", "Reminders sent"]
    assert "4 records." in page
    assert "root@example.org" in page
    assert "The command line" in page
    assert "Recipients: 2" in page
    assert '<caption id="audit-caption">' in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?action=role.change", ["Role changed"]),
        ("?actor=ROOT@", ["Report exported", "Cohort created", "Role changed"]),
        ("?actor=nobody", []),
        ("?end=2026-01-31", ["Reminders sent"]),
        ("?start=2026-01-16", ["Report exported", "Cohort created", "Role changed"]),
        ("?start=2026-01-15&end=2026-01-15", ["Reminders sent"]),
        ("?action=report.export&actor=root", ["Report exported"]),
    ],
)
def test_the_trail_filters_by_actor_action_and_date(
    admin_client: FlaskClient, trail: None, query: str, expected: list[str]
) -> None:
    page = admin_client.get(f"/admin/audit{query}").get_data(as_text=True)

    assert listed(page) == expected


def test_a_bad_filter_is_refused_with_a_message(admin_client: FlaskClient) -> None:
    response = admin_client.get("/admin/audit?start=15/01/2026")

    assert response.status_code == 400
    assert "Enter a date such as 2026-09-30." in response.get_data(as_text=True)


def test_audit_records_cannot_be_changed_or_deleted(app: Flask) -> None:
    with app.app_context():
        session = get_session()
        audit.record(session, None, AuditAction.COHORT_CREATE, "cohort:1")
        session.commit()
        event = session.scalars(select(AuditEvent)).one()

        event.target = "cohort:2"
        with pytest.raises(AuditRecordImmutable):
            session.commit()
        session.rollback()

        session.delete(event)
        with pytest.raises(AuditRecordImmutable):
            session.commit()
        session.rollback()
    [kept] = audit_events(app)
    assert kept.target == "cohort:1"


def test_the_trail_paginates(app: Flask, admin_client: FlaskClient) -> None:
    with app.app_context():
        session = get_session()
        for n in range(55):
            audit.record(session, None, AuditAction.ROSTER_IMPORT, f"cohort:{n}")
        session.commit()

    first = admin_client.get("/admin/audit").get_data(as_text=True)
    second = admin_client.get("/admin/audit?page=2").get_data(as_text=True)

    assert len(listed(first)) == 50
    assert len(listed(second)) == 5
    assert 'aria-label="Pagination"' in first


def test_the_trail_exports_as_the_page_words_it_in_the_readers_csv_convention(
    app: Flask, admin_client: FlaskClient, trail: None
) -> None:
    chloe = add_user(app, "chloe@example.org", name="Chloé Côté-Bélanger")
    role = f"/admin/users/{chloe}/role"
    post_form(admin_client, role, {}, f"{role}?role=staff")
    post_form(admin_client, "/accounts/language", {"language": "fr"}, "/admin/audit")
    page = admin_client.get("/admin/audit?action=role.change").get_data(as_text=True)
    assert 'href="/admin/audit/export.csv?action=role.change"' in page

    response = admin_client.get("/admin/audit/export.csv?action=role.change")

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.headers["Cache-Control"] == "no-store"
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Quand", "Qui", "Action", "Sur quoi", "Détails"]
    assert len(rows) == 3  # the header and the two role changes, newest first
    assert rows[1][1] == "root@example.org"
    assert rows[1][3] == "Chloé Côté-Bélanger (chloe@example.org)"
    assert "Nouveau rôle : Personnel" in rows[1][4] or "Nouveau rôle: Personnel" in rows[1][4]
    assert rows[2][3].endswith("lea@example.org")
    [export] = [e for e in audit_events(app) if e.target == "audit"]
    assert export.details == {"format": "csv", "filters": {"action": "role.change"}, "rows": 2}


def test_the_trail_exports_as_xlsx_and_in_the_other_convention(
    app: Flask, admin_client: FlaskClient, trail: None
) -> None:
    recorded = len(audit_events(app))
    workbook = admin_client.get("/admin/audit/export.xlsx")
    english = admin_client.get("/admin/audit/export.csv?dialect=en&person=lea")

    sheet = load_workbook(io.BytesIO(workbook.get_data())).active
    assert sheet is not None
    assert [c.value for c in sheet[1]] == ["When", "Who", "Action", "On what", "Details"]
    assert sheet.max_row == 1 + recorded  # every record of the trail, on one sheet
    rows = list(csv.reader(io.StringIO(english.get_data(as_text=True).lstrip("\ufeff"))))
    assert [row[2] for row in rows[1:]] == ["Role changed"]


def test_a_bad_filter_or_convention_sends_back_to_the_page_with_a_message(
    admin_client: FlaskClient, trail: None
) -> None:
    bad_date = admin_client.get("/admin/audit/export.csv?start=yesterday", follow_redirects=True)
    bad_dialect = admin_client.get("/admin/audit/export.csv?dialect=xx", follow_redirects=True)

    for response in (bad_date, bad_dialect):
        assert response.request.path == "/admin/audit"
        assert "These filters are not valid" in response.get_data(as_text=True)
    assert admin_client.get("/admin/audit/export.pdf").status_code == 404


def test_staff_cannot_export_the_trail(app: Flask, make_app: MakeApp) -> None:
    add_user(app, "sam@example.org", role=Role.STAFF)
    staff = app.test_client()
    sign_in(staff, "sam@example.org")

    assert staff.get("/admin/audit/export.csv").status_code == 403
