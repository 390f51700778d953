"""Two-step verification as a staff member meets it where it is required: sent from a staff
page to set it up, the QR code's key typed into an app (here pyotp), recovery codes shown
once, then a later sign-in asking for a code. French and English, checked with axe."""

from __future__ import annotations

import time
from collections.abc import Callable

import pyotp
import pytest
from playwright.sync_api import Page, expect

from lms.accounts.categories import Role
from tests.web.certificate_helpers import add_learner

from .conftest import Serve
from .helpers import LOCALES, PASSWORD, Words, check_accessibility, sign_in


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_staff_member_sets_up_two_step_verification_and_signs_in_with_a_code(
    serve: Serve, new_page: Callable[..., Page], language: str
) -> None:
    server = serve(require_2fa_for_staff=True)
    words = Words(server.app, language)
    add_learner(server.app, "staff@example.org", role=Role.STAFF, language=language)

    page = new_page(locale=LOCALES[language])
    sign_in(page, server, words, "staff@example.org")
    page.goto(f"{server.url}/staff/")
    expect(page.get_by_role("heading", level=1)).to_have_text(words("Two-step verification"))
    expect(
        page.get_by_text(words("Staff pages need two-step verification: set it up to continue."))
    ).to_be_visible()
    check_accessibility(page, f"two-step-off-{language}")

    page.get_by_role("link", name=words("Set up two-step verification")).click()
    expect(
        page.get_by_role("img", name=words("QR code to scan with your authenticator app"))
    ).to_be_visible()
    check_accessibility(page, f"two-step-set-up-{language}")
    secret = page.locator("#secret-key").inner_text()
    page.get_by_label(words("The code your app shows")).fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name=words("Turn on two-step verification")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words("Your recovery codes"))
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    check_accessibility(page, f"two-step-codes-{language}")
    page.get_by_role("link", name=words("I have kept my codes")).click()
    page.goto(f"{server.url}/staff/")
    expect(page.get_by_role("heading", level=1)).not_to_have_text(words("Two-step verification"))

    later = new_page(locale=LOCALES[language])
    later.goto(f"{server.url}/accounts/sign-in")
    later.get_by_label(words("Email address")).fill("staff@example.org")
    later.get_by_label(words("Password"), exact=True).fill(PASSWORD)
    later.get_by_role("button", name=words("Sign in")).click()
    expect(later.get_by_role("heading", level=1)).to_have_text(words("Enter your code"))
    check_accessibility(later, f"sign-in-code-{language}")
    later.get_by_label(words("Code"), exact=True).fill("000000")
    later.get_by_role("button", name=words("Continue")).click()
    expect(later.locator(".field-error")).to_contain_text(
        words("This code is not right, or was already used. Try the newest one.")
    )
    check_accessibility(later, f"sign-in-code-error-{language}")
    # The next step's code: the one set-up used is good no more.
    later.get_by_label(words("Code"), exact=True).fill(pyotp.TOTP(secret).at(time.time() + 30))
    later.get_by_role("button", name=words("Continue")).click()
    expect(later.locator(".flash-success")).to_contain_text(words("You are signed in."))
    later.goto(f"{server.url}/staff/")
    expect(later.get_by_role("heading", level=1)).not_to_have_text(words("Enter your code"))
