"""Staff's overrides and confirmations as staff meet them, in French and English, each page
checked with axe: a step marked as done (an error first, then the certificate it completes),
a course reset after its confirmation, a revocation confirmed, a role change confirmed, and
the audit trail's export links."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from lms.accounts.categories import Role
from tests.web.certificate_helpers import certificates_in
from tests.web.learning_helpers import record
from tests.web.staff_helpers import BASICS, PRACTICE, STAFF_CONTENT, add_user

from .conftest import Serve
from .helpers import LOCALES, Words, check_accessibility, sign_in


@pytest.mark.parametrize("language", ["fr", "en"])
def test_staff_mark_a_step_done_reset_a_course_and_revoke_after_confirming(
    serve: Serve, new_page: Callable[..., Page], language: str
) -> None:
    server = serve(content_dir=STAFF_CONTENT)
    app, words = server.app, Words(server.app, language)
    add_user(app, "sam@example.org", role=Role.ADMIN, language=language)
    lea = add_user(app, "lea@example.org", name="Léa Tremblay-Côté")
    record(app, lea, PRACTICE, "apply")
    record(app, lea, BASICS, "welcome", "partners")
    page = new_page(locale=LOCALES[language])
    sign_in(page, server, words, "sam@example.org")

    # A step marked as done: the reason is required, then the course and the program complete.
    page.goto(f"{server.url}/staff/learners/{lea}")
    page.get_by_text(words("Mark a step as done…")).first.click()
    page.get_by_role("button", name=words("Mark as done")).first.click()
    expect(page.locator(".field-error")).to_have_text(
        words("Give the reason: it is kept in the audit trail.")
    )
    check_accessibility(page, f"mark-done-reason-missing-{language}")
    page.get_by_label(words("Reason")).fill("Questionnaire fait sur papier / on paper")
    page.get_by_role("button", name=words("Mark as done")).click()
    expect(page.locator(".flash-success")).to_have_text(
        words("The step is marked as done, and with it the course is complete.")
    )
    check_accessibility(page, f"mark-done-{language}")
    [certificate] = certificates_in(app)

    # A reset says what is lost before anything is done.
    reset_links = page.get_by_role("link", name=words("Reset the progress…"))
    reset_links.first.click()
    expect(page.get_by_role("heading", level=2, name=words("What is lost"))).to_be_visible()
    check_accessibility(page, f"reset-confirm-{language}")
    page.get_by_label(words("Reason")).fill("Reprise demandée / asked to start again")
    page.get_by_role("button", name=words("Reset the progress")).click()
    expect(page.locator(".flash-success")).to_be_visible()
    check_accessibility(page, f"reset-done-{language}")

    # Revoking, on a page of its own.
    page.get_by_role("link", name=words("Revoke…")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        words("Revoke the certificate %(code)s?", code=certificate.code)
    )
    check_accessibility(page, f"revoke-confirm-{language}")
    page.get_by_label(words("Reason for revoking")).fill("Erreur d’inscription / enrolment error")
    page.get_by_role("button", name=words("Revoke the certificate")).click()
    expect(page.locator(".flash-success")).to_have_text(
        words("The certificate %(code)s is revoked.", code=certificate.code)
    )
    assert [c.status for c in certificates_in(app)] == ["revoked"]

    # The trail words each override, and offers it as a file.
    page.goto(f"{server.url}/admin/audit")
    for action in ("Step marked as done", "Course progress reset", "Certificate revoked"):
        expect(page.get_by_role("row").filter(has_text=words(action))).to_have_count(1)
    expect(page.get_by_role("link", name=words("Download as CSV"))).to_be_visible()
    check_accessibility(page, f"audit-overrides-{language}")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_admin_confirms_a_role_change(
    serve: Serve, new_page: Callable[..., Page], language: str
) -> None:
    server = serve(content_dir=STAFF_CONTENT)
    app, words = server.app, Words(server.app, language)
    add_user(app, "root@example.org", role=Role.ADMIN, language=language)
    lea = add_user(app, "lea@example.org", name="Léa Tremblay-Côté")
    page = new_page(locale=LOCALES[language])
    sign_in(page, server, words, "root@example.org")

    page.goto(f"{server.url}/admin/users?q=lea")
    page.get_by_label(words("New role for %(email)s", email="lea@example.org")).select_option(
        "staff"
    )
    page.get_by_role("button", name=words("Change…")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        words("Make %(email)s: %(role)s?", email="lea@example.org", role=words("Staff"))
    )
    check_accessibility(page, f"role-confirm-{language}")
    page.get_by_role("button", name=words("Change the role")).click()
    expect(page.locator(".flash-success")).to_be_visible()
    check_accessibility(page, f"role-changed-{language}")
    page.goto(f"{server.url}/staff/learners/{lea}")
    expect(page.locator("dd", has_text=words("Staff"))).to_have_count(1)
