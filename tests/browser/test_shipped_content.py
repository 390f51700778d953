"""axe over the shipped courses: the home page, the catalogue, every course page, every lesson
of every course (with its objectives, sources and resources), POR 101's quiz, a fellow's
program on the dashboard, and a resource downloaded as the learner gets it."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from lms.accounts.models import User
from lms.catalog import current_catalog
from lms.cohorts.models import Cohort, CohortMembership
from lms.content import ItemKind, QuestionType, Quiz
from lms.db import get_session
from lms.learning import services as learning
from tests.support.apps import PROJECT

from .conftest import Serve
from .helpers import LOCALES, Words, check_accessibility, create_learner, sign_in

SWEPT_COURSE = "por-101"
"""The first course, whose quiz is opened and started."""
LANGUAGE = {"fr": "Français", "en": "English"}
"""How the resource lists name each language (in itself)."""


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

    _complete(server.app, email, SWEPT_COURSE)  # Module 101 opens the others
    # Every lesson of every course: objectives, figures, tables, call-outs, citations and
    # their source list, resources to take away.
    for swept in catalog.courses.values():
        shown = swept.language_for(language)
        for item in swept.items():
            if item.kind is not ItemKind.LESSON:
                continue
            page.goto(f"{server.url}/courses/{swept.id}/{item.key}")
            lesson = swept.lessons[item.stem]
            expect(page.get_by_role("heading", level=1)).to_have_text(lesson.title.get(shown))
            expect(page.locator("section.sources li").first).to_be_visible()
            # Every figure of the lesson has loaded: a broken image would pass axe unseen.
            for image in page.locator(".lesson-body img").all():
                expect(image).to_have_js_property("complete", True)
                assert image.evaluate("img => img.naturalWidth") > 0, image.get_attribute("src")
            check_accessibility(page, f"shipped-{language}-{swept.id}-{item.key}")

    # A resource as the learner gets it: the PDF of a lesson's template, in their language.
    page.goto(f"{server.url}/courses/por-201/terms-of-reference")
    offered = page.locator("section.resources li").filter(has_text=f"({LANGUAGE[language]})")
    link = offered.first.get_by_role("link", name=re.compile(r"\(PDF\)"))
    download = page.request.get(f"{server.url}{link.get_attribute('href')}")
    assert download.status == 200
    assert download.headers["content-type"] == "application/pdf"
    assert download.body().startswith(b"%PDF-")
    course = catalog.courses[SWEPT_COURSE]

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


def _complete(app: Flask, email: str, course_id: str) -> None:
    """Every item of ``course_id`` done by ``email``, as if they had taken it."""
    with app.app_context():
        session = get_session()
        user = session.scalars(select(User).where(User.email == email)).one()
        course = current_catalog().courses[course_id]
        for item in course.items():
            learning.record_item_completed(session, user, course, item.key)
        session.commit()
