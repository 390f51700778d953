"""Partial credit as a learner meets it: the form says how boxes count, and the result marks a
half-right answer and its share of the points, in the reader's language, checked by axe."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.support.apps import TESTS

from .conftest import Serve
from .helpers import LOCALES, Words, check_accessibility, create_learner, sign_in

QUIZ = "/courses/quiz-lab/partial.quiz"
TWO_OF_THREE = {"fr": ("Inclusion", "Soutien"), "en": ("Inclusiveness", "Support")}
SHARE = {"fr": "0,66", "en": "0.66"}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_partly_right_answer_is_marked_and_earns_its_share(
    serve: Serve, new_page: Callable[..., Page], language: str
) -> None:
    server = serve(content_dir=TESTS / "fixtures" / "content" / "quizzes")
    words = Words(server.app, language)
    email = f"partial-{language}@example.org"
    create_learner(server.app, email, language)
    page = new_page(locale=LOCALES[language])
    sign_in(page, server, words, email)
    page.goto(f"{server.url}{QUIZ}")
    page.get_by_role("button", name=words("Start the quiz")).click()

    boxes = page.locator("fieldset.question").first
    expect(boxes.locator(".hint")).to_contain_text(
        words(
            "Partial credit: each right answer you select earns its share of the points, "
            "and each wrong one takes a share away."
        )
    )
    check_accessibility(page, f"partial-credit-form-{language}")
    for label in TWO_OF_THREE[language]:
        boxes.get_by_label(label, exact=True).check()
    page.locator("fieldset.question").nth(1).get_by_label(words("True"), exact=True).check()
    page.get_by_role("button", name=words("Submit my answers")).click()
    dialog = page.get_by_role("dialog", name=words("Submit your answers?"))
    dialog.get_by_role("button", name=words("Submit for grading")).click()

    expect(page.locator(".quiz-score .verdict")).to_have_text(words("Passed"))
    verdict = page.locator(".question-result").first.locator(".verdict")
    expect(verdict).to_have_text(words("Partly right"))
    expect(page.locator(".question-result").first.locator(".question-points")).to_contain_text(
        SHARE[language]
    )
    check_accessibility(page, f"partial-credit-result-{language}")
