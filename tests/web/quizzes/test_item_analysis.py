"""Quiz item analysis for authors: per question, answered, share correct, the most chosen wrong
answer, over a chosen period; reflections never shown."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from lms.accounts.categories import Role
from lms.catalog import current_catalog
from lms.db import get_session
from lms.quizzes.models import QuizAttempt
from lms.quizzes.questions import draw_questions
from lms.quizzes.snapshot import snapshot_to_json
from tests.web.conftest import MakeApp
from tests.web.learning_helpers import sign_in
from tests.web.staff_helpers import BASICS, add_user, staff_app

PAGE = "/staff/quizzes/basics/check.quiz"


@pytest.fixture
def app(make_app: MakeApp) -> Flask:
    return staff_app(make_app)


def add_attempt(app: Flask, user_id: int, number: int, at: datetime, **answers: Any) -> None:
    with app.app_context():
        course = current_catalog().course(BASICS)
        assert course is not None
        questions = draw_questions(course.quizzes["check"], random.Random(0))
        session = get_session()
        session.add(
            QuizAttempt(
                user_id=user_id,
                course_id=BASICS,
                quiz="check",
                number=number,
                content_version=course.version,
                questions=snapshot_to_json(questions),
                answers=answers,
                score=0,
                max_score=4,
                passed=False,
                started_at=at,
                submitted_at=at,
            )
        )
        session.commit()


@pytest.fixture
def attempts(app: Flask) -> None:
    lea = add_user(app, "lea@example.org", password=None)
    september, october = (
        datetime(2026, 9, 15, 14, tzinfo=UTC),
        datetime(2026, 10, 15, 14, tzinfo=UTC),
    )
    add_attempt(
        app,
        lea,
        1,
        september,
        when=2,
        roles=[0, 1],
        lived=False,
        posture="coconstruct",
        yours="Secret A",
    )
    add_attempt(
        app,
        lea,
        2,
        october,
        when=1,
        roles=[0, 2],
        lived=True,
        posture="co-construction",
        yours="Secret B",
    )
    add_attempt(app, lea, 3, october, when=1, roles=[1], lived=None, posture="", yours="")


@pytest.fixture
def staff_client(app: Flask, client: FlaskClient) -> FlaskClient:
    add_user(app, "sam@example.org", role=Role.STAFF)
    sign_in(client, "sam@example.org")
    return client


def rows(page: str) -> dict[str, list[str]]:
    """Cells of each question's row, by question id (the objectives' table left out)."""
    found = {}
    questions = page.split('id="analysis-caption"', 1)[1]
    for row in re.findall(r"<tr>\s*<th scope=\"row\">(.*?)</tr>", questions, re.S):
        question_id = re.search(r'<span class="muted">\((\w+)\)</span>', row)
        assert question_id is not None
        cells = [
            re.sub(r"\s+", " ", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        found[question_id.group(1)] = cells
    return found


def test_the_quiz_list_links_to_each_quiz(staff_client: FlaskClient) -> None:
    page = staff_client.get("/staff/quizzes/").get_data(as_text=True)

    assert f'href="{PAGE}"' in page


def test_item_analysis_over_all_attempts(staff_client: FlaskClient, attempts: None) -> None:
    page = staff_client.get(PAGE).get_data(as_text=True)

    found = rows(page)
    assert list(found) == ["when", "roles", "lived", "posture"]
    assert found["when"] == ["3", "3", "0%", "—", "0%", "Only at the end (2 times)"]
    assert found["roles"] == ["3", "3", "33%", "—", "33%", "Study subject only (2 times)"]
    assert found["lived"] == ["3", "2", "50%", "—", "50%", "False (1 time)"]
    assert found["posture"] == ["3", "2", "50%", "—", "50%", "« coconstruct » (1 time)"]
    assert "Secret" not in page  # reflections are neither counted nor shown


def test_item_analysis_groups_the_questions_by_lesson_objective(
    staff_client: FlaskClient, attempts: None
) -> None:
    page = staff_client.get(PAGE, headers={"Accept-Language": "en"}).get_data(as_text=True)
    objectives = page.split('id="objectives-caption"', 1)[1].split("</table>", 1)[0]
    found = [
        [
            " ".join(re.sub(r"<[^>]+>", " ", cell).split())
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", objectives.split("<tbody>", 1)[1], re.S)
    ]

    assert found[0][0] == "Say when partners join a project (time-partners)"
    assert found[0][1] == "1"
    assert found[1][0] == "Questions that name no objective"
    assert found[1][1] == "3"  # the reflection is never counted


def test_item_analysis_over_a_period(staff_client: FlaskClient, attempts: None) -> None:
    page = staff_client.get(f"{PAGE}?start=2026-09-01&end=2026-09-30").get_data(as_text=True)

    found = rows(page)
    assert found["when"] == ["1", "1", "0%", "—", "0%", "Never (1 time)"]
    assert 'value="2026-09-01"' in page
    empty = staff_client.get(f"{PAGE}?start=2027-01-01").get_data(as_text=True)
    assert "No attempt was submitted in this period." in empty


def test_a_bad_period_is_refused_with_a_message(staff_client: FlaskClient, attempts: None) -> None:
    reversed_period = staff_client.get(f"{PAGE}?start=2026-10-01&end=2026-09-01")
    not_a_date = staff_client.get(f"{PAGE}?start=yesterday")

    assert reversed_period.status_code == 400
    assert "comes before its start" in reversed_period.get_data(as_text=True)
    assert not_a_date.status_code == 400
    assert "Enter a date such as 2026-09-30." in not_a_date.get_data(as_text=True)


def test_an_unknown_quiz_is_404(staff_client: FlaskClient) -> None:
    assert staff_client.get("/staff/quizzes/basics/nope.quiz").status_code == 404
