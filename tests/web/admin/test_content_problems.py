"""Errors in the course files: a banner on every staff page, the list with what learners are
served, /healthz degraded; and after a restart a broken course is served as it last was."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from lms.accounts import services as accounts
from lms.accounts.categories import Role
from lms.db import get_session
from tests.support.databases import Databases

from ..conftest import FIXTURE_CONTENT, MadeUser, MakeApp
from ..helpers import PASSWORD, stored_hash
from ..learning_helpers import record, sign_in

COURSE = "partnership-essentials"
QUIZ = f"courses/{COURSE}/final.quiz.yaml"
PAGE = "/staff/content/"
BANNER = "notice-content-errors"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    return root


def break_quiz(root: Path) -> None:
    quiz = root / QUIZ
    text = quiz.read_text(encoding="utf-8")
    quiz.write_text(re.sub(r"pass_mark: \d+", "pass_mark: 800", text), encoding="utf-8")


@pytest.fixture
def app(make_app: MakeApp, content: Path, databases: Databases) -> Flask:
    """A first start on good files (its good versions kept), then a restart on broken ones."""
    url = databases.url("content", with_schema=True)
    make_app(content_dir=content, database_url=url, with_schema=False)
    break_quiz(content)
    return make_app(content_dir=content, database_url=url, with_schema=False)


def people(make_user: Callable[..., MadeUser]) -> dict[Role, MadeUser]:
    return {role: make_user(f"{role}@example.org", role=role, language="en") for role in Role}


@pytest.mark.parametrize("path", ["/courses", "/staff/", "/accounts/profile", PAGE])
def test_staff_and_admins_see_the_banner_on_every_page(
    app: Flask, make_user: Callable[..., MadeUser], path: str
) -> None:
    for user in people(make_user).values():
        client = app.test_client()
        sign_in(client, user.email)
        page = client.get(path, follow_redirects=True)
        if user.role is Role.LEARNER:
            assert BANNER not in page.text
            continue
        assert page.status_code == 200
        assert BANNER in page.text, (user.role, path)
        assert "The course files have 1 error" in page.text
        assert "1 course is served to learners in its last good version" in page.text
        assert f'href="{PAGE}"' in page.text


def test_the_banner_is_in_french_for_french_staff(
    app: Flask, make_user: Callable[..., MadeUser]
) -> None:
    staff = make_user("sam@example.org", role=Role.STAFF, language="fr")
    client = app.test_client()
    sign_in(client, staff.email)
    page = client.get("/courses").text
    assert "Les fichiers des cours ont 1 erreur" in page
    assert "Voir les erreurs et comment les corriger" in page


def test_the_page_lists_each_error_and_the_version_served_instead(
    app: Flask, make_user: Callable[..., MadeUser]
) -> None:
    client = app.test_client()
    sign_in(client, make_user(role=Role.STAFF, language="en").email)

    page = client.get(PAGE)

    assert page.status_code == 200
    assert re.search(
        rf"<code lang=\"en\">{re.escape(QUIZ)}:\d+:\d+: &#39;pass_mark&#39; must be between 0 "
        r"and 100",
        page.text,
    ), page.text
    version = app.extensions["lms.catalog"].catalog.courses[COURSE].version
    assert f"its last good version, {version[:12]}, read on" in page.text
    assert "Patient partnership essentials" in page.text
    assert "lms courses check" in page.text


def test_a_broken_course_without_a_good_version_is_said_not_served(
    make_app: MakeApp, content: Path
) -> None:
    break_quiz(content)
    app = make_app(content_dir=content)
    client = app.test_client()
    add_user(app, "ada@example.org", Role.ADMIN)
    sign_in(client, "ada@example.org")

    page = client.get(PAGE).text

    assert f"courses/{COURSE}: not served" in page
    assert "1 course is not served: learners cannot open it." in page


def test_without_errors_the_page_says_so_and_no_banner_shows(
    make_app: MakeApp, content: Path
) -> None:
    app = make_app(content_dir=content)
    client = app.test_client()
    add_user(app, "ada@example.org", Role.ADMIN)
    sign_in(client, "ada@example.org")

    page = client.get(PAGE).text

    assert "have no errors" in page
    assert BANNER not in page


def test_only_staff_and_admins_reach_the_page(
    app: Flask, make_user: Callable[..., MadeUser]
) -> None:
    assert app.test_client().get(PAGE).status_code == 302
    answers = {}
    for role, user in people(make_user).items():
        client = app.test_client()
        sign_in(client, user.email)
        answers[role] = client.get(PAGE).status_code
    assert answers == {Role.LEARNER: 403, Role.STAFF: 200, Role.ADMIN: 200}


def test_healthz_is_degraded_with_the_error_count_and_still_200(app: Flask) -> None:
    response = app.test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json == {
        "status": "degraded",
        "database": "ok",
        "catalogue": {"courses": 1, "errors": 1, "served_from_last_good": 1, "not_served": 0},
        "rate_limits": "per-process",  # tests count limits in memory
    }


def test_healthz_is_ok_without_errors(make_app: MakeApp) -> None:
    response = make_app().test_client().get("/healthz")
    assert response.status_code == 200
    assert response.json is not None
    assert response.json["status"] == "ok"
    assert response.json["catalogue"]["errors"] == 0


def test_after_a_restart_an_enrolled_learner_keeps_the_broken_course(
    make_app: MakeApp, content: Path, databases: Databases
) -> None:
    url = databases.url("restart", with_schema=True)
    first = make_app(content_dir=content, database_url=url, with_schema=False)
    email = "lea@example.org"
    user_id = add_user(first, email, Role.LEARNER)
    record(first, user_id, COURSE, "welcome")
    served = first.extensions["lms.catalog"].catalog.courses[COURSE]
    break_quiz(content)

    restarted = make_app(content_dir=content, database_url=url, with_schema=False)
    client = restarted.test_client()
    sign_in(client, email)

    assert restarted.extensions["lms.catalog"].catalog.courses[COURSE] == served
    assert client.get(f"/courses/{COURSE}").status_code == 200
    lesson = client.get(f"/courses/{COURSE}/first-steps")
    assert lesson.status_code == 200
    assert BANNER not in lesson.text


def add_user(app: Flask, email: str, role: Role) -> int:
    """A user on ``app``'s own database (``make_user`` writes to the ``app`` fixture's)."""
    with app.app_context():
        session = get_session()
        user = accounts.create_user(session, email, None, role, "en")
        user.password_hash = stored_hash(PASSWORD)
        session.commit()
        return user.id
