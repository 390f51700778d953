"""What a learner is told once a course is complete: their certificate is ready (with the way
to it), or what it still needs: the program's other courses, or a name to print."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.certificate_helpers import (
    CERTIFICATE_CONTENT,
    PART,
    RENEWABLE,
    add_learner,
    complete_course,
    only_certificate,
)
from tests.web.conftest import MakeApp
from tests.web.learning_helpers import record, sign_in
from tests.web.quiz_helpers import take, text_of

QUIZ = "/courses/partnership-essentials/final.quiz"
RIGHT = {"answer-when-to-involve": "0", "answer-lived-experience": "true"}


@pytest.fixture
def app(make_app: MakeApp) -> Flask:
    return make_app(content_dir=CERTIFICATE_CONTENT)


def test_the_pass_that_completes_a_course_says_the_certificate_is_ready(
    make_app: MakeApp,
) -> None:
    app = make_app()  # the minimal content: its certificate needs the course's final quiz
    user_id = add_learner(app, "quiz@example.org")
    client = app.test_client()
    sign_in(client, "quiz@example.org")
    complete_course_but_the_quiz(app, user_id)

    number = take(client, RIGHT, quiz=QUIZ)
    page = text_of(client.get(f"{QUIZ}/attempts/{number}"))

    code = only_certificate(app).code
    assert "Your certificate is ready" in page
    assert "Patient partnership essentials" in page
    assert f'<a class="button" href="/certificates#certificate-{code}">' in page
    assert page.index("Your certificate is ready") < page.index('id="answers"')
    assert '<a class="button" href="#answers">Review my answers</a>' in page
    assert "Try again" not in page


def complete_course_but_the_quiz(app: Flask, user_id: int) -> None:
    record(app, user_id, "partnership-essentials", "welcome", "first-steps")


def test_a_pass_before_the_course_is_complete_leads_on_through_it(make_app: MakeApp) -> None:
    app = make_app()
    add_learner(app, "early@example.org")
    client = app.test_client()
    sign_in(client, "early@example.org")

    number = take(client, RIGHT, quiz=QUIZ)
    page = text_of(client.get(f"{QUIZ}/attempts/{number}"))

    assert "notice-certificate" not in page
    assert 'href="/courses/partnership-essentials/welcome">Continue the course</a>' in page
    assert '<a class="button" href="#answers">Review my answers</a>' in page


def test_a_program_course_names_the_other_courses_its_certificate_needs(
    app: Flask, client: FlaskClient
) -> None:
    user_id = add_learner(app)
    sign_in(client, "lea@example.org")
    complete_course(app, user_id, RENEWABLE)

    page = text_of(client.get(f"/courses/{RENEWABLE}"))

    # The course's own certificate, issued; the program's, waiting for its other course.
    assert "Your certificate is ready" in page
    toward = page[page.index("Toward the certificate") :]
    assert "Complementary training in patient-oriented research" in toward
    assert "It also requires this course:" in toward
    assert f'<a href="/courses/{PART}">Program part two</a>' in toward


def test_without_a_name_the_course_page_asks_for_it(app: Flask, client: FlaskClient) -> None:
    user_id = add_learner(app, name=None)
    sign_in(client, "lea@example.org")
    complete_course(app, user_id, RENEWABLE)

    page = text_of(client.get(f"/courses/{RENEWABLE}"))

    assert "Your certificate waits for your name" in page
    assert '<a class="button" href="/accounts/profile">Add my name to my profile</a>' in page
