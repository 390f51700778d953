"""Roster uploads past a limit get the import page with one short message, in both languages:
a long bad value is quoted cut, a wide or huge workbook refused before it is read."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook

from lms.accounts.categories import Role
from tests.web.conftest import MakeApp
from tests.web.helpers import csrf_token
from tests.web.learning_helpers import sign_in
from tests.web.staff_helpers import add_cohort, add_user, audit_events, staff_app


@pytest.fixture
def app(make_app: MakeApp) -> Flask:
    return staff_app(make_app)


def test_a_bad_address_of_thousands_of_characters_is_quoted_in_a_few(
    app: Flask, client: FlaskClient
) -> None:
    add_user(app, "sam@example.org", role=Role.STAFF)
    sign_in(client, "sam@example.org")
    cohort = add_cohort(app)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Email", "First name", "Last name", "Sector", "Fellowship number"])
    for number in range(40):
        sheet.append([f"bad-{number}-" + "x" * 9_000, "A", "B", "FRQS", number])
    data = io.BytesIO()
    workbook.save(data)
    path = f"/staff/cohorts/{cohort}/import"

    response = client.post(
        path,
        data={
            "roster": (io.BytesIO(data.getvalue()), "r.xlsx"),
            "csrf_token": csrf_token(client, path),
        },
        content_type="multipart/form-data",
        headers={"Accept-Language": "fr"},
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert len(page) < 60_000
    assert "x" * 100 not in page
    assert "bad-39-xxx" in page
    assert audit_events(app) == []
