"""Helpers for browser tests: axe-core checks, the app's own wording, learners, quiz answers."""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flask import Flask
from flask_babel import force_locale, gettext, ngettext
from playwright.sync_api import Locator, Page, expect

from lms.accounts import services as accounts
from lms.catalog import current_catalog
from lms.content import Catalog, Question, QuestionType, Quiz
from lms.db import get_session
from tests.support.apps import PROJECT

HERE = Path(__file__).resolve().parent
AXE_SCRIPT = HERE / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = PROJECT / "test-artifacts" / "browser"
WCAG_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
PASSWORD = "correct horse battery staple"
LOCALES = {"fr": "fr-CA", "en": "en-CA"}
"""The browser's language for each interface language: Quebec's French, Canadian English."""

_TAG = re.compile(r"<[^>]+>")


@dataclass
class LiveServer:
    app: Flask
    url: str

    def catalog(self) -> Catalog:
        with self.app.app_context():
            return current_catalog()


def check_accessibility(page: Page, name: str) -> None:
    """Run axe-core's WCAG 2.2 A and AA rules on the page and keep a screenshot of it."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    # Evaluated through the DevTools protocol, not added as a <script>: the site's
    # Content-Security-Policy (script-src 'self') rightly blocks inline scripts.
    page.evaluate(AXE_SCRIPT.read_text(encoding="utf-8"))
    # Only violations are reported: axe then skips collecting every passing node.
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        WCAG_AA_TAGS,
    )
    violations = [
        {
            "rule": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [{"target": n["target"], "summary": n["failureSummary"]} for n in v["nodes"]][
                :5
            ],
        }
        for v in result["violations"]
    ]
    assert violations == [], f"{name} ({page.url}):\n{json.dumps(violations, indent=2)}"


def horizontal_overflow(page: Page) -> int:
    """Pixels the page is wider than the window: more than 0 means scrolling sideways."""
    overflow: int = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    return overflow


class Words:
    """The interface's own wording in one language, read from the app's translations.

    Tests then find buttons and links by what a person reads on them, in either language.
    """

    def __init__(self, app: Flask, language: str) -> None:
        self.app = app
        self.language = language

    def __call__(self, message: Any, **values: Any) -> str:
        with self.app.test_request_context(), force_locale(self.language):
            # A lazy string (a form's label) translates itself once asked for its text.
            return gettext(message, **values) if isinstance(message, str) else str(message)

    def plural(self, singular: str, plural: str, number: int, **values: Any) -> str:
        with self.app.test_request_context(), force_locale(self.language):
            return ngettext(singular, plural, number, **values)


def create_learner(
    app: Flask, email: str, language: str | None = None, password: str = PASSWORD
) -> None:
    """A confirmed learner, made directly through the accounts service."""
    with app.app_context():
        session = get_session()
        accounts.create_user(session, email, password, language=language, email_confirmed=True)
        session.commit()


def sign_in(
    page: Page, server: LiveServer, words: Words, email: str, password: str = PASSWORD
) -> None:
    """Sign in through the form, as a person does; ends on the page the form leads to."""
    page.goto(f"{server.url}/accounts/sign-in")
    page.get_by_label(words("Email address")).fill(email)
    page.get_by_label(words("Password"), exact=True).fill(password)
    page.get_by_role("button", name=words("Sign in")).click()
    expect(page.locator(".flash-success")).to_contain_text(words("You are signed in."))


def plain(inline_html: str) -> str:
    """The text a person reads in a piece of inline HTML (a prompt or a choice)."""
    return html.unescape(_TAG.sub("", inline_html)).strip()


def answer_quiz(page: Page, quiz: Quiz, language: str, words: Words, *, correct: bool) -> None:
    """Answer every question of the attempt form shown, all rightly or all wrongly.

    Each question's fields are named after its id (``answer-<id>``), so the quiz file says
    which answer is right; choices are found by their label, since their order may be shuffled.
    """
    questions = {q.id: q for q in quiz.questions}
    fieldsets = page.locator("fieldset.question")
    expect(fieldsets.first).to_be_visible()
    for fieldset in fieldsets.all():
        name = fieldset.locator("input, textarea").first.get_attribute("name") or ""
        question = questions[name.removeprefix("answer-")]
        _answer(fieldset, question, language, words, correct=correct)


def _answer(
    fieldset: Locator, question: Question, language: str, words: Words, *, correct: bool
) -> None:
    kind = question.type
    if kind in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        right = [c for c in question.choices if c.correct]
        wrong = [c for c in question.choices if not c.correct]
        for choice in right if correct else wrong[:1]:
            label = plain(choice.text.get(language))
            fieldset.get_by_label(label, exact=True).check()
    elif kind is QuestionType.TRUE_FALSE:
        value = question.answer if correct else not question.answer
        fieldset.get_by_label(words("True") if value else words("False"), exact=True).check()
    elif kind is QuestionType.TEXT:
        accepted = question.accept.get(language, ()) + question.accept.get("*", ())
        fieldset.get_by_label(words("Your answer")).fill(accepted[0] if correct else "—")
    else:
        fieldset.get_by_label(words("Your reflection")).fill("Une réflexion. A reflection.")
