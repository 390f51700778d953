"""Failing a quiz as often as it allows is never a dead end: the quiz, the course page and the
dashboard say so, name who can help, and stop offering "Continue" back to the closed quiz."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.conftest import MadeUser, MakeApp
from tests.web.quiz_helpers import EVERY_TYPE, QUIZ_CONTENT, RIGHT, take, text_of

CONTACT = "formation@parcours.example.org"
COURSE = "/courses/quiz-lab"
WRONG = {"answer-when-to-involve": "0"}
"""One answer, wrong: 0 of 5 points, under the pass mark of 80 %."""


@pytest.fixture
def app(make_app: MakeApp) -> Flask:
    return make_app(content_dir=QUIZ_CONTENT, contact_email=CONTACT)


def fail_every_attempt(client: FlaskClient) -> None:
    take(client, WRONG)  # every-type.quiz allows 2 attempts
    take(client, WRONG)


def continue_links(page: str) -> list[str]:
    return re.findall(r'<a class="button" href="([^"]+)"[^>]*>Continue where you left off', page)


def test_the_quiz_says_no_attempt_is_left_and_who_can_grant_one(
    client: FlaskClient, learner: MadeUser
) -> None:
    fail_every_attempt(client)

    page = text_of(client.get(EVERY_TYPE))

    assert "No attempt left" in page
    assert "You have used the 2 attempts this quiz allows without reaching the pass mark." in page
    assert f'<a href="mailto:{CONTACT}">{CONTACT}</a>' in page
    assert f'href="{COURSE}"' in page
    assert "Start a new attempt" not in page


def test_the_last_failed_result_offers_help_not_try_again(
    client: FlaskClient, learner: MadeUser
) -> None:
    take(client, WRONG)
    first = text_of(client.get(f"{EVERY_TYPE}/attempts/1"))
    assert "Try again" in first
    assert "No attempt left" not in first

    take(client, WRONG)
    last = text_of(client.get(f"{EVERY_TYPE}/attempts/2"))

    assert "No attempt left" in last
    assert "Try again" not in last
    assert f"mailto:{CONTACT}" in last


def test_the_course_page_names_the_closed_quiz_and_continues_elsewhere(
    client: FlaskClient, learner: MadeUser
) -> None:
    fail_every_attempt(client)

    page = text_of(client.get(COURSE))

    notice = page[page.index("No attempt left at a quiz") :]
    assert f'<a href="{EVERY_TYPE}">Every type</a>' in notice
    assert f"mailto:{CONTACT}" in notice
    # Other items are still to do: "Continue" leads to one of them, never to the closed quiz.
    assert continue_links(page)
    assert EVERY_TYPE not in continue_links(page)
    assert "No attempt left</span>" in page  # the outline marks the quiz's state in words


def test_the_dashboard_says_so_and_links_to_the_quiz(
    client: FlaskClient, learner: MadeUser
) -> None:
    fail_every_attempt(client)

    page = text_of(client.get("/dashboard"))

    assert "You have used every attempt at one of its quizzes." in page
    assert f"mailto:{CONTACT}" in page
    assert f'<a href="{EVERY_TYPE}"' in page
    assert EVERY_TYPE not in continue_links(page)


def test_a_pass_at_the_last_attempt_closes_nothing(client: FlaskClient, learner: MadeUser) -> None:
    take(client, WRONG)
    take(client, RIGHT)

    assert "No attempt left" not in text_of(client.get(EVERY_TYPE))
    assert "No attempt left" not in text_of(client.get(COURSE))
    assert "every attempt at one of its quizzes" not in text_of(client.get("/dashboard"))
