"""The catalogue with a learner's progress, and the course page: outline, states, continue, lock."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.web.conftest import MadeUser, MakeApp
from tests.web.helpers import submit_form
from tests.web.learning_helpers import (
    BASICS,
    RESEARCH,
    continue_link,
    learning_app,
    progress_bar,
    quiz_url,
    record,
)


@pytest.fixture
def app(make_app: MakeApp) -> Flask:
    return learning_app(make_app)


@pytest.fixture
def learner(make_user: Callable[..., MadeUser], login: Callable[..., TestResponse]) -> MadeUser:
    """A signed-in learner who reads the interface in English."""
    user = make_user(email="ana@example.org", language="en")
    login(user.email)
    return user


def test_visitors_see_the_catalogue_without_progress(client: FlaskClient) -> None:
    page = client.get("/courses", headers={"Accept-Language": "en"}).get_data(as_text=True)

    assert f'<h2><a href="/courses/{BASICS}">Patient partnership basics</a></h2>' in page
    assert "About 30 minutes" in page
    assert '<span lang="en">English</span>, <span lang="fr">Français</span>' in page
    # The French-only course keeps its French title, marked as French on an English page.
    assert '<div lang="fr">' in page
    assert "Le partenariat en recherche" in page
    # Its prerequisite is named and linked.
    assert f'<a href="/courses/{BASICS}">Patient partnership basics</a>    </dd>' in page
    assert "<progress" not in page
    assert "Dashboard" not in page


def test_catalogue_shows_a_signed_in_learners_progress(
    app: Flask, client: FlaskClient, learner: MadeUser
) -> None:
    record(app, learner.id, BASICS, "welcome")

    page = client.get("/courses").get_data(as_text=True)

    assert progress_bar(page, f"progress-{BASICS}") == ("33", "33%")
    assert "(1 of 3 steps done)" in page
    assert "Opens once you have completed its prerequisites." in page
    assert f'<progress id="progress-{RESEARCH}"' not in page
    assert '<a href="/dashboard">Dashboard</a>' in page


def test_catalogue_says_when_a_course_is_complete(
    app: Flask, client: FlaskClient, learner: MadeUser
) -> None:
    record(app, learner.id, BASICS, "welcome", "first-steps", "final.quiz")

    page = client.get("/courses").get_data(as_text=True)

    assert progress_bar(page, f"progress-{BASICS}") == ("100", "100%")
    assert "You have completed this course." in page
    assert "Not started yet." in page  # the prerequisite is done: the next course is open


def test_course_page_for_a_visitor_lists_the_outline_and_invites_to_start(
    client: FlaskClient,
) -> None:
    page = client.get(f"/courses/{BASICS}", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )

    assert '<nav class="breadcrumbs" aria-label="Breadcrumb">' in page
    assert '<span aria-current="page">Patient partnership basics</span>' in page
    assert page.count("<h1") == 1
    assert page.index("<h1") < page.index("<h2") < page.index("<h3")
    assert "<h3>Getting started</h3>" in page
    assert "<h3>Check your learning</h3>" in page
    assert continue_link(page) == (f"/courses/{BASICS}/welcome", "Start the course")
    assert f'<a href="/courses/{BASICS}/first-steps">First steps</a>' in page
    assert "Lesson, 10 minutes" in page
    assert "item-state" not in page
    assert "<progress" not in page


def test_a_visitor_learns_what_to_complete_before_starting(client: FlaskClient) -> None:
    page = client.get(f"/courses/{RESEARCH}", headers={"Accept-Language": "en"}).get_data(
        as_text=True
    )

    prerequisites = page.index("This course opens once these courses are completed:")
    assert prerequisites < page.index("Start the course")
    assert f'<li><a href="/courses/{BASICS}">Patient partnership basics</a></li>' in page


def test_course_page_shows_each_items_state_and_overall_progress(
    app: Flask, client: FlaskClient, learner: MadeUser
) -> None:
    record(app, learner.id, BASICS, "welcome", "final.quiz")

    page = client.get(f"/courses/{BASICS}").get_data(as_text=True)

    assert progress_bar(page, "course-progress") == ("66", "66%")
    welcome, first_steps, quiz = page.split('<li class="outline-item')[1:]
    assert 'item-done"' in welcome
    assert '<span class="item-state state-done">Completed</span>' in welcome
    assert 'item-open"' in first_steps
    assert '<span class="item-state state-open">To do</span>' in first_steps
    assert '<span class="item-state state-done">Passed</span>' in quiz
    assert f'<a href="{quiz_url(app, BASICS, "final.quiz")}">Final quiz</a>' in quiz


def test_continue_leads_to_the_last_item_opened(client: FlaskClient, learner: MadeUser) -> None:
    client.get(f"/courses/{BASICS}/first-steps")

    page = client.get(f"/courses/{BASICS}").get_data(as_text=True)

    assert continue_link(page) == (
        f"/courses/{BASICS}/first-steps",
        "Continue where you left off",
    )
    first_steps = page.split('<li class="outline-item')[2]
    assert '<span class="item-next">Up next</span>' in first_steps


def test_continue_leads_to_the_quiz_once_the_lessons_are_done(
    app: Flask, client: FlaskClient, learner: MadeUser
) -> None:
    record(app, learner.id, BASICS, "welcome", "first-steps")

    page = client.get(f"/courses/{BASICS}").get_data(as_text=True)

    href, text = continue_link(page)
    assert href == quiz_url(app, BASICS, "final.quiz")
    assert text == "Continue where you left off"


def test_a_completed_course_offers_a_review_and_gives_its_date(
    app: Flask, client: FlaskClient, learner: MadeUser
) -> None:
    record(app, learner.id, BASICS, "welcome", "first-steps", "final.quiz")

    page = client.get(f"/courses/{BASICS}").get_data(as_text=True)

    assert f'<a class="button" href="/courses/{BASICS}/welcome">Review the course</a>' in page
    assert "You completed this course on " in page
    # Its certificate comes first: here, it waits for the learner's name (none was given).
    assert continue_link(page) == ("/accounts/profile", "Add my name to my profile")


def test_a_missing_prerequisite_is_explained_and_the_lessons_stay_closed(
    client: FlaskClient, learner: MadeUser
) -> None:
    page = client.get(f"/courses/{RESEARCH}").get_data(as_text=True)

    assert '<h2 id="locked-title">Complete these courses first</h2>' in page
    assert f'<li><a href="/courses/{BASICS}">Patient partnership basics</a></li>' in page
    assert f'href="/courses/{RESEARCH}/introduction"' not in page
    assert '<span class="item-state state-locked">Not open yet</span>' in page
    assert 'class="button"' not in page
    assert "<progress" not in page


@pytest.mark.parametrize("item", ["introduction", "roles"])
def test_lessons_of_a_locked_course_are_refused_with_what_to_complete(
    client: FlaskClient, learner: MadeUser, item: str
) -> None:
    response = client.get(f"/courses/{RESEARCH}/{item}")
    page = response.get_data(as_text=True)

    assert response.status_code == 403
    assert "<h1>Complete these courses first</h1>" in page
    assert '<cite lang="fr">Le partenariat en recherche</cite> opens once' in page
    assert f'<li><a href="/courses/{BASICS}">Patient partnership basics</a></li>' in page
    assert "Un projet de recherche" not in page


def test_completing_the_prerequisite_opens_the_course(
    app: Flask, client: FlaskClient, learner: MadeUser
) -> None:
    record(app, learner.id, BASICS, "welcome", "first-steps", "final.quiz")

    page = client.get(f"/courses/{RESEARCH}").get_data(as_text=True)
    assert "locked-title" not in page
    assert continue_link(page) == (f"/courses/{RESEARCH}/introduction", "Start the course")
    assert client.get(f"/courses/{RESEARCH}/introduction").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/courses/no-such-course",
        "/courses/no-such-course/welcome",
        f"/courses/{BASICS}/no-such-lesson",
        f"/courses/{RESEARCH}/welcome",
    ],
)
def test_unknown_courses_and_items_get_the_not_found_page(
    client: FlaskClient, learner: MadeUser, path: str
) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.get_data(as_text=True)


def test_a_visitor_is_sent_to_sign_in_and_back_to_the_lesson(
    client: FlaskClient, make_user: Callable[..., MadeUser]
) -> None:
    user = make_user()
    lesson = f"/courses/{BASICS}/first-steps"

    response = client.get(lesson)
    assert response.status_code == 302
    sign_in_page = response.headers["Location"]
    assert sign_in_page == f"/accounts/sign-in?next=%2Fcourses%2F{BASICS}%2Ffirst-steps"

    data = {"email": user.email, "password": user.password, "next": lesson}
    response = submit_form(client, "/accounts/sign-in", data, page=sign_in_page)
    assert response.headers["Location"] == lesson
    assert client.get(lesson).status_code == 200
