"""The main pages on a 360-pixel-wide phone: nothing scrolls sideways, axe still passes."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from lms.content import ItemKind
from tests.support.apps import PROJECT

from .conftest import Serve
from .helpers import (
    LiveServer,
    Words,
    answer_quiz,
    check_accessibility,
    create_learner,
    horizontal_overflow,
    sign_in,
)

PHONE = {"width": 360, "height": 740}


def _fits(page: Page, name: str) -> None:
    assert horizontal_overflow(page) <= 0, f"{name} ({page.url}) scrolls sideways"
    check_accessibility(page, f"360px-{name}")


def test_main_pages_fit_a_phone(new_page: Callable[..., Page], live_server: LiveServer) -> None:
    server, words = live_server, Words(live_server.app, "fr")
    course = server.catalog().courses["partnership-essentials"]
    page = new_page(locale="fr-CA", **PHONE)
    for name, path in [
        ("home", "/"),
        ("sign-up", "/accounts/sign-up"),
        ("sign-in", "/accounts/sign-in"),
    ]:
        page.goto(f"{server.url}{path}")
        _fits(page, name)
    page.get_by_role("button", name=words("Sign in")).click()
    expect(page.get_by_role("alert")).to_be_visible()
    _fits(page, "sign-in-errors")

    create_learner(server.app, "mobile@example.org", "fr")
    sign_in(page, server, words, "mobile@example.org")
    _fits(page, "catalogue")
    page.goto(f"{server.url}/courses/{course.id}")
    _fits(page, "course")
    for item in course.items():
        page.goto(f"{server.url}/courses/{course.id}/{item.key}")
        _fits(page, item.key)
    quiz = course.quizzes[next(i for i in course.items() if i.kind is ItemKind.QUIZ).stem]
    page.get_by_role("button", name=words("Start the quiz")).click()
    _fits(page, "attempt")
    answer_quiz(page, quiz, "fr", words, correct=False)
    page.get_by_role("button", name=words("Submit my answers")).click()
    review = page.get_by_role("dialog", name=words("Submit your answers?"))
    expect(review).to_be_visible()
    _fits(page, "review-dialog")
    review.get_by_role("button", name=words("Submit for grading")).click()
    expect(page.locator(".quiz-score")).to_be_visible()
    _fits(page, "result")
    page.goto(f"{server.url}/courses/{course.id}/{quiz.stem}.quiz")
    _fits(page, "quiz-with-attempts")
    for name, path in [("dashboard", "/dashboard"), ("profile", "/accounts/profile")]:
        page.goto(f"{server.url}{path}")
        _fits(page, name)


def test_shipped_lessons_fit_a_phone(serve: Serve, new_page: Callable[..., Page]) -> None:
    """POR 101's figures and wide tables: they shrink or scroll within the page, never it."""
    server = serve(content_dir=PROJECT)
    words = Words(server.app, "fr")
    course = server.catalog().courses["por-101"]
    create_learner(server.app, "telephone@example.org", "fr")
    page = new_page(locale="fr-CA", **PHONE)
    sign_in(page, server, words, "telephone@example.org")
    page.goto(f"{server.url}/courses/{course.id}")
    _fits(page, "shipped-por-101")
    tables = 0
    for item in course.items():
        if item.kind is ItemKind.LESSON:
            page.goto(f"{server.url}/courses/{course.id}/{item.key}")
            _fits(page, f"shipped-por-101-{item.key}")
            tables += _tables_keep_words_whole(page)
    assert tables, "POR 101 has tables: this test must see some"


def _tables_keep_words_whole(page: Page) -> int:
    """Each table's cells wrap at spaces only, never inside a word; a table wider than the
    phone scrolls within its named region instead. The number of tables on the page."""
    regions = page.locator(".lesson-body .table-scroll")
    for region in regions.all():
        assert region.get_attribute("tabindex") == "0"
        assert region.get_attribute("aria-label")
        styles = region.locator("td").first.evaluate(
            "cell => [getComputedStyle(cell).overflowWrap, getComputedStyle(cell).hyphens]"
        )
        assert styles == ["normal", "manual"]
        # A word no wider than the region always fits whole: no cell is narrower than its
        # longest word (scrollWidth would exceed clientWidth if a word overflowed its cell).
        overflowing = region.locator("td, th").evaluate_all(
            "cells => cells.filter(c => c.scrollWidth > c.clientWidth + 1).length"
        )
        assert overflowing == 0
    return regions.count()
