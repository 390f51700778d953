"""Reissuing a certificate as staff meet it: a page that says what will happen and asks the
reason, an error when it is missing, then one reissue, read back in the audit trail; each
step checked with axe."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from lms.accounts.categories import Role
from tests.web.certificate_helpers import (
    CERTIFICATE_CONTENT,
    RENEWABLE,
    add_learner,
    certificates_in,
    complete_course,
    only_certificate,
)

from .conftest import Serve
from .helpers import LOCALES, Words, check_accessibility, sign_in


@pytest.mark.parametrize("language", ["fr", "en"])
def test_staff_confirm_a_reissue_with_a_reason(
    serve: Serve, new_page: Callable[..., Page], language: str
) -> None:
    server = serve(content_dir=CERTIFICATE_CONTENT)
    app, words = server.app, Words(server.app, language)
    add_learner(app, "sam@example.org", name="Sam", role=Role.ADMIN, language=language)
    lea = add_learner(app, "lea@example.org")
    complete_course(app, lea, RENEWABLE)
    code = only_certificate(app).code
    page = new_page(locale=LOCALES[language])
    sign_in(page, server, words, "sam@example.org")

    page.goto(f"{server.url}/staff/learners/{lea}")
    page.get_by_role("link", name=words("Reissue…")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        words("Reissue the certificate %(code)s?", code=code)
    )
    check_accessibility(page, f"reissue-confirm-{language}")
    page.get_by_role("button", name=words("Reissue the certificate")).click()
    expect(page.locator(".field-error")).to_have_text(
        words("Give the reason: the learner reads it in the mail.")
    )
    check_accessibility(page, f"reissue-reason-missing-{language}")
    assert len(certificates_in(app)) == 1

    page.get_by_label(words("Reason for reissuing")).fill("Nom changé / name changed")
    page.get_by_role("button", name=words("Reissue the certificate")).click()
    expect(page.locator(".flash-success")).to_be_visible()
    check_accessibility(page, f"reissue-done-{language}")
    assert len(certificates_in(app)) == 2

    # The audit trail names what was done, to whom, and why, in words.
    page.goto(f"{server.url}/admin/audit")
    row = page.get_by_role("row").filter(has_text=words("Certificate reissued"))
    expect(row).to_contain_text(words("Certificate %(code)s", code=code))
    expect(row).to_contain_text("Léa Tremblay-Côté (lea@example.org)")
    expect(row).to_contain_text("Nom changé / name changed")
    check_accessibility(page, f"audit-trail-{language}")
