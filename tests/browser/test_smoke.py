"""The browser tier itself works: pages load in Chromium and pass axe's WCAG 2.2 AA rules."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page

from .helpers import LiveServer, check_accessibility, horizontal_overflow


@pytest.mark.parametrize(("locale", "language"), [("fr-CA", "fr"), ("en-CA", "en")])
def test_catalogue_page_is_accessible(
    new_page: Callable[..., Page], live_server: LiveServer, locale: str, language: str
) -> None:
    page = new_page(locale=locale)
    page.goto(f"{live_server.url}/courses")
    assert page.locator("html").get_attribute("lang") == language
    check_accessibility(page, f"catalogue-{language}")


def test_catalogue_is_usable_at_360_pixels(
    new_page: Callable[..., Page], live_server: LiveServer
) -> None:
    page = new_page(width=360, height=740)
    page.goto(f"{live_server.url}/courses")
    assert horizontal_overflow(page) <= 0
    check_accessibility(page, "catalogue-360px")
