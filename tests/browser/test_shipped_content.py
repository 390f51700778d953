"""axe over the shipped courses: the catalogue, every course page, every lesson of POR 101."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from lms.content import ItemKind, QuestionType, Quiz
from tests.support.apps import PROJECT

from .conftest import Serve
from .helpers import LOCALES, Words, check_accessibility, create_learner, sign_in

SWEPT_COURSE = "por-101"
"""The first course, whose lessons hold figures, tables and call-outs."""


@pytest.mark.parametrize("language", ["fr", "en"])
def test_shipped_courses_are_accessible(
    serve: Serve, new_page: Callable[..., Page], language: str
) -> None:
    server = serve(content_dir=PROJECT)
    catalog = server.catalog()
    assert SWEPT_COURSE in catalog.courses
    words = Words(server.app, language)
    email = f"reader-{language}@example.org"
    create_learner(server.app, email, language)
    page = new_page(locale=LOCALES[language])
    sign_in(page, server, words, email)

    page.goto(f"{server.url}/courses")
    expect(page.locator(".course-card")).to_have_count(len(catalog.courses))
    check_accessibility(page, f"shipped-{language}-catalogue")

    for course in catalog.courses.values():
        page.goto(f"{server.url}/courses/{course.id}")
        title = course.title.get(course.language_for(language))
        expect(page.get_by_role("heading", level=1)).to_have_text(title)
        check_accessibility(page, f"shipped-{language}-{course.id}")

    course = catalog.courses[SWEPT_COURSE]
    shown = course.language_for(language)
    for item in course.items():
        if item.kind is not ItemKind.LESSON:
            continue
        page.goto(f"{server.url}/courses/{course.id}/{item.key}")
        lesson = course.lessons[item.stem]
        expect(page.get_by_role("heading", level=1)).to_have_text(lesson.title.get(shown))
        # Every figure of the lesson has loaded: a broken image would pass axe unseen.
        for image in page.locator(".lesson-body img").all():
            expect(image).to_have_js_property("complete", True)
            assert image.evaluate("img => img.naturalWidth") > 0, image.get_attribute("src")
        check_accessibility(page, f"shipped-{language}-{course.id}-{item.key}")

    # And its quiz: the page, then an attempt's form, as drawn from the real question bank.
    quiz_item = next(item for item in course.items() if item.kind is ItemKind.QUIZ)
    page.goto(f"{server.url}/courses/{course.id}/{quiz_item.key}")
    check_accessibility(page, f"shipped-{language}-{course.id}-quiz")
    page.get_by_role("button", name=words("Start the quiz")).click()
    expect(page.locator("fieldset.question")).to_have_count(_asked(course.quizzes[quiz_item.stem]))
    check_accessibility(page, f"shipped-{language}-{course.id}-attempt")


def _asked(quiz: Quiz) -> int:
    graded = [q for q in quiz.questions if q.type is not QuestionType.REFLECTION]
    reflections = len(quiz.questions) - len(graded)
    return min(len(graded), quiz.draw or len(graded)) + reflections
