"""The catalogue page, in French by default and in English when asked."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from lms.accounts.models import User
from lms.catalog import catalog_store
from lms.db import get_session
from tests.web.certificate_helpers import CERTIFICATE_CONTENT
from tests.web.conftest import FIXTURE_CONTENT, MadeUser, MakeApp
from tests.web.helpers import submit_form

TITLE_FR = "L’essentiel du partenariat patient"
TITLE_EN = "Patient partnership essentials"


def html_lang(response: TestResponse) -> str:
    found = re.search(r'<html lang="([a-z]+)"', response.get_data(as_text=True))
    assert found
    return found.group(1)


def test_the_home_page_presents_the_offer_to_a_visitor(make_app: MakeApp) -> None:
    client = make_app(content_dir=CERTIFICATE_CONTENT).test_client()

    response = client.get("/", headers={"Accept-Language": "en"})

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert response.content_type == "text/html; charset=utf-8"
    assert '<a class="button" href="/accounts/sign-up">Create my account</a>' in page
    assert "For whom" in page
    path = page[page.index("The recommended path") : page.index("A program certificate")]
    assert '<a href="/courses/renewable">Partnership refresher</a>' in path
    assert '<a href="/courses/program-part">Program part two</a>' in path
    # The certificate that several courses lead to: the FRQ fellows' program.
    program = page[page.index("A program certificate for FRQ fellows") :]
    assert "“Complementary training in patient-oriented research”" in program
    assert '<li><a href="/courses/renewable">Partnership refresher</a></li>' in program
    assert 'href="/verify"' in page


def test_the_home_page_sends_a_signed_in_learner_to_their_dashboard(
    client: FlaskClient, make_user: Callable[..., MadeUser], login: Callable[..., TestResponse]
) -> None:
    login(make_user().email)

    response = client.get("/")

    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"


def test_catalogue_is_in_french_by_default(client: FlaskClient) -> None:
    response = client.get("/courses")
    page = response.get_data(as_text=True)

    assert response.status_code == 200
    assert html_lang(response) == "fr"
    assert f'<h2><a href="/courses/partnership-essentials">{TITLE_FR}</a></h2>' in page
    assert "Ce que veut dire le partenariat patient en recherche" in page
    assert "Environ 25 minutes" in page
    assert "<h1>Formations</h1>" in page
    assert TITLE_EN not in page


def test_catalogue_follows_accept_language(client: FlaskClient) -> None:
    response = client.get("/courses", headers={"Accept-Language": "en-CA,en;q=0.9,fr;q=0.5"})
    page = response.get_data(as_text=True)

    assert html_lang(response) == "en"
    assert f'<h2><a href="/courses/partnership-essentials">{TITLE_EN}</a></h2>' in page
    assert "About 25 minutes" in page
    assert "<h1>Courses</h1>" in page
    assert TITLE_FR not in page


def test_unsupported_browser_language_falls_back_to_french(client: FlaskClient) -> None:
    response = client.get("/courses", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert html_lang(response) == "fr"
    assert TITLE_FR in response.get_data(as_text=True)


def test_language_cookie_wins_over_accept_language(client: FlaskClient) -> None:
    client.set_cookie("lang", "en")
    response = client.get("/courses", headers={"Accept-Language": "fr"})
    assert html_lang(response) == "en"
    assert TITLE_EN in response.get_data(as_text=True)

    client.set_cookie("lang", "fr")
    response = client.get("/courses", headers={"Accept-Language": "en"})
    assert html_lang(response) == "fr"


def test_language_switch_sets_the_cookie_and_returns_to_the_page(client: FlaskClient) -> None:
    response = submit_form(
        client, "/accounts/language", {"language": "en", "next": "/courses"}, page="/courses"
    )

    assert response.status_code == 302
    assert response.headers["Location"] == "/courses"
    cookie = client.get_cookie("lang")
    assert cookie is not None
    assert cookie.value == "en"
    assert html_lang(client.get("/courses")) == "en"


def test_language_switch_never_redirects_off_site(client: FlaskClient) -> None:
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        response = submit_form(
            client, "/accounts/language", {"language": "en", "next": target}, page="/courses"
        )
        assert response.headers["Location"] == "/courses"


def test_language_switch_refuses_an_unknown_language(client: FlaskClient) -> None:
    response = submit_form(
        client, "/accounts/language", {"language": "de", "next": "/courses"}, page="/courses"
    )
    assert response.status_code == 400
    assert client.get_cookie("lang") is None


def test_signed_in_users_choice_wins_and_the_switch_saves_it(
    client: FlaskClient,
    make_user: Callable[..., object],
    login: Callable[..., TestResponse],
    app: Flask,
) -> None:
    make_user(email="ana@example.org", language="en")
    login("ana@example.org")
    client.set_cookie("lang", "fr")
    assert html_lang(client.get("/courses", headers={"Accept-Language": "fr"})) == "en"

    submit_form(client, "/accounts/language", {"language": "fr", "next": "/"}, page="/courses")
    client.delete_cookie("lang")
    assert html_lang(client.get("/courses", headers={"Accept-Language": "en"})) == "fr"
    with app.app_context():
        user = get_session().scalars(select(User)).one()
        assert user.language == "fr"


def test_edited_content_shows_on_the_next_request_when_reload_is_on(
    make_app: MakeApp, tmp_path: Path
) -> None:
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    app = make_app(content_dir=root, content_reload=True)
    store = catalog_store(app)
    client = app.test_client()
    try:
        assert store.watching
        assert TITLE_FR in client.get("/courses").get_data(as_text=True)

        course_file = root / "courses" / "partnership-essentials" / "course.yaml"
        course_file.write_text(
            course_file.read_text(encoding="utf-8").replace(TITLE_FR, "Partenariat : l’essentiel"),
            encoding="utf-8",
        )
        # The edit reaches the app as a file event; wait for it rather than race it.
        assert store.wait_for_change(timeout=10)
        page = client.get("/courses").get_data(as_text=True)
        assert "Partenariat\u00a0: l’essentiel" in page  # French typography applies
        assert TITLE_FR not in page
    finally:
        store.close()


def test_content_is_read_once_when_reload_is_off(make_app: MakeApp, tmp_path: Path) -> None:
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    client = make_app(content_dir=root, content_reload=False).test_client()
    client.get("/courses")

    shutil.rmtree(root / "courses" / "partnership-essentials")
    assert TITLE_FR in client.get("/courses").get_data(as_text=True)


def test_page_has_skip_link_landmarks_and_one_h1(client: FlaskClient) -> None:
    page = client.get("/courses").get_data(as_text=True)

    assert '<a class="skip-link" href="#main">Passer au contenu principal</a>' in page
    assert page.index("skip-link") < page.index("<header")
    assert '<main id="main"' in page
    assert page.count("<header") == page.count("<footer") == page.count("<main") == 1
    assert page.count("<h1") == 1
    assert page.index("<h1") < page.index("<h2")
    assert 'aria-label="Menu principal"' in page
    assert '<button type="submit" class="link-button" lang="en">English</button>' in page
