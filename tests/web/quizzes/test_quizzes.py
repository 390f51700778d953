"""Quiz pages: starting, resuming and submitting attempts, and the attempt limit."""

from __future__ import annotations

import re

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from sqlalchemy import select

from lms.catalog import catalog_store
from lms.db import get_session, utcnow
from lms.learning.models import Enrolment, ItemCompletion
from tests.web.conftest import MadeUser
from tests.web.helpers import csrf_token
from tests.web.quiz_helpers import (
    AFTER_PASS,
    CHECK,
    DRAWN,
    EVERY_TYPE,
    HIDDEN_BEFORE_SUBMIT,
    NEVER,
    RIGHT,
    attempts,
    post,
    questions_section,
    start,
    submit,
    take,
    text_of,
)

# Addresses and access --------------------------------------------------------------------


def test_quiz_urls_sit_beside_lessons_without_clashing(app: Flask) -> None:
    with app.test_request_context():
        assert url_for("quizzes.quiz", course_id="x", item="final.quiz") == "/courses/x/final.quiz"
        assert url_for("learning.lesson", course_id="x", item="intro") == "/courses/x/intro"


def test_quiz_pages_need_signing_in(client: FlaskClient) -> None:
    response = client.get(EVERY_TYPE)
    assert response.status_code == 302
    assert "/accounts/sign-in" in response.headers["Location"]


def test_unknown_quizzes_and_attempts_are_not_found(client: FlaskClient, learner: MadeUser) -> None:
    for path in (
        "/courses/quiz-lab/nothing.quiz",
        "/courses/no-such-course/every-type.quiz",
        f"{EVERY_TYPE}/attempts/1",
        f"{EVERY_TYPE}/attempts/0",
        f"{EVERY_TYPE}/attempts/99999999999999999999999",
        f"{EVERY_TYPE}/attempts/-1",
    ):
        assert client.get(path).status_code == 404, path


def test_start_address_refuses_get(client: FlaskClient, learner: MadeUser) -> None:
    assert client.get(f"{EVERY_TYPE}/attempts").status_code == 405


def test_opening_a_quiz_keeps_the_learners_place(
    app: Flask, client: FlaskClient, learner: MadeUser
) -> None:
    assert client.get(NEVER).status_code == 200
    with app.app_context():
        enrolment = get_session().scalars(select(Enrolment)).one()
        assert (enrolment.course_id, enrolment.last_item) == ("quiz-lab", "never.quiz")


def test_quiz_page_states_the_rules(client: FlaskClient, learner: MadeUser) -> None:
    page = text_of(client.get(EVERY_TYPE))

    assert "<h1>Every type</h1>" in page
    assert "80% of the points" in page
    assert "4 questions per attempt, plus 1 reflection, not graded" in page
    assert "0 of 2 used" in page
    assert "2 left" in page
    assert "Start the quiz" in page


# Starting, drawing, resuming -------------------------------------------------------------


def test_start_fixes_the_questions_and_their_order(
    app: Flask, client: FlaskClient, learner: MadeUser
) -> None:
    response = start(client, DRAWN)
    assert response.status_code == 303
    assert response.headers["Location"] == f"{DRAWN}/attempts/1"

    first = questions_section(text_of(client.get(f"{DRAWN}/attempts/1")))
    assert questions_section(text_of(client.get(f"{DRAWN}/attempts/1"))) == first
    # Starting again resumes the same attempt rather than drawing anew.
    assert start(client, DRAWN).headers["Location"] == f"{DRAWN}/attempts/1"
    assert questions_section(text_of(client.get(f"{DRAWN}/attempts/1"))) == first

    (attempt,) = attempts(app)
    prompts = re.findall(r"Drawn question (\d)", first)
    assert [f"drawn-{n}" for n in prompts] == [q["id"] for q in attempt.questions[:3]]
    choices = re.findall(r"(Right|Wrong) (\d)( [ABC])?</label>", first)
    shown = [q["choices"] for q in attempt.questions[:3]]
    assert len(choices) == 12
    assert [c["text"]["en"] for group in shown for c in group] == [
        f"{kind} {n}{letter}" for kind, n, letter in choices
    ]


def test_draw_asks_that_many_graded_questions_and_every_reflection(
    app: Flask, client: FlaskClient, learner: MadeUser
) -> None:
    start(client, DRAWN)
    page = text_of(client.get(f"{DRAWN}/attempts/1"))

    assert len(set(re.findall(r"Drawn question \d", page))) == 3
    assert page.count("Always asked reflection") == 1
    (attempt,) = attempts(app)
    assert [q["type"] for q in attempt.questions] == ["single"] * 3 + ["reflection"]


def test_saved_answers_come_back_when_the_attempt_resumes(
    app: Flask, client: FlaskClient, learner: MadeUser
) -> None:
    start(client)
    saved = {k: v for k, v in RIGHT.items() if k != "answer-lived-experience"}
    path = f"{EVERY_TYPE}/attempts/1"
    response = post(client, path, {**saved, "action": "save"}, page=path)

    assert response.status_code == 303
    assert response.headers["Location"] == EVERY_TYPE
    quiz_page = text_of(client.get(EVERY_TYPE))
    assert "Your answers are saved." in quiz_page
    assert "Resume attempt 1" in quiz_page
    (attempt,) = attempts(app)
    assert attempt.submitted_at is None
    assert attempt.score is None

    page = text_of(client.get(path))
    assert 'value="1" checked' in page
    assert 'id="answer-partner-roles-0" value="0" checked' in page
    assert 'id="answer-partner-roles-2" value="2" checked' in page
    assert 'value="true" checked' not in page
    assert 'value="CO–CONSTRUCTION"' in page
    assert "My years of living with diabetes.\nAnd patience.</textarea>" in page


# Nothing of the answers before submission ------------------------------------------------


@pytest.mark.parametrize("quiz", [EVERY_TYPE, NEVER, AFTER_PASS, DRAWN])
def test_the_unsubmitted_attempt_page_holds_no_answer(
    client: FlaskClient, learner: MadeUser, quiz: str
) -> None:
    start(client, quiz)
    page = text_of(client.get(f"{quiz}/attempts/1"))

    assert "<fieldset" in page
    for hidden in (*HIDDEN_BEFORE_SUBMIT, "Never shown", "Compensation recognises"):
        assert hidden not in page
    # No flag, class or attribute naming the right choice either.
    form = questions_section(page).lower()
    for word in ("correct", "feedback", "explanation", "accept"):
        assert word not in form


def test_the_form_labels_every_input(client: FlaskClient, learner: MadeUser) -> None:
    start(client)
    page = text_of(client.get(f"{EVERY_TYPE}/attempts/1"))

    assert page.count("<fieldset") == page.count("<legend>") == 5
    ids = re.findall(r'<(?:input|textarea) [^>]*id="([^"]+)"', page)
    assert len(ids) == 2 + 3 + 2 + 1 + 1
    for input_id in ids:
        assert f'<label for="{input_id}"' in page


# Submitting ------------------------------------------------------------------------------


def test_submit_grades_and_stores_what_was_asked_and_answered(
    app: Flask, client: FlaskClient, learner: MadeUser
) -> None:
    start(client)
    response = submit(client, 1, RIGHT)

    assert response.status_code == 303
    assert response.headers["Location"] == f"{EVERY_TYPE}/attempts/1"
    (attempt,) = attempts(app)
    assert (attempt.score, attempt.max_score, attempt.passed) == (5, 5, True)
    assert attempt.submitted_at is not None
    assert attempt.content_version == catalog_store(app).catalog.courses["quiz-lab"].version
    assert attempt.answers == {
        "when-to-involve": 1,
        "partner-roles": [0, 2],
        "lived-experience": True,
        "key-posture": "CO–CONSTRUCTION",
        "your-experience": "My years of living with diabetes.\nAnd patience.",
    }
    first = attempt.questions[0]
    assert first["prompt"]["fr"] == "Quand associer les patients partenaires?"
    assert [c["correct"] for c in first["choices"]] == [False, True]
    assert first["explanation"]["en"] == "Partners shape the research question itself."
    assert attempt.questions[3]["accept"]["fr"] == ["co-construction", "coconstruction"]

    page = text_of(client.get(response.headers["Location"]))
    assert "You passed this quiz." in page
    assert "Passed" in page
    assert "5 / 5" in page
    assert "100%" in page
    assert "Right: from the very first step." in page  # feedback on the choice picked
    assert "Too late to shape the question." not in page  # a choice not picked
    assert "Partners shape the research question itself." in page
    assert "My years of living with diabetes.<br>And patience." in page


def test_a_wrong_attempt_shows_the_correct_answers_after_submit(
    app: Flask, client: FlaskClient, learner: MadeUser
) -> None:
    take(client, {"answer-when-to-involve": "0", "answer-key-posture": "partnership"})

    (attempt,) = attempts(app)
    assert (attempt.score, attempt.max_score, attempt.passed) == (0, 5, False)
    page = text_of(client.get(f"{EVERY_TYPE}/attempts/1"))
    assert "Not passed" in page
    assert "0 / 5" in page
    assert "Too late to shape the question." in page
    assert "Correct answer" in page
    assert "co-construction · coconstruction" not in page  # the English accepted answers
    assert "co-construction" in page
    assert "You did not answer this question." in page
    assert page.count("Wrong</span>") == 4


def test_passing_records_the_completion_through_learning(
    app: Flask, client: FlaskClient, learner: MadeUser
) -> None:
    take(client, {"answer-when-to-involve": "1"})
    with app.app_context():
        assert get_session().scalars(select(ItemCompletion)).all() == []

    take(client, RIGHT)
    with app.app_context():
        (done,) = get_session().scalars(select(ItemCompletion)).all()
        assert (done.user_id, done.course_id, done.item) == (
            learner.id,
            "quiz-lab",
            "every-type.quiz",
        )


def test_passing_the_last_item_completes_the_course(
    app: Flask, client: FlaskClient, learner: MadeUser
) -> None:
    with app.app_context():
        session = get_session()
        session.add(Enrolment(user_id=learner.id, course_id="quiz-lab", completed_at=utcnow()))
        session.commit()

    response = take(client, {"answer-ready": "true"}, quiz=CHECK)

    assert response == 1
    page = text_of(client.get(f"{CHECK}/attempts/1"))
    assert "you passed this quiz and completed the course" in page
    with app.app_context():
        enrolment = (
            get_session().scalars(select(Enrolment).where(Enrolment.course_id == "quiz-next")).one()
        )
        assert enrolment.completed_at is not None


def test_a_course_locked_by_a_prerequisite_refuses_its_quiz(
    app: Flask, client: FlaskClient, learner: MadeUser
) -> None:
    assert client.get(CHECK).status_code == 403
    token = csrf_token(client, "/courses")
    assert client.post(f"{CHECK}/attempts", data={"csrf_token": token}).status_code == 403
    assert attempts(app) == []


def test_submitting_twice_grades_once(app: Flask, client: FlaskClient, learner: MadeUser) -> None:
    start(client)
    path = f"{EVERY_TYPE}/attempts/1"
    token = csrf_token(client, path)
    submit(client, 1, RIGHT)

    again = client.post(path, data={"answer-when-to-involve": "0", "csrf_token": token})

    assert again.status_code == 303
    assert again.headers["Location"] == path
    assert "already submitted" in text_of(client.get(path))
    (attempt,) = attempts(app)
    assert (attempt.score, attempt.answers["when-to-involve"]) == (5, 1)


# Attempts and their limit ----------------------------------------------------------------


def test_the_attempt_limit_refuses_one_more(
    app: Flask, client: FlaskClient, learner: MadeUser
) -> None:
    take(client, {})
    page = text_of(client.get(f"{EVERY_TYPE}/attempts/1"))
    assert "1 of 2 used" in page
    assert "1 left" in page
    assert "Try again" in page

    take(client, {})
    quiz_page = text_of(client.get(EVERY_TYPE))
    assert "2 of 2 used" in quiz_page
    assert "0 left" in quiz_page
    assert "You have used the 2 attempts this quiz allows without reaching the pass mark." in (
        quiz_page
    )
    # No LMS_CONTACT_EMAIL here: the page still says where to turn.
    assert "mailto:" not in quiz_page
    assert "Ask the program’s team, who can see your record." in quiz_page
    assert "Start" not in quiz_page
    assert "Try again" not in text_of(client.get(f"{EVERY_TYPE}/attempts/2"))

    response = post(client, f"{EVERY_TYPE}/attempts", {}, page=EVERY_TYPE)
    assert response.status_code == 409
    assert "You have used every attempt this quiz allows." in text_of(response)
    assert len(attempts(app)) == 2


def test_previous_attempts_are_listed_with_score_and_date(
    client: FlaskClient, learner: MadeUser
) -> None:
    take(client, {"answer-when-to-involve": "1"})
    page = text_of(client.get(EVERY_TYPE))

    assert "Attempt 1" in page
    assert "2 / 5" in page
    assert "40%" in page
    assert "Not passed" in page
    assert re.search(r"<td>\w{3} \d{1,2}, \d{4}", page)
