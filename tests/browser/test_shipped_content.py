"""axe over the shipped courses: the home page, the catalogue, every course page, every lesson
of POR 101, and a fellow's program on the dashboard."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from lms.accounts.models import User
from lms.cohorts.models import Cohort, CohortMembership
from lms.content import ItemKind, QuestionType, Quiz
from lms.db import get_session
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
    _join_cohort(server.app, email)
    page = new_page(locale=LOCALES[language])
    page.goto(server.url)
    expect(page.locator("#program-1")).to_have_text(words("A program certificate for FRQ fellows"))
    check_accessibility(page, f"shipped-{language}-home")
    sign_in(page, server, words, email)
    expect(page.get_by_role("heading", level=2, name=re.compile("FRQ 2026"))).to_be_visible()
    check_accessibility(page, f"shipped-{language}-dashboard-program")

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


def _join_cohort(app: Flask, email: str) -> None:
    """``email``'s account on the roster of a cohort working towards the FRQ program."""
    with app.app_context():
        session = get_session()
        user = session.scalars(select(User).where(User.email == email)).one()
        cohort = Cohort(
            name="FRQ 2026", certificate_id="frq-por-training", due_date=date(2027, 3, 31)
        )
        cohort.memberships.append(CohortMembership(email=email, user_id=user.id))
        session.add(cohort)
        session.commit()
