"""Staff see that the course files have errors on every page, follow the banner to the list
of errors with what learners are served instead; learners see none of it. French and
English, checked with axe."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from lms.accounts.categories import Role
from tests.support.apps import FIXTURE_CONTENT
from tests.web.certificate_helpers import add_learner

from .conftest import Serve
from .helpers import LOCALES, Words, check_accessibility, sign_in

QUIZ = "courses/partnership-essentials/final.quiz.yaml"
TITLE = {"fr": "L’essentiel du partenariat patient", "en": "Patient partnership essentials"}


def break_quiz(content: Path) -> None:
    quiz = content / QUIZ
    text = quiz.read_text(encoding="utf-8")
    quiz.write_text(re.sub(r"pass_mark: \d+", "pass_mark: 800", text), encoding="utf-8")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_staff_follow_the_banner_to_the_errors_and_learners_see_no_banner(
    serve: Serve, new_page: Callable[..., Page], tmp_path: Path, language: str
) -> None:
    content, instance = tmp_path / "content", tmp_path / "instance"
    shutil.copytree(FIXTURE_CONTENT, content)
    # A first start keeps the good version, which the restart on broken files serves.
    serve(content_dir=content, instance_dir=instance)
    break_quiz(content)
    server = serve(content_dir=content, instance_dir=instance)
    app, words = server.app, Words(server.app, language)
    add_learner(app, "sam@example.org", role=Role.STAFF, language=language)
    add_learner(app, "lea@example.org", language=language)

    learner = new_page(locale=LOCALES[language])
    sign_in(learner, server, words, "lea@example.org")
    learner.goto(f"{server.url}/courses/partnership-essentials")
    expect(learner.get_by_role("heading", level=1)).to_have_text(TITLE[language])
    expect(learner.locator(".notice-content-errors")).to_have_count(0)

    page = new_page(locale=LOCALES[language])
    sign_in(page, server, words, "sam@example.org")
    page.goto(f"{server.url}/courses")
    banner = page.locator(".notice-content-errors")
    expect(banner).to_contain_text(
        words.plural(
            "The course files have %(num)s error", "The course files have %(num)s errors", 1
        )
    )
    check_accessibility(page, f"content-problems-banner-{language}")
    banner.get_by_role("link", name=words("See the errors and how to fix them")).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(words("Errors in the course files"))
    expect(page.locator(".problem-list li")).to_have_text(
        re.compile(rf"^{re.escape(QUIZ)}:\d+:\d+: 'pass_mark' must be between 0 and 100")
    )
    served = page.get_by_role("heading", name=words("What learners are served"))
    expect(served).to_be_visible()
    expect(page.get_by_text(TITLE[language] + " (courses/partnership-essentials)")).to_be_visible()
    expect(page.get_by_text("lms courses check")).to_be_visible()
    check_accessibility(page, f"content-problems-page-{language}")
