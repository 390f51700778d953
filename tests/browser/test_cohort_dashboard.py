"""Staff's cohort dashboard for the FRQ program's four shipped courses, at a laptop's 1280
pixels, in French and English: the completion matrix fits without scrolling sideways, its
course columns are named in full, the chart's labels stay inside it, axe passes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from lms.accounts import services as accounts
from lms.accounts.categories import Role
from lms.cohorts.models import Cohort, CohortMembership
from lms.db import get_session
from tests.support.apps import PROJECT
from tests.web.learning_helpers import record

from .conftest import Serve
from .helpers import (
    LOCALES,
    PASSWORD,
    Words,
    check_accessibility,
    horizontal_overflow,
    sign_in,
)

PROGRAM = "frq-por-training"
"""The certificate requiring the four shipped courses."""
MEMBERS = [
    # Long names and addresses, and every state a course cell can show.
    ("marie-ève.lavoie-bélanger@chu-sainte-justine.example.org", "Marie-Ève", "Lavoie-Bélanger"),
    ("jean-françois.côté@umontreal.example.ca", "Jean-François", "Côté"),
    ("zoe@example.org", "Zoé", "Tremblay"),
]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_completion_matrix_fits_a_laptop_screen(
    serve: Serve, new_page: Callable[..., Page], language: str
) -> None:
    server = serve(content_dir=PROJECT)
    catalog, words = server.catalog(), Words(server.app, language)
    cohort_id = _cohort_with_members(server.app)
    basics = catalog.courses["por-101"]
    for user_id, started in ((1, "por-201"), (2, "quality-improvement")):
        record(server.app, user_id, basics.id, *(item.key for item in basics.items()))
        record(server.app, user_id, started, next(catalog.courses[started].items()).key)
    for course in catalog.courses.values():  # the widest row: dates and a certificate code
        record(server.app, 3, course.id, *(item.key for item in course.items()))
    _add_staff(server.app, "sam@example.org", language)
    page = new_page(locale=LOCALES[language], width=1280, height=900)
    sign_in(page, server, words, "sam@example.org")

    page.goto(f"{server.url}/staff/cohorts/{cohort_id}")

    matrix = page.get_by_role(
        "region",
        name=words(
            "Members of %(name)s, page %(page)s of %(pages)s", name="FRQ 2026", page=1, pages=1
        ),
    )
    expect(matrix.locator("code")).to_have_count(1)  # Zoé's certificate
    sizes = matrix.evaluate("r => [r.scrollWidth, r.clientWidth]")
    assert sizes[0] <= sizes[1], f"the matrix scrolls sideways at 1280 px: {sizes}"
    assert horizontal_overflow(page) <= 0
    for course in catalog.courses.values():
        header = page.get_by_role("columnheader", name=course.title.get(language), exact=True)
        expect(header).to_have_text(course.short_title.get(language) + course.title.get(language))
        expect(header.locator("[aria-hidden=true]")).to_have_text(course.short_title.get(language))
    _chart_labels_fit(page)
    check_accessibility(page, f"cohort-dashboard-1280px-{language}")


def _chart_labels_fit(page: Page) -> None:
    """Every text of the chart lies inside the SVG's drawing, none cut at an edge."""
    # Screen boxes, which count the rotation of the axis's title, unlike getBBox().
    outside = page.locator("figure.chart svg").evaluate(
        """svg => {
          const frame = svg.getBoundingClientRect();
          return [...svg.querySelectorAll('text')]
            .map(text => [text.textContent, text.getBoundingClientRect()])
            .filter(([, box]) => box.left < frame.left || box.top < frame.top
              || box.right > frame.right || box.bottom > frame.bottom)
            .map(([text, box]) => `${text}: ${box.left - frame.left} ${box.right - frame.right}`);
        }"""
    )
    assert outside == []


def _add_staff(app: Flask, email: str, language: str) -> None:
    with app.app_context():
        session = get_session()
        accounts.create_user(session, email, PASSWORD, Role.STAFF, language, email_confirmed=True)
        session.commit()


def _cohort_with_members(app: Flask) -> int:
    """A cohort working towards the program, created today: so the chart's total sits at
    its left edge. The members' accounts are 1, 2 and 3 (named for a certificate)."""
    with app.app_context():
        session = get_session()
        cohort = Cohort(name="FRQ 2026", certificate_id=PROGRAM, due_date=date(2027, 3, 31))
        session.add(cohort)
        for email, first, last in MEMBERS:
            user = accounts.create_user(session, email, PASSWORD, email_confirmed=True)
            user.certificate_name = f"{first} {last}"
            cohort.memberships.append(
                CohortMembership(
                    email=email, user_id=user.id, first_name=first, last_name=last, sector="health"
                )
            )
        session.commit()
        return cohort.id
