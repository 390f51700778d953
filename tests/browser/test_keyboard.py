"""Keyboard use alone: the skip link, forms filled and sent, a lesson completed, no mouse."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Locator, Page, expect

from .helpers import PASSWORD, LiveServer, Words, create_learner

TAB_LIMIT = 40
"""More Tab presses than any page here needs to reach its main action."""


def _is_focused(locator: Locator) -> bool:
    focused: bool = locator.evaluate("element => element === document.activeElement")
    return focused


def tab_to(page: Page, target: Locator) -> None:
    """Press Tab until ``target`` has the focus: it must be reachable by keyboard, in order."""
    for _ in range(TAB_LIMIT):
        page.keyboard.press("Tab")
        if _is_focused(target):
            return
    raise AssertionError(f"{target} not reached in {TAB_LIMIT} Tab presses")


def _outline_shows(page: Page) -> None:
    """The focused element shows where the focus is (WCAG 2.4.7), here by an outline."""
    style, width = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert style != "none"
    assert width >= 2


def test_keyboard_only(new_page: Callable[..., Page], live_server: LiveServer) -> None:
    words = Words(live_server.app, "fr")
    email = "clavier@example.org"
    create_learner(live_server.app, email, "fr")
    page = new_page(locale="fr-CA")
    page.goto(f"{live_server.url}/accounts/sign-in")

    # The first Tab reaches the skip link, shown once focused; it moves the focus to <main>.
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name=words("Skip to main content"))
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    _outline_shows(page)
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()

    # From <main>, the form in page order; Enter on the button sends it.
    page.keyboard.press("Tab")
    expect(page.get_by_label(words("Email address"))).to_be_focused()
    _outline_shows(page)
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    expect(page.get_by_label(words("Password"), exact=True)).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    remember = page.get_by_label(words("Keep me signed in on this device"))
    expect(remember).to_be_focused()
    page.keyboard.press("Space")
    expect(remember).to_be_checked()
    page.keyboard.press("Tab")
    submit = page.get_by_role("button", name=words("Sign in"))
    expect(submit).to_be_focused()
    _outline_shows(page)
    page.keyboard.press("Enter")
    expect(page.locator(".flashes")).to_contain_text(words("You are signed in."))

    # From the dashboard to the catalogue, then a course's first lesson, opened and marked
    # complete, with Tab and Enter.
    choose = page.get_by_role("link", name=words("Choose a course"))
    tab_to(page, choose)
    page.keyboard.press("Enter")
    course = live_server.catalog().courses["partnership-essentials"]
    start = page.get_by_role("link", name=course.title.get("fr"))
    tab_to(page, start)
    page.keyboard.press("Enter")
    begin = page.get_by_role("link", name=words("Start the course"))
    tab_to(page, begin)
    page.keyboard.press("Enter")
    first = course.lessons[next(course.items()).stem]
    expect(page.get_by_role("heading", level=1)).to_have_text(first.title.get("fr"))
    complete = page.get_by_role("button", name=words("Mark as complete and continue"))
    tab_to(page, complete)
    _outline_shows(page)
    page.keyboard.press("Enter")
    expect(page.locator(".flashes")).to_contain_text(words("Lesson marked as complete."))
