"""The learner's certificates: the list, PDFs that never change, and a verifiable Open Badge."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from joserfc import jwt
from joserfc.errors import BadSignatureError
from joserfc.jwk import GuestProtocol, KeySet, RSAKey
from openbadgeslib.ob3 import OB3VerificationError, OB3Verifier
from PIL import Image
from pypdf import PdfReader

from lms.certificates.models import CertificateStatus
from tests.support.databases import Databases
from tests.web.certificate_helpers import (
    CERTIFICATE_CONTENT,
    NAME,
    PART,
    RENEWABLE,
    add_learner,
    certificates_in,
    change,
    complete_course,
    only_certificate,
)
from tests.web.conftest import MakeApp
from tests.web.learning_helpers import sign_in

BASE_URL = "https://parcours.example.org"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the certificate content, for tests that edit a definition."""
    root = tmp_path / "content"
    shutil.copytree(CERTIFICATE_CONTENT, root)
    return root


@pytest.fixture
def app(make_app: MakeApp, content: Path) -> Flask:
    return make_app(content_dir=content, base_url=BASE_URL)


@pytest.fixture
def code(app: Flask, client: FlaskClient) -> str:
    """A learner signed in on ``client``, holding the RENEWABLE certificate: its code."""
    user_id = add_learner(app, language="en")
    complete_course(app, user_id, RENEWABLE)
    sign_in(client, "lea@example.org")
    return only_certificate(app).code


def test_the_list_shows_each_certificate_with_its_downloads(client: FlaskClient, code: str) -> None:
    page = client.get("/certificates").get_data(as_text=True)

    assert "Partnership refresher" in page
    assert code in page
    assert "Valid" in page
    assert f'href="/verify/{code}"' in page
    assert f'href="/certificates/{code}.pdf?lang=fr"' in page
    assert f'href="/certificates/{code}.pdf?lang=en"' in page
    assert f'href="/certificates/{code}/badge.jwt"' in page
    assert f'/verify/{code}" readonly>' in page  # the link to share, to copy
    assert "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in page
    assert "You can renew it from" in page  # it expires: when to renew is said
    dashboard = client.get("/dashboard").get_data(as_text=True)
    assert code in dashboard
    assert f'href="/certificates/{code}.pdf"' in dashboard
    assert 'href="/certificates"' in dashboard


def test_downloads_give_the_stored_bytes_even_after_the_definition_changes(
    make_app: MakeApp,
    app: Flask,
    client: FlaskClient,
    code: str,
    content: Path,
    databases: Databases,
) -> None:
    stored = {pdf.language: pdf.content for pdf in only_certificate(app).pdfs}
    downloads = {}
    for language in ("fr", "en"):
        first = client.get(f"/certificates/{code}.pdf?lang={language}")
        assert first.status_code == 200
        assert first.mimetype == "application/pdf"
        assert first.headers["Content-Disposition"] == (
            f"attachment; filename={code}-{language}.pdf"
        )
        assert "private" in first.headers["Cache-Control"]
        assert client.get(f"/certificates/{code}.pdf?lang={language}").data == first.data
        assert first.data == stored[language]
        downloads[language] = first.data
    assert downloads["fr"] != downloads["en"]
    assert client.get(f"/certificates/{code}.pdf").data == downloads["en"]  # the learner's

    # The author renames the certificate; a new server reads the new file.
    definition = content / "certificates" / "renewable.yaml"
    definition.write_text(
        definition.read_text(encoding="utf-8").replace("Partnership refresher", "Renamed"),
        encoding="utf-8",
    )
    later = make_app(
        content_dir=content,
        base_url=BASE_URL,
        database_url=databases.url("app0"),
        with_schema=False,
    )
    other = later.test_client()
    sign_in(other, "lea@example.org")
    for language in ("fr", "en"):
        assert other.get(f"/certificates/{code}.pdf?lang={language}").data == downloads[language]


def test_the_pdf_prints_the_name_and_the_code(client: FlaskClient, code: str) -> None:
    pdf = client.get(f"/certificates/{code}.pdf?lang=fr").data
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert NAME in " ".join(text.split())
    assert code in text


def test_the_learning_time_is_frozen_at_issue_and_stated_everywhere(
    make_app: MakeApp, app: Flask, client: FlaskClient, content: Path, databases: Databases
) -> None:
    # The course takes 10 minutes; the author raises it to 150 once the certificate exists.
    user_id = add_learner(app, language="en")
    complete_course(app, user_id, RENEWABLE)
    certificate = only_certificate(app)
    assert certificate.duration_minutes == 10
    course = content / "courses" / RENEWABLE / "course.yaml"
    course.write_text(
        course.read_text(encoding="utf-8").replace(
            "estimated_minutes: 10", "estimated_minutes: 150"
        ),
        encoding="utf-8",
    )
    later = make_app(
        content_dir=content,
        base_url=BASE_URL,
        database_url=databases.url("app0"),
        with_schema=False,
    ).test_client()
    sign_in(later, "lea@example.org")
    code = certificate.code

    for language, printed in (
        ("en", "Learning time: 0.5 hours"),
        ("fr", "Durée de la formation : 0,5 heure"),
    ):
        pdf = later.get(f"/certificates/{code}.pdf?lang={language}").data
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        assert printed in " ".join(text.replace("\u00a0", " ").split())
    page = later.get(f"/verify/{code}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "<dt>Learning time</dt>" in page
    assert "<dd>0.5 hours</dd>" in page
    assert later.get(f"/verify/{code}.json").get_json()["duration_minutes"] == 10
    token = later.get(f"/certificates/{code}/badge.jwt").get_data(as_text=True)
    (key,) = KeySet.import_key_set(later.get("/.well-known/jwks.json").get_json()).keys
    claims = jwt.decode(token, key, algorithms=["RS256"]).claims
    narrative = claims["credentialSubject"]["achievement"]["criteria"]["narrative"]
    assert "(0.5 hours of learning in all)" in narrative


def needs(*tools: str) -> pytest.MarkDecorator:
    missing = [tool for tool in tools if shutil.which(tool) is None]
    return pytest.mark.skipif(
        bool(missing) and not os.environ.get("CI"),
        reason=f"needs {', '.join(missing)} (Debian: poppler-utils, zbar-tools)",
    )


@needs("pdftoppm", "zbarimg")
def test_the_qr_code_of_a_download_leads_to_its_verification_page(
    client: FlaskClient, code: str, tmp_path: Path
) -> None:
    path = tmp_path / "certificate.pdf"
    path.write_bytes(client.get(f"/certificates/{code}.pdf").data)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", "-singlefile", str(path), str(tmp_path / "page")],
        check=True,
    )
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", str(tmp_path / "page.png")], capture_output=True, text=True
    )
    assert decoded.stdout.strip() == f"{BASE_URL}/verify/{code}"
    assert client.get(f"/verify/{code}").status_code == 200


def test_a_bilingual_certificate_has_one_pdf_whatever_the_language_asked(
    app: Flask, client: FlaskClient, code: str
) -> None:
    user_id = only_certificate(app).user_id
    complete_course(app, user_id, PART)
    program = certificates_in(app)[-1]
    page = client.get("/certificates").get_data(as_text=True)
    assert f'href="/certificates/{program.code}.pdf?lang=bilingual"' in page
    assert f"/certificates/{program.code}.pdf?lang=fr" not in page

    bilingual = program.pdfs[0].content
    for asked in ("", "?lang=fr", "?lang=en", "?lang=xx"):
        assert client.get(f"/certificates/{program.code}.pdf{asked}").data == bilingual


def test_another_learner_gets_404_and_a_visitor_must_sign_in(
    app: Flask, client: FlaskClient, code: str
) -> None:
    add_learner(app, "mallory@example.org", name="Mallory")
    other = app.test_client()
    sign_in(other, "mallory@example.org")
    downloads = ("{}.pdf", "{}/badge.jwt", "{}/badge.png")
    for path in (f"/certificates/{kind.format(code)}" for kind in downloads):
        assert other.get(path).status_code == 404
        assert app.test_client().get(path).status_code == 302  # to the sign-in page
    assert other.get("/certificates/PRC-0000-0000-0000-0000.pdf").status_code == 404
    assert code not in other.get("/certificates").get_data(as_text=True)


def test_a_revoked_certificate_can_no_longer_be_downloaded(
    app: Flask, client: FlaskClient, code: str
) -> None:
    change(app, code, status=CertificateStatus.REVOKED)
    assert client.get(f"/certificates/{code}.pdf").status_code == 410
    assert client.get(f"/certificates/{code}/badge.jwt").status_code == 410
    page = client.get("/certificates").get_data(as_text=True)
    assert "Revoked" in page
    assert f"/certificates/{code}.pdf" not in page


# The Open Badge ----------------------------------------------------------------------------


def payload_of(token: str) -> dict[str, Any]:
    segment = token.split(".")[1]
    decoded: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    )
    return decoded


def tampered(token: str) -> str:
    header, _payload, signature = token.split(".")
    claims = payload_of(token)
    claims["credentialSubject"]["identifier"][-1]["identityHash"] = "Mallory"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def test_the_badge_verifies_against_the_published_key_set(client: FlaskClient, code: str) -> None:
    response = client.get(f"/certificates/{code}/badge.jwt")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f"attachment; filename={code}-badge.jwt"
    token = response.get_data(as_text=True)
    key_set = client.get("/.well-known/jwks.json")
    assert key_set.status_code == 200
    keys = KeySet.import_key_set(key_set.get_json())

    def resolve(guest: GuestProtocol) -> RSAKey:
        # What a verifier does with kid: fetch the key set at the URL, pick the key by kid.
        kid = guest.headers()["kid"]
        assert kid.partition("#")[0] == f"{BASE_URL}/.well-known/jwks.json"
        key = keys.get_by_kid(kid)
        assert isinstance(key, RSAKey)
        return key

    decoded = jwt.decode(token, resolve, algorithms=["RS256"])
    claims = decoded.claims
    jwt.JWTClaimsRegistry(
        iss={"essential": True, "value": f"{BASE_URL}/issuers/{RENEWABLE}"},
        jti={"essential": True, "value": f"{BASE_URL}/verify/{code}"},
        sub={"essential": True},
        nbf={"essential": True},
        exp={"essential": True},
    ).validate(claims)
    assert claims["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    subject = claims["credentialSubject"]
    assert subject["achievement"]["name"] == "Partnership refresher"
    assert subject["achievement"]["inLanguage"] == "en"
    assert "Partnership refresher" in subject["achievement"]["criteria"]["narrative"]
    names = [i["identityHash"] for i in subject["identifier"] if i["identityType"] == "name"]
    assert names == [NAME]
    assert "lea@example.org" not in json.dumps(claims)  # the address is only hashed
    with pytest.raises(BadSignatureError):
        jwt.decode(tampered(token), resolve, algorithms=["RS256"])

    (jwk,) = key_set.get_json()["keys"]
    pem = RSAKey.import_key(jwk).as_pem(private=False)
    verifier = OB3Verifier(pem)
    verified = verifier.verify(token)
    assert verified.id == f"{BASE_URL}/verify/{code}"
    assert verified.issuer.id == f"{BASE_URL}/issuers/{RENEWABLE}"
    with pytest.raises(OB3VerificationError, match=r"(?i)signature"):
        verifier.verify(tampered(token))


def test_the_issuer_profile_and_the_achievement_are_published(client: FlaskClient) -> None:
    profile = client.get(f"/issuers/{RENEWABLE}").get_json()
    assert profile["id"] == f"{BASE_URL}/issuers/{RENEWABLE}"
    assert profile["type"] == ["Profile"]
    assert profile["name"] == "Émetteur d’essai de Parcours"  # the default language, French
    assert profile["url"] == "https://example.org/issuer"
    achievement = client.get(f"/achievements/{RENEWABLE}").get_json()
    assert achievement["type"] == ["Achievement"]
    assert achievement["name"] == "Rappel sur le partenariat"
    assert client.get("/issuers/nothing-here").status_code == 404
    assert client.get("/achievements/nothing-here").status_code == 404
    keys = client.get("/.well-known/jwks.json")
    assert "max-age" in keys.headers["Cache-Control"]
    assert set(keys.get_json()["keys"][0]) == {"kty", "n", "e", "kid", "use", "alg"}


def test_the_stored_hash_is_the_downloads_hash(app: Flask, client: FlaskClient, code: str) -> None:
    for pdf in only_certificate(app).pdfs:
        data = client.get(f"/certificates/{code}.pdf?lang={pdf.language}").data
        assert hashlib.sha256(data).hexdigest() == pdf.sha256


def test_the_baked_badge_image_carries_the_credential_that_verifies(
    client: FlaskClient, code: str
) -> None:
    response = client.get(f"/certificates/{code}/badge.png")

    assert response.status_code == 200
    assert response.content_type == "image/png"
    assert response.headers["Content-Disposition"] == f"attachment; filename={code}-badge.png"
    assert "private" in response.headers["Cache-Control"]
    with Image.open(io.BytesIO(response.get_data())) as image:
        token = image.text["openbadgecredential"]  # the OB 3.0 baking keyword
    assert token == client.get(f"/certificates/{code}/badge.jwt").get_data(as_text=True)
    keys = KeySet.import_key_set(client.get("/.well-known/jwks.json").get_json())
    kid = token_header(token)["kid"]
    assert kid.startswith(f"{BASE_URL}/.well-known/jwks.json#")
    key = keys.get_by_kid(kid)
    assert isinstance(key, RSAKey)
    claims = jwt.decode(token, key, algorithms=["RS256"]).claims
    assert claims["jti"] == f"{BASE_URL}/verify/{code}"
    with pytest.raises(BadSignatureError):
        jwt.decode(tampered(token), key, algorithms=["RS256"])


def token_header(token: str) -> dict[str, str]:
    header = token.split(".", 1)[0]
    decoded: dict[str, str] = json.loads(
        base64.urlsafe_b64decode(header + "=" * (-len(header) % 4))
    )
    return decoded
