"""Helpers for the learning tests: an app on the learning content, progress recorded directly."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask, url_for
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from lms.accounts.models import User
from lms.catalog import current_catalog
from lms.db import get_session
from lms.learning import services

from .conftest import MakeApp
from .helpers import PASSWORD, submit_form

LEARNING_CONTENT = Path(__file__).resolve().parent.parent / "fixtures" / "content" / "learning"
BASICS = "partnership-basics"
"""English first, French: welcome, first-steps, final.quiz; no prerequisite."""
RESEARCH = "research-partnership"
"""French only: introduction, roles; requires BASICS."""


def learning_app(make_app: MakeApp) -> Flask:
    app = make_app(content_dir=LEARNING_CONTENT)
    if "quizzes.quiz" not in app.view_functions:
        # Learning links quiz items to the quizzes blueprint's page; until that page exists,
        # a stand-in at another address lets the links be built and followed.
        app.add_url_rule(
            "/test-stand-in/quiz/<course_id>/<item>",
            endpoint="quizzes.quiz",
            view_func=lambda course_id, item: "quiz page",
        )
    return app


def record(app: Flask, user_id: int, course_id: str, *keys: str) -> list[bool]:
    """Record outline items as done for a user, as a lesson's button or a passed quiz does."""
    with app.app_context():
        session = get_session()
        user = session.get(User, user_id)
        course = current_catalog().course(course_id)
        assert user is not None
        assert course is not None
        results = [services.record_item_completed(session, user, course, key) for key in keys]
        session.commit()
    return results


def quiz_url(app: Flask, course_id: str, item: str) -> str:
    with app.test_request_context():
        return url_for("quizzes.quiz", course_id=course_id, item=item)


def sign_in(client: FlaskClient, email: str, password: str = PASSWORD) -> TestResponse:
    """Sign ``client`` in: for a second client (another device) of one user."""
    response = submit_form(client, "/accounts/sign-in", {"email": email, "password": password})
    assert response.status_code == 302
    return response


def progress_bar(page: str, bar_id: str) -> tuple[str, str]:
    """The ``value`` of the <progress> ``bar_id`` and the percentage written next to it."""
    bar = re.search(rf'<progress id="{bar_id}" max="100" value="(\d+)">', page)
    text = re.search(
        rf'<label for="{bar_id}">[^<]*</label>\s*<span class="progress-value">([^<]+)</span>', page
    )
    assert bar, f"no progress bar {bar_id}"
    assert text, f"no percentage written for {bar_id}"
    return bar.group(1), text.group(1)


def continue_link(page: str) -> tuple[str, str]:
    """The href and the text of the page's main button link."""
    found = re.search(r'<a class="button" href="([^"]+)"[^>]*>([^<]+)</a>', page)
    assert found, "no button link"
    return found.group(1), found.group(2).strip()
