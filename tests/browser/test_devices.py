"""Signed-in devices as a person manages them from their profile, in both languages: one
browser signs another out, then signs out everywhere, and the others are signed out too."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from .conftest import Serve
from .helpers import LOCALES, LiveServer, Words, check_accessibility, create_learner, sign_in

EMAIL = "lea@example.org"


def is_signed_out(page: Page, server: LiveServer, words: Words) -> None:
    """The profile, asked for again, sends this browser to the sign-in page."""
    page.goto(f"{server.url}/accounts/profile")
    expect(page.get_by_role("heading", level=1)).to_have_text(words("Sign in"))
    assert "/accounts/sign-in" in page.url


@pytest.mark.parametrize("language", ["fr", "en"])
def test_sign_out_one_device_then_everywhere(
    serve: Serve, new_page: Callable[..., Page], language: str
) -> None:
    server = serve()
    words = Words(server.app, language)
    create_learner(server.app, EMAIL, language)
    laptop, phone, tablet = (new_page(locale=LOCALES[language]) for _ in range(3))
    for browser in (phone, tablet, laptop):
        sign_in(browser, server, words, EMAIL)

    laptop.goto(f"{server.url}/accounts/profile")
    section = laptop.get_by_role("region", name=words("Signed-in devices"))
    devices = section.locator(".device")
    expect(devices).to_have_count(3)
    expect(devices.first).to_contain_text(words("(this device)"))
    expect(devices.first).to_contain_text(
        words("%(browser)s on %(system)s", browser="Chrome", system="Linux")
    )
    check_accessibility(laptop, f"profile-devices-{language}")

    # The phone signed in first: it is last, the least recently active.
    devices.last.get_by_role("button", name=words("Sign out this device")).click()
    expect(laptop.locator(".flash-success")).to_contain_text(words("That device is signed out."))
    expect(devices).to_have_count(2)
    is_signed_out(phone, server, words)

    section.get_by_role("button", name=words("Sign out everywhere")).click()
    expect(laptop.get_by_role("heading", level=1)).to_have_text(words("Sign in"))
    expect(laptop.locator(".flash-success")).to_contain_text(
        words("You are signed out on every device, this one included.")
    )
    check_accessibility(laptop, f"signed-out-everywhere-{language}")
    is_signed_out(tablet, server, words)
    is_signed_out(laptop, server, words)
