"""Public verification at /verify/CODE: every standing, as a page and as JSON; nothing private."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient

from lms.accounts.categories import Role
from lms.accounts.models import User
from lms.catalog import current_catalog
from lms.certificates import corrections, queries
from lms.certificates.models import Certificate
from lms.db import get_session, utcnow
from tests.web.certificate_helpers import (
    CERTIFICATE_CONTENT,
    NAME,
    RENEWABLE,
    add_learner,
    change,
    complete_course,
    only_certificate,
)
from tests.web.conftest import MakeApp

BASE_URL = "https://parcours.example.org"
JSON_KEYS = {
    "code",
    "url",
    "status",
    "holder_name",
    "title",
    "issuer",
    "issued_on",
    "expires_on",
    "revoked_on",
    "revocation_reason",
    "superseded_by",
    "documents",
    "withdrawn_on",
    "duration_minutes",
}


@pytest.fixture
def app(make_app: MakeApp) -> Flask:
    return make_app(content_dir=CERTIFICATE_CONTENT, base_url=BASE_URL)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A visitor whose browser asks for English: the assertions below read English."""
    english = app.test_client()
    english.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return english


@pytest.fixture
def certificate(app: Flask) -> Certificate:
    user_id = add_learner(app, "lea.private@example.org", language="fr")
    complete_course(app, user_id, RENEWABLE)
    return only_certificate(app)


def local_date(moment: datetime) -> str:
    """The day as printed and published: in Quebec's time zone."""
    return moment.astimezone(ZoneInfo("America/Toronto")).date().isoformat()


def page_of(client: FlaskClient, code: str) -> str:
    response = client.get(f"/verify/{code}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def json_of(client: FlaskClient, code: str) -> dict[str, object]:
    response = client.get(f"/verify/{code}.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    found: dict[str, object] = response.get_json()
    return found


def act_as_staff(app: Flask, code: str, action: str) -> str | None:
    """Revoke or reissue ``code`` as a staff member would, committing; the new code."""
    staff_id = add_learner(app, f"staff-{action}@example.org", name="Staff", role=Role.STAFF)
    with app.app_context():
        session = get_session()
        actor = session.get(User, staff_id)
        found = queries.find_certificate_by_code(session, code)
        assert actor is not None
        assert found is not None
        replacement = None
        if action == "revoke":
            corrections.revoke_certificate(
                session, found, reason="Plagiarised quiz answers.", actor=actor
            )
        else:
            replacement = corrections.reissue_certificate(
                session, found, actor=actor, catalog=current_catalog()
            )
        new_code = replacement.code if replacement is not None else None
        session.commit()
        return new_code


def test_a_valid_certificate(client: FlaskClient, certificate: Certificate) -> None:
    page = page_of(client, certificate.code)
    assert "This certificate is valid." in page
    assert NAME in page
    assert "Partnership refresher" in page or "Rappel sur le partenariat" in page
    assert "https://example.org/issuer" in page
    for pdf in certificate.pdfs:
        assert pdf.sha256 in page
    assert f'href="/verify/{certificate.code}.json"' in page
    # Ways to share it: its address to copy, and LinkedIn's form filled in with its facts.
    assert f'value="{BASE_URL}/verify/{certificate.code}" readonly' in page
    linkedin = re.search(r'href="(https://www\.linkedin\.com/profile/add\?[^"]+)"', page)
    assert linkedin
    fields = parse_qs(urlsplit(html.unescape(linkedin.group(1))).query)
    assert fields["certId"] == [certificate.code]
    assert fields["certUrl"] == [f"{BASE_URL}/verify/{certificate.code}"]
    assert fields["issueYear"] == [local_date(certificate.issued_at)[:4]]

    facts = json_of(client, certificate.code)
    assert set(facts) == JSON_KEYS
    assert facts["status"] == "valid"
    assert facts["code"] == certificate.code
    assert facts["url"] == f"{BASE_URL}/verify/{certificate.code}"
    assert facts["holder_name"] == NAME
    assert facts["title"] == {"fr": "Rappel sur le partenariat", "en": "Partnership refresher"}
    assert facts["issuer"] == {
        "name": {"fr": "Émetteur d’essai de Parcours", "en": "Parcours test issuer"},
        "url": "https://example.org/issuer",
    }
    assert certificate.expires_at is not None
    assert facts["issued_on"] == local_date(certificate.issued_at)
    assert facts["expires_on"] == local_date(certificate.expires_at)
    assert (facts["revoked_on"], facts["revocation_reason"], facts["superseded_by"]) == (
        None,
        None,
        None,
    )
    assert facts["documents"] == [
        {"language": pdf.language, "sha256": pdf.sha256} for pdf in certificate.pdfs
    ]


def test_nothing_about_the_holder_but_the_printed_name(
    client: FlaskClient, certificate: Certificate
) -> None:
    page = page_of(client, certificate.code)
    raw = client.get(f"/verify/{certificate.code}.json").get_data(as_text=True)
    for shown in (page, raw):
        assert "lea.private@example.org" not in shown
        assert "lea.private" not in shown
    facts = json_of(client, certificate.code)
    assert set(facts) == JSON_KEYS
    assert "@" not in json.dumps(facts)


def test_an_expired_certificate(app: Flask, client: FlaskClient, certificate: Certificate) -> None:
    issued = datetime(2024, 3, 1, 15, tzinfo=UTC)
    change(app, certificate.code, issued_at=issued, expires_at=issued + timedelta(days=365))

    page = page_of(client, certificate.code)
    assert "This certificate expired on" in page
    assert "2025" in page
    facts = json_of(client, certificate.code)
    assert facts["status"] == "expired"
    assert (facts["issued_on"], facts["expires_on"]) == ("2024-03-01", "2025-03-01")


def test_a_revoked_certificate_says_when_and_why(
    app: Flask, client: FlaskClient, certificate: Certificate
) -> None:
    act_as_staff(app, certificate.code, "revoke")

    page = page_of(client, certificate.code)
    assert "This certificate was revoked on" in page
    assert "Plagiarised quiz answers." in page
    assert "linkedin.com" not in page  # nothing to share of a revoked certificate
    facts = json_of(client, certificate.code)
    assert facts["status"] == "revoked"
    assert facts["revocation_reason"] == "Plagiarised quiz answers."
    assert facts["revoked_on"] == local_date(utcnow())


def test_a_superseded_certificate_links_to_its_replacement(
    app: Flask, client: FlaskClient, certificate: Certificate
) -> None:
    replacement = act_as_staff(app, certificate.code, "reissue")
    assert replacement is not None

    page = page_of(client, certificate.code)
    assert "This certificate was replaced by a reissued one." in page
    assert f'href="/verify/{replacement}"' in page
    facts = json_of(client, certificate.code)
    assert facts["status"] == "superseded"
    assert facts["superseded_by"] == {
        "code": replacement,
        "url": f"{BASE_URL}/verify/{replacement}",
    }
    assert json_of(client, replacement)["status"] == "valid"


def test_a_typed_code_is_found_whatever_its_case_and_dashes(
    client: FlaskClient, certificate: Certificate
) -> None:
    code = certificate.code
    typed = code.lower().replace("-", "").replace("0", "o")
    response = client.get(f"/verify/{typed}")
    assert response.status_code == 301
    assert response.headers["Location"] == f"/verify/{code}"
    response = client.get(f"/verify/{typed}.json")
    assert response.status_code == 301
    assert response.headers["Location"] == f"/verify/{code}.json"

    spaced = " ".join(code.removeprefix("PRC-").lower().split("-"))
    response = client.get("/verify", query_string={"code": spaced})
    assert response.status_code == 303
    assert response.headers["Location"] == f"/verify/{code}"


def test_the_form_explains_a_code_that_cannot_be(client: FlaskClient) -> None:
    form = client.get("/verify")
    assert form.status_code == 200
    assert 'name="code"' in form.get_data(as_text=True)
    response = client.get("/verify", query_string={"code": "not a code"})
    assert response.status_code == 400
    assert "This is not a certificate code." in response.get_data(as_text=True)
    assert client.get("/verify", query_string={"code": ""}).status_code == 400


def test_an_unknown_code_gets_a_404_that_explains_how_to_check(client: FlaskClient) -> None:
    for code in ("PRC-7KQ2-M9XD-4TFA-0WZE", "nonsense"):
        response = client.get(f"/verify/{code}")
        assert response.status_code == 404
        page = response.get_data(as_text=True)
        assert "Unknown certificate code" in page
        assert "printed under the QR code" in page
        assert 'name="code"' in page
    response = client.get("/verify/PRC-7KQ2-M9XD-4TFA-0WZE.json")
    assert response.status_code == 404
    assert response.get_json()["error"] == "not_found"


def test_lookups_are_rate_limited_per_network_address(
    client: FlaskClient, certificate: Certificate
) -> None:
    robot = {"REMOTE_ADDR": "203.0.113.9"}
    for number in range(30):
        path = f"/verify/{certificate.code}" + (".json" if number % 2 else "")
        assert client.get(path, environ_base=robot).status_code == 200

    refused = client.get(f"/verify/{certificate.code}", environ_base=robot)
    assert refused.status_code == 429
    assert "Retry-After" in refused.headers
    assert client.get(f"/verify/{certificate.code}.json", environ_base=robot).status_code == 429
    other = {"REMOTE_ADDR": "198.51.100.20"}
    assert client.get(f"/verify/{certificate.code}", environ_base=other).status_code == 200


def test_the_page_speaks_french_by_default(app: Flask, certificate: Certificate) -> None:
    page = app.test_client().get(f"/verify/{certificate.code}").get_data(as_text=True)
    assert '<html lang="fr">' in page
    assert "Cette attestation est valide." in page
