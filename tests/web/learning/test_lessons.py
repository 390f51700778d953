"""Lesson pages: content, previous and next, "mark as complete", place kept, language, files."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from lms.db import get_session
from lms.learning.models import Enrolment, ItemCompletion
from tests.web.conftest import MadeUser, MakeApp
from tests.web.helpers import csrf_token, submit_form
from tests.web.learning_helpers import (
    BASICS,
    RESEARCH,
    continue_link,
    learning_app,
    progress_bar,
    quiz_url,
    record,
    sign_in,
)

WELCOME = f"/courses/{BASICS}/welcome"
FIRST_STEPS = f"/courses/{BASICS}/first-steps"


@pytest.fixture
def app(make_app: MakeApp) -> Flask:
    return learning_app(make_app)


@pytest.fixture
def learner(make_user: Callable[..., MadeUser], login: Callable[..., TestResponse]) -> MadeUser:
    """A signed-in learner who reads the interface in English."""
    user = make_user(email="ana@example.org", language="en")
    login(user.email)
    return user


def completions(app: Flask, user_id: int) -> list[str]:
    with app.app_context():
        rows = get_session().scalars(
            select(ItemCompletion.item)
            .where(ItemCompletion.user_id == user_id)
            .order_by(ItemCompletion.id)
        )
        return list(rows)


def mark_complete(client: FlaskClient, lesson: str) -> TestResponse:
    return submit_form(client, f"{lesson}/complete", {}, page=lesson)


def test_lesson_page_shows_the_lesson_with_its_place_in_the_course(
    client: FlaskClient, learner: MadeUser
) -> None:
    response = client.get(WELCOME)
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert "<title>Welcome – Patient partnership basics – Parcours</title>" in page
    assert '<article class="lesson">' in page
    assert "<h1>Welcome</h1>" in page
    assert '<img src="assets/media/diagram.svg" alt="The partnership diagram" />' in page
    assert '<a href="first-steps">first steps</a>' in page
    assert f'<li><a href="/courses/{BASICS}">Patient partnership basics</a></li>' in page
    assert '<span aria-current="page">Welcome</span>' in page
    assert progress_bar(page, "course-progress") == ("0", "0%")
    assert 'rel="prev"' not in page
    assert f'<a href="{FIRST_STEPS}" rel="next">' in page
    assert f'<form method="post" action="{WELCOME}/complete">' in page
    assert "Mark as complete and continue" in page


def test_a_lesson_page_lists_its_objectives_in_the_content_language(
    client: FlaskClient, learner: MadeUser
) -> None:
    english = client.get(WELCOME).get_data(as_text=True)
    client.set_cookie("lang", "fr")
    submit_form(client, "/accounts/language", {"language": "fr"}, page=WELCOME)
    french = client.get(WELCOME).get_data(as_text=True)

    assert "By the end of this lesson, you will be able to:" in english
    assert "<li>Recognise lived experience as knowledge</li>" in english
    assert "À la fin de cette leçon, vous pourrez\u00a0:" in french
    assert "<li>Reconnaître le vécu comme un savoir</li>" in french


def test_previous_and_next_cross_into_the_quiz(
    app: Flask, client: FlaskClient, learner: MadeUser
) -> None:
    page = client.get(FIRST_STEPS).get_data(as_text=True)

    assert '<nav class="lesson-nav" aria-label="Previous and next">' in page
    assert f'<a href="{WELCOME}" rel="prev">' in page
    assert f'<a href="{quiz_url(app, BASICS, "final.quiz")}" rel="next">' in page
    assert "<span>Final quiz</span>" in page


def test_mark_as_complete_records_once_and_moves_on(
    app: Flask, client: FlaskClient, learner: MadeUser
) -> None:
    response = mark_complete(client, WELCOME)
    assert response.status_code == 302
    assert response.headers["Location"] == FIRST_STEPS
    assert "Lesson marked as complete." in client.get(FIRST_STEPS).get_data(as_text=True)

    # A second submission (a double click, a reload) changes nothing.
    response = client.post(
        f"{WELCOME}/complete", data={"csrf_token": csrf_token(client, FIRST_STEPS)}
    )
    assert response.status_code == 302
    assert completions(app, learner.id) == ["welcome"]

    page = client.get(WELCOME).get_data(as_text=True)
    assert "You have completed this lesson." in page
    assert f'action="{WELCOME}/complete"' not in page
    assert progress_bar(page, "course-progress") == ("33", "33%")


def test_completing_the_last_lesson_before_a_quiz_leads_to_the_quiz(
    app: Flask, client: FlaskClient, learner: MadeUser
) -> None:
    response = mark_complete(client, FIRST_STEPS)
    assert response.headers["Location"] == quiz_url(app, BASICS, "final.quiz")


def test_completing_the_last_item_completes_the_course(
    app: Flask, client: FlaskClient, learner: MadeUser
) -> None:
    record(app, learner.id, BASICS, "welcome", "first-steps", "final.quiz")
    roles = f"/courses/{RESEARCH}/roles"
    assert "Mark as complete</button>" in client.get(roles).get_data(as_text=True)
    mark_complete(client, f"/courses/{RESEARCH}/introduction")

    response = mark_complete(client, roles)

    assert response.headers["Location"] == f"/courses/{RESEARCH}"
    page = client.get(f"/courses/{RESEARCH}").get_data(as_text=True)
    assert "Congratulations: you have completed this course!" in page
    with app.app_context():
        enrolment = (
            get_session().scalars(select(Enrolment).where(Enrolment.course_id == RESEARCH)).one()
        )
        assert enrolment.completed_at is not None


def test_marking_without_a_csrf_token_is_refused(
    app: Flask, client: FlaskClient, learner: MadeUser
) -> None:
    client.get(WELCOME)

    assert client.post(f"{WELCOME}/complete").status_code == 400
    forged = client.post(f"{WELCOME}/complete", data={"csrf_token": "forged.token.value"})
    assert forged.status_code == 400
    assert completions(app, learner.id) == []


def test_marking_a_lesson_of_a_locked_course_is_refused(
    app: Flask, client: FlaskClient, learner: MadeUser
) -> None:
    response = client.post(
        f"/courses/{RESEARCH}/introduction/complete",
        data={"csrf_token": csrf_token(client, "/courses")},
    )
    assert response.status_code == 403
    assert completions(app, learner.id) == []


@pytest.mark.parametrize("path", [f"/courses/{BASICS}/no-such-lesson", "/courses/nope/welcome"])
def test_marking_an_unknown_lesson_is_not_found(
    app: Flask, client: FlaskClient, learner: MadeUser, path: str
) -> None:
    response = client.post(f"{path}/complete", data={"csrf_token": csrf_token(client, "/courses")})
    assert response.status_code == 404
    assert completions(app, learner.id) == []


def test_a_quiz_cannot_be_marked_complete(
    app: Flask, client: FlaskClient, learner: MadeUser
) -> None:
    # Quiz keys never reach the lesson routes: a quiz is completed only by passing it.
    token = csrf_token(client, "/courses")
    response = client.post(f"/courses/{BASICS}/final.quiz/complete", data={"csrf_token": token})
    assert response.status_code in (404, 405)
    assert completions(app, learner.id) == []


def test_a_visitor_cannot_mark_a_lesson(app: Flask, client: FlaskClient) -> None:
    response = client.post(
        f"{WELCOME}/complete", data={"csrf_token": csrf_token(client, "/courses")}
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/sign-in")


def test_the_last_position_follows_the_learner_to_another_device(
    app: Flask, client: FlaskClient, learner: MadeUser
) -> None:
    client.get(FIRST_STEPS)

    other_device = app.test_client()
    sign_in(other_device, learner.email)
    page = other_device.get(f"/courses/{BASICS}").get_data(as_text=True)

    assert continue_link(page) == (FIRST_STEPS, "Continue where you left off")
    dashboard = other_device.get("/dashboard").get_data(as_text=True)
    assert f'<a class="button" href="{FIRST_STEPS}"' in dashboard


def test_the_language_switch_returns_to_the_same_lesson(
    client: FlaskClient, learner: MadeUser
) -> None:
    page = client.get(WELCOME).get_data(as_text=True)
    assert f'<input type="hidden" name="next" value="{WELCOME}">' in page
    assert "<h1>Welcome</h1>" in page

    response = submit_form(
        client, "/accounts/language", {"language": "fr", "next": WELCOME}, page=WELCOME
    )

    assert response.status_code == 302
    assert response.headers["Location"] == WELCOME
    page = client.get(WELCOME).get_data(as_text=True)
    assert '<html lang="fr">' in page
    assert "<h1>Bienvenue</h1>" in page
    assert '<a href="first-steps">premiers pas</a>' in page


def test_a_course_without_the_interface_language_shows_its_own_marked_with_lang(
    app: Flask,
    client: FlaskClient,
    make_user: Callable[..., MadeUser],
    login: Callable[..., TestResponse],
) -> None:
    english = make_user(email="en@example.org", language="en")
    record(app, english.id, BASICS, "welcome", "first-steps", "final.quiz")
    login(english.email)

    page = client.get(f"/courses/{RESEARCH}/introduction").get_data(as_text=True)

    assert '<html lang="en">' in page
    assert '<article class="lesson" lang="fr">' in page
    assert "Un projet de recherche gagne" in page
    assert '<span lang="fr">Les rôles</span>' in page  # the next lesson's title
    assert "Mark as complete and continue" in page  # the interface stays in English


def test_content_in_the_pages_language_has_no_extra_lang(
    app: Flask,
    client: FlaskClient,
    make_user: Callable[..., MadeUser],
    login: Callable[..., TestResponse],
) -> None:
    french = make_user(email="fr@example.org", language="fr")
    login(french.email)

    page = client.get(WELCOME).get_data(as_text=True)

    assert '<html lang="fr">' in page
    assert '<article class="lesson">' in page
    assert "<h1>Bienvenue</h1>" in page


def test_listed_lesson_files_are_served_with_caching_headers(client: FlaskClient) -> None:
    # Files are streamed: closing the response closes the file, as a WSGI server does.
    with client.get(f"/courses/{BASICS}/assets/media/diagram.svg") as response:
        assert response.status_code == 200
        assert response.mimetype == "image/svg+xml"
        assert response.data.startswith(b"<svg")
        assert response.cache_control.public
        assert response.cache_control.max_age == 3600
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response.headers["Content-Security-Policy"]
        etag = response.headers["ETag"]

    with client.get(
        f"/courses/{BASICS}/assets/media/diagram.svg", headers={"If-None-Match": etag}
    ) as again:
        assert again.status_code == 304


@pytest.mark.parametrize(
    "path",
    [
        f"/courses/{BASICS}/assets/final.quiz.yaml",
        f"/courses/{BASICS}/assets/course.yaml",
        f"/courses/{BASICS}/assets/welcome.md",
        f"/courses/{BASICS}/assets/media/notes.txt",
        f"/courses/{BASICS}/assets/../{BASICS}/final.quiz.yaml",
        f"/courses/{BASICS}/assets/media/../final.quiz.yaml",
        f"/courses/{BASICS}/assets/media/%2e%2e/final.quiz.yaml",
        f"/courses/{BASICS}/assets/..%2ffinal.quiz.yaml",
        f"/courses/{BASICS}/assets/%2e%2e%2f%2e%2e%2f{RESEARCH}/course.yaml",
        f"/courses/{RESEARCH}/assets/media/diagram.svg",
        "/courses/nope/assets/media/diagram.svg",
    ],
)
def test_only_listed_files_are_served(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert b"questions:" not in response.data
    assert b"pass_mark" not in response.data


def test_opening_lessons_adds_one_enrolment(
    app: Flask, client: FlaskClient, learner: MadeUser
) -> None:
    client.get(WELCOME)
    client.get(FIRST_STEPS)
    with app.app_context():
        session = get_session()
        count = session.scalar(select(func.count()).select_from(Enrolment))
        enrolment = session.scalars(select(Enrolment)).one()
    assert count == 1
    assert enrolment.last_item == "first-steps"
    assert enrolment.completed_at is None
