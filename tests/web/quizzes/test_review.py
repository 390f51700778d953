"""Nothing is graded before the learner sees what they answered: the review page (or the same
dialog on the attempt's page), and "Submit" or "Go back". Switching language keeps answers."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import MultiDict

from lms.accounts.models import User
from lms.db import get_session
from tests.web.conftest import MadeUser
from tests.web.quiz_helpers import EVERY_TYPE, RIGHT, attempts, post, start, text_of

ATTEMPT = f"{EVERY_TYPE}/attempts/1"
REVIEW = f"{ATTEMPT}/review"
SOME = {"answer-when-to-involve": "1", "answer-key-posture": "co-construction"}
"""Questions 1 and 4 of 5 answered."""


def review_form(page: str) -> list[tuple[str, str]]:
    """The fields the review page's form sends, hidden answers and button, as a browser would."""
    form = re.search(
        r'<form method="post" action="[^"]*/attempts/1" class="quiz-actions">.*?</form>', page, re.S
    )
    assert form, "no form to submit on the review page"
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form.group(0))
    button = re.search(r'<button type="submit" name="(action)" value="(grade)"', form.group(0))
    assert button
    return [*fields, button.groups()]


def test_submit_my_answers_shows_the_summary_and_grades_nothing(
    app: Flask, client: FlaskClient, learner: MadeUser
) -> None:
    start(client)

    response = post(client, ATTEMPT, {**SOME, "action": "review"}, page=ATTEMPT)

    assert response.status_code == 303
    assert response.headers["Location"] == REVIEW
    (attempt,) = attempts(app)
    assert attempt.submitted_at is None
    assert attempt.answers is not None
    assert attempt.answers["when-to-involve"] == 1
    page = text_of(client.get(REVIEW))
    assert "Questions answered: 2 of 5." in page
    for number in (2, 3, 5):
        assert f'<a href="{ATTEMPT}#question-{number}">Question {number}</a>' in page
    assert "#question-1" not in page
    assert "it is attempt 1 of the 2 this quiz allows" in page
    assert f'href="{ATTEMPT}">Go back to my answers</a>' in page


def test_submitting_from_the_review_grades_what_it_summed_up(
    app: Flask, client: FlaskClient, learner: MadeUser
) -> None:
    start(client)
    post(client, ATTEMPT, {**RIGHT, "action": "review"}, page=ATTEMPT)
    page = text_of(client.get(REVIEW))
    fields = review_form(page)

    response = client.post(ATTEMPT, data=MultiDict(fields))

    assert response.status_code == 303
    (attempt,) = attempts(app)
    assert attempt.submitted_at is not None
    assert attempt.passed is True
    assert attempt.score == attempt.max_score
    # The hidden answers of every type made it: two choices, text with its accent, reflection.
    assert ("answer-partner-roles", "0") in fields
    assert ("answer-partner-roles", "2") in fields
    assert ("answer-key-posture", "CO–CONSTRUCTION") in fields


def test_an_empty_submission_never_uses_an_attempt_silently(
    app: Flask, client: FlaskClient, learner: MadeUser
) -> None:
    start(client)

    for action in ("review", "submit", ""):
        response = post(client, ATTEMPT, {"action": action}, page=ATTEMPT)
        assert response.headers["Location"] == REVIEW

    (attempt,) = attempts(app)
    assert attempt.submitted_at is None
    page = text_of(client.get(REVIEW))
    assert "Questions answered: 0 of 5." in page
    assert "You have not answered any question: submitted now, this attempt scores 0." in page


def test_the_review_of_a_graded_attempt_leads_to_its_result(
    client: FlaskClient, learner: MadeUser
) -> None:
    start(client)
    post(client, ATTEMPT, {**SOME, "action": "grade"}, page=ATTEMPT)

    response = client.get(REVIEW)

    assert response.status_code == 303
    assert response.headers["Location"] == ATTEMPT


def test_the_attempt_page_offers_the_same_summary_in_a_dialog(
    client: FlaskClient, learner: MadeUser
) -> None:
    start(client)

    page = text_of(client.get(ATTEMPT))

    assert '<script src="/static/js/quiz-review.js" defer></script>' in page
    dialog = page[page.index('<dialog id="review-dialog"') : page.index("</dialog>")]
    assert 'data-count="Questions answered: {answered} of 5."' in dialog
    assert '<button type="submit" name="action" value="grade" class="button">' in dialog
    # Without the script, the form's own button asks for the review page, not for grading.
    form_buttons = page[page.index('<div class="quiz-actions">') : page.index("<dialog")]
    assert 'value="grade"' not in form_buttons


def test_switching_language_mid_attempt_keeps_the_answers(
    app: Flask, client: FlaskClient, learner: MadeUser
) -> None:
    start(client)
    page = text_of(client.get(ATTEMPT))
    assert re.search(
        r'form="attempt-form" formaction="' + ATTEMPT + '"[^>]*\n?[^>]*value="fr"', page
    )

    response = post(client, ATTEMPT, {**SOME, "switch_language": "fr"}, page=ATTEMPT)

    assert response.status_code == 303
    assert response.headers["Location"] == ATTEMPT
    assert "lang=fr" in response.headers["Set-Cookie"]
    (attempt,) = attempts(app)
    assert attempt.submitted_at is None
    french = text_of(client.get(ATTEMPT))
    assert '<html lang="fr">' in french
    assert 'value="1" checked' in french
    assert 'value="co-construction"' in french
    with app.app_context():
        user = get_session().get(User, learner.id)
        assert user is not None
        assert user.language == "fr"
