"""Quiz results: what show_answers discloses, who may see an attempt, bad input, edits."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from lms.accounts import services as accounts
from lms.db import get_session
from tests.support.databases import Databases
from tests.web.conftest import MadeUser, MakeApp
from tests.web.helpers import PASSWORD, csrf_token, submit_form
from tests.web.quiz_helpers import (
    AFTER_PASS,
    AFTER_PASS_OR_LAST,
    EVERY_TYPE,
    NEVER,
    QUIZ_CONTENT,
    RIGHT,
    attempts,
    start,
    submit,
    take,
    text_of,
)

# show_answers ----------------------------------------------------------------------------


def test_after_pass_hides_the_answers_until_a_pass_then_shows_every_attempt(
    client: FlaskClient, learner: MadeUser
) -> None:
    take(client, {"answer-partners-paid": "false"}, quiz=AFTER_PASS)
    failed = text_of(client.get(f"{AFTER_PASS}/attempts/1"))
    assert "Not passed" in failed
    assert "shown once you pass this quiz" in failed
    assert "Compensation recognises their contribution." not in failed
    assert "Correct answer" not in failed
    assert "Wrong</span>" not in failed
    assert "Your answer" in failed

    take(client, {"answer-partners-paid": "true"}, quiz=AFTER_PASS)
    passed = text_of(client.get(f"{AFTER_PASS}/attempts/2"))
    assert "Compensation recognises their contribution." in passed
    assert "Right</span>" in passed
    failed = text_of(client.get(f"{AFTER_PASS}/attempts/1"))
    assert "Compensation recognises their contribution." in failed
    assert "Correct answer" in failed


def test_after_pass_or_last_shows_mistakes_then_the_answers_after_the_last_attempt(
    client: FlaskClient, learner: MadeUser
) -> None:
    take(client, {"answer-first-step": "1"}, quiz=AFTER_PASS_OR_LAST)
    first = text_of(client.get(f"{AFTER_PASS_OR_LAST}/attempts/1"))
    assert "Wrong</span>" in first
    assert "Plan the engagement from its goals." in first
    assert "The report comes at the end." in first
    assert "Correct answer" not in first
    assert "shown once you pass this quiz or have no attempt left" in first

    take(client, {"answer-first-step": "1"}, quiz=AFTER_PASS_OR_LAST)  # the last attempt
    last = text_of(client.get(f"{AFTER_PASS_OR_LAST}/attempts/2"))
    assert "Correct answer" in last
    assert "Correct answer" in text_of(client.get(f"{AFTER_PASS_OR_LAST}/attempts/1"))


def test_never_shows_the_score_only_even_after_a_pass(
    client: FlaskClient, learner: MadeUser
) -> None:
    take(client, {"answer-best-moment": "1"}, quiz=NEVER)
    take(client, {"answer-best-moment": "0"}, quiz=NEVER)

    for number, verdict, score in ((1, "Not passed", "0 / 1"), (2, "Passed", "1 / 1")):
        page = text_of(client.get(f"{NEVER}/attempts/{number}"))
        assert verdict in page
        assert score in page
        assert "shows your score only" in page
        assert "Never shown" not in page
        assert "Correct answer" not in page
        assert "Right</span>" not in page
        assert "Wrong</span>" not in page


# Who sees what, and bad input ------------------------------------------------------------


def test_another_learners_attempt_is_not_found(
    app: Flask,
    client: FlaskClient,
    learner: MadeUser,
    make_user: Callable[..., MadeUser],
    login: Callable[..., TestResponse],
) -> None:
    take(client, RIGHT)
    client.post("/accounts/sign-out", data={"csrf_token": csrf_token(client, "/courses")})
    other = make_user(email="other@example.org", language="en")
    login(other.email)
    path = f"{EVERY_TYPE}/attempts/1"

    assert client.get(path).status_code == 404
    token = csrf_token(client, EVERY_TYPE)
    assert client.post(path, data={**RIGHT, "csrf_token": token}).status_code == 404
    (attempt,) = attempts(app)
    assert attempt.user_id == learner.id


def test_posts_without_a_csrf_token_are_refused(
    app: Flask, client: FlaskClient, learner: MadeUser
) -> None:
    assert client.post(f"{EVERY_TYPE}/attempts").status_code == 400
    assert attempts(app) == []

    start(client)
    assert client.post(f"{EVERY_TYPE}/attempts/1", data=RIGHT).status_code == 400
    (attempt,) = attempts(app)
    assert attempt.submitted_at is None


@pytest.mark.parametrize(
    "bad",
    [
        {"answer-when-to-involve": "7"},
        {"answer-when-to-involve": ["0", "1"]},
        {"answer-partner-roles": ["0", "x"]},
        {"answer-lived-experience": "maybe"},
        {"answer-key-posture": "x" * 201},
        {"answer-your-experience": "x" * 10_001},
    ],
)
def test_answers_no_form_could_send_are_refused_and_nothing_is_written(
    app: Flask, client: FlaskClient, learner: MadeUser, bad: dict[str, Any]
) -> None:
    start(client)
    response = submit(client, 1, {**RIGHT, **bad})

    assert response.status_code == 400
    assert "could not be accepted" in text_of(response)
    (attempt,) = attempts(app)
    assert (attempt.submitted_at, attempt.answers, attempt.score) == (None, None, None)
    assert client.get(f"{EVERY_TYPE}/attempts/1").status_code == 200


def test_unknown_fields_are_ignored(app: Flask, client: FlaskClient, learner: MadeUser) -> None:
    start(client)
    assert submit(client, 1, {**RIGHT, "answer-no-such-question": "1", "x": "y"}).status_code == 303
    (attempt,) = attempts(app)
    assert attempt.score == 5
    assert "no-such-question" not in attempt.answers


def test_the_attempt_shows_in_the_learners_language(
    client: FlaskClient, make_user: Callable[..., MadeUser], login: Callable[..., TestResponse]
) -> None:
    make_user(email="fr@example.org", language="fr")
    login("fr@example.org")
    start(client)
    page = text_of(client.get(f"{EVERY_TYPE}/attempts/1"))

    assert '<html lang="fr">' in page
    assert "Quand associer les patients partenaires?" in page
    assert "When should patient partners be involved?" not in page


# Records outlive edits -------------------------------------------------------------------


def test_results_show_what_was_asked_after_the_author_edits_the_quiz(
    make_app: MakeApp, tmp_path: Path, databases: Databases
) -> None:
    root = tmp_path / "content"
    shutil.copytree(QUIZ_CONTENT, root)
    database_url = databases.url("edits")
    before = make_app(content_dir=root, database_url=database_url)
    with before.app_context():
        session = get_session()
        accounts.create_user(session, "edits@example.org", PASSWORD, language="en")
        session.commit()
    credentials = {"email": "edits@example.org", "password": PASSWORD}
    taker = before.test_client()
    submit_form(taker, "/accounts/sign-in", credentials)
    take(taker, RIGHT)

    quiz_file = root / "courses" / "quiz-lab" / "every-type.quiz.yaml"
    quiz_file.write_text(
        quiz_file.read_text(encoding="utf-8").replace(
            "When should patient partners be involved?", "A new wording"
        ),
        encoding="utf-8",
    )
    # A new app reads the edited files, as a restarted server would.
    after = make_app(content_dir=root, database_url=database_url, with_schema=False)
    reader = after.test_client()
    submit_form(reader, "/accounts/sign-in", credentials)
    start(reader)
    assert "A new wording" in text_of(reader.get(f"{EVERY_TYPE}/attempts/2"))

    page = text_of(reader.get(f"{EVERY_TYPE}/attempts/1"))
    assert "When should patient partners be involved?" in page
    assert "A new wording" not in page
    assert "5 / 5" in page
