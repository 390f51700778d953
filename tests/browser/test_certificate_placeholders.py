"""A staff page in production names the certificate definitions held back by placeholder
text, and what to do; in French and English, checked with axe."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from lms.accounts.categories import Role
from lms.certificates.badges import generate_signing_key
from tests.support.apps import FIXTURE_CONTENT
from tests.web.certificate_helpers import add_learner, certificates_in, complete_course

from .conftest import Serve
from .helpers import LOCALES, Words, check_accessibility, sign_in

DEFINITION = "certificates/partnership-essentials.yaml"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_staff_see_why_certificates_are_not_issued(
    serve: Serve, new_page: Callable[..., Page], tmp_path: Path, language: str
) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, content)
    definition = content / DEFINITION
    definition.write_text(
        definition.read_text(encoding="utf-8").replace('"Parcours"', '"Organisme à configurer"'),
        encoding="utf-8",
    )
    key = tmp_path / "badge-signing-key.pem"
    generate_signing_key(key, key_size=2048)
    server = serve(
        env="production",
        secret_key="a-production-secret-for-this-test-" + "x" * 32,
        signing_key_file=key,
        content_dir=content,
        # Staff pages' second factor has its own browser test (test_second_factor.py).
        require_2fa_for_staff=False,
    )
    app, words = server.app, Words(server.app, language)
    add_learner(app, "sam@example.org", name="Sam", role=Role.STAFF, language=language)
    complete_course(app, add_learner(app, "lea@example.org"), "partnership-essentials")
    assert certificates_in(app) == []
    page = new_page(locale=LOCALES[language])
    sign_in(page, server, words, "sam@example.org")

    page.goto(f"{server.url}/staff/")
    banner = page.locator(".notice-held-back")
    expect(banner).to_contain_text(
        words("Certificates not issued: placeholder text in their definition")
    )
    title = {"fr": "L’essentiel du partenariat patient", "en": "Patient partnership essentials"}
    held = words(
        "%(title)s (%(id)s): “%(text)s” in %(file)s, line %(line)d",
        title=title[language],
        id="partnership-essentials",
        text="Organisme à configurer",
        file=DEFINITION,
        line=5,
    )
    expect(banner.get_by_role("listitem")).to_have_text(held)
    expect(banner.locator("code")).to_have_text("lms certificates issue-due")
    check_accessibility(page, f"certificate-placeholders-staff-{language}")
