"""Partial credit through the app: the form says so, the result shows the share earned in the
reader's number format, and the attempt keeps the exact score."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from werkzeug.test import TestResponse

from lms.db import get_session
from tests.web.conftest import MadeUser
from tests.web.helpers import csrf_token
from tests.web.quiz_helpers import PARTIAL, attempts, start, take, text_of

TWO_OF_THREE = {"answer-principles": ["0", "1"], "answer-partners-paid": "true"}
"""Two of the three right boxes, and the true/false right: 1.66 of 2 points, 83 %."""


def test_the_form_says_the_question_gives_partial_credit(
    client: FlaskClient, learner: MadeUser
) -> None:
    start(client, PARTIAL)
    form = text_of(client.get(f"{PARTIAL}/attempts/1"))

    assert "Partial credit: each right answer you select earns its share" in form


def test_a_partly_right_answer_earns_its_share_and_the_attempt_keeps_it_exactly(
    app: Flask, client: FlaskClient, learner: MadeUser
) -> None:
    take(client, TWO_OF_THREE, quiz=PARTIAL)
    result = text_of(client.get(f"{PARTIAL}/attempts/1"))

    assert "Partly right</span>" in result
    assert "0.66 of 1 point" in result
    assert "1.66 / 2 (83%)" in result
    assert "Passed" in result
    (attempt,) = attempts(app)
    assert attempt.score == Decimal("1.66")
    assert attempt.passed is True
    with app.app_context():
        stored = get_session().scalar(text("SELECT score_hundredths FROM quiz_attempts"))
    assert stored == 166


def test_a_wrong_box_cancels_a_right_one(
    app: Flask, client: FlaskClient, learner: MadeUser
) -> None:
    take(client, {"answer-principles": ["0", "3"], "answer-partners-paid": "true"}, quiz=PARTIAL)
    result = text_of(client.get(f"{PARTIAL}/attempts/1"))

    assert "Wrong</span>" in result
    assert "0 of 1 point" in result
    assert "Engagement is open." in result
    assert attempts(app)[0].score == 1


def test_french_readers_read_it_in_french_with_a_decimal_comma(
    client: FlaskClient, make_user: Callable[..., MadeUser], login: Callable[..., TestResponse]
) -> None:
    make_user(email="fr@example.org", language="fr")
    login("fr@example.org")
    start(client, PARTIAL)
    form = text_of(client.get(f"{PARTIAL}/attempts/1"))
    take(client, TWO_OF_THREE, quiz=PARTIAL)
    result = text_of(client.get(f"{PARTIAL}/attempts/1"))

    assert "Points partiels\u00a0: chaque bonne réponse cochée rapporte sa part" in form

    assert "Réussie en partie</span>" in result
    assert "0,66" in result
    assert "1,66" in result


def test_the_data_export_gives_the_partial_score_as_a_number(
    client: FlaskClient, learner: MadeUser
) -> None:
    take(client, TWO_OF_THREE, quiz=PARTIAL)
    take(client, {"answer-principles": ["0", "1", "2"], "answer-partners-paid": "true"}, PARTIAL)
    page = "/accounts/my-data"
    response = client.post(f"{page}/export", data={"csrf_token": csrf_token(client, page)})

    assert response.status_code == 200
    scores = [
        (a["score"], a["max_score"])
        for a in json.loads(response.get_data(as_text=True))["quiz_attempts"]
    ]
    assert scores == [(1.66, 2), (2, 2)]
