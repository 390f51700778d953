"""Production issues no certificate from a definition holding placeholder text, and tells
staff why on every staff page; once the file is fixed, `issue-due` issues what was earned."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from lms.accounts.categories import Role
from lms.accounts.models import User
from lms.catalog import current_catalog, held_back_certificates
from lms.certificates import corrections
from lms.certificates.badges import generate_signing_key
from lms.certificates.models import Certificate
from lms.cli import cli
from lms.db import get_session
from tests.support.apps import FIXTURE_CONTENT
from tests.support.smtp import Mailbox
from tests.web.certificate_helpers import add_learner, certificates_in, complete_course
from tests.web.conftest import MakeApp
from tests.web.learning_helpers import sign_in

COURSE = "partnership-essentials"
DEFINITION = "certificates/partnership-essentials.yaml"
REAL = '"Parcours"'
PLACEHOLDER = '"Organisme émetteur à configurer"'


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """The minimal content, its certificate's issuer a placeholder."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    replace_in(root / DEFINITION, REAL, PLACEHOLDER)
    return root


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture
def production(make_app: MakeApp, mailbox: Mailbox, tmp_path: Path, content: Path) -> MakeApp:
    """Production apps (a real secret and signing key) on one database."""
    key = tmp_path / "badge-signing-key.pem"
    generate_signing_key(key, key_size=2048)
    url = f"sqlite:///{tmp_path / 'production.sqlite'}"
    first = True

    def make(**overrides: object) -> Flask:
        nonlocal first
        settings = {
            "env": "production",
            "secret_key": "a-production-secret-for-this-test-" + "x" * 32,
            "signing_key_file": key,
            # Staff pages' second factor has its own tests (tests/web/accounts).
            "require_2fa_for_staff": False,
            "content_dir": content,
            "database_url": url,
            **mailbox.settings,
            **overrides,
        }
        app = make_app(with_schema=first, **settings)
        first = False
        return app

    return make


def staff_page(app: Flask, language: str = "en") -> str:
    client = app.test_client()
    client.environ_base["wsgi.url_scheme"] = "https"
    sign_in(client, "staff@example.org")
    response = client.get("/staff/", headers={"Accept-Language": language})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_production_holds_back_a_definition_with_a_placeholder_until_it_is_fixed(
    production: MakeApp, content: Path
) -> None:
    app = production()
    learner = add_learner(app, "lea@example.org")
    add_learner(app, "staff@example.org", name="Staff", role=Role.STAFF)

    complete_course(app, learner, COURSE)

    assert certificates_in(app) == []
    page = staff_page(app)
    assert "Certificates not issued: placeholder text in their definition" in page
    assert (
        "Patient partnership essentials (partnership-essentials): "
        f"“Organisme émetteur à configurer” in {DEFINITION}, line 5"
    ) in page
    assert "<code>lms certificates issue-due</code>" in page
    result = app.test_cli_runner().invoke(cli, ["certificates", "issue-due"])
    assert "0 certificate(s) issued." in result.output
    assert "Not issuing 'partnership-essentials'" in result.output

    replace_in(content / DEFINITION, PLACEHOLDER, '"Unité de soutien SSA Québec"')
    fixed = production()  # a production server reads its content again when restarted

    assert "placeholder text" not in staff_page(fixed)
    result = fixed.test_cli_runner().invoke(cli, ["certificates", "issue-due"])
    assert result.exit_code == 0, result.output
    assert "1 certificate(s) issued." in result.output
    assert [c.definition_id for c in certificates_in(fixed)] == [COURSE]


def test_outside_production_a_placeholder_issues_as_before(
    make_app: MakeApp, content: Path
) -> None:
    app = make_app(content_dir=content)
    learner = add_learner(app, "lea@example.org")
    add_learner(app, "staff@example.org", name="Staff", role=Role.STAFF)

    complete_course(app, learner, COURSE)

    assert [c.definition_id for c in certificates_in(app)] == [COURSE]
    assert "placeholder text" not in staff_page(app)


def test_production_reissues_nothing_from_a_definition_with_a_placeholder(
    production: MakeApp, content: Path
) -> None:
    replace_in(content / DEFINITION, PLACEHOLDER, REAL)
    app = production()
    learner = add_learner(app, "lea@example.org")
    add_learner(app, "staff@example.org", name="Staff", role=Role.STAFF)
    complete_course(app, learner, COURSE)
    (issued,) = certificates_in(app)
    replace_in(content / DEFINITION, REAL, PLACEHOLDER)
    restarted = production()

    with restarted.app_context():
        session = get_session()
        staff = session.scalars(select(User).where(User.email == "staff@example.org")).one()
        certificate = session.get(Certificate, issued.id)
        assert certificate is not None
        with pytest.raises(corrections.CertificateDefinitionHeldBack):
            corrections.reissue_certificate(
                session,
                certificate,
                actor=staff,
                catalog=current_catalog(),
                held_back=held_back_certificates(),
            )
        session.rollback()
    assert len(certificates_in(restarted)) == 1
