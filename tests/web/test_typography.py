"""French typography in the interface: translations get their non-breaking spaces as they are
loaded; what people type, and English pages, are left as they are. And a course page's
"content reviewed on" date, in each language's form."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from flask import Flask

from lms.content.typography import NBSP
from tests.support.apps import FIXTURE_CONTENT
from tests.web.account_helpers import post_form
from tests.web.conftest import MadeUser, MakeApp


def test_french_pages_get_non_breaking_spaces_and_typed_values_do_not(
    app: Flask, make_user: Callable[..., MadeUser]
) -> None:
    user = make_user()
    client = app.test_client()
    post_form(client, "/accounts/sign-in", {"email": user.email, "password": user.password or ""})
    saved = post_form(
        client,
        "/accounts/profile",
        {
            "certificate_name": "Ada : « Lovelace »",
            "language": "fr",
            "research_roles": "patient",
            "affiliation": "university",
            "frq_fellowship": "no",
        },
    )
    assert saved.status_code == 302

    french = client.get("/accounts/two-step/set-up").get_data(as_text=True)
    profile = client.get("/accounts/profile").get_data(as_text=True)
    assert f"Ou entrez cette clé dans l’application{NBSP}:" in french
    assert 'value="Ada : « Lovelace »"' in profile  # as typed, in its attribute

    post_form(
        client,
        "/accounts/profile",
        {
            "certificate_name": "Ada",
            "language": "en",
            "research_roles": "patient",
            "affiliation": "university",
            "frq_fellowship": "no",
        },
    )
    english = client.get("/accounts/two-step/set-up").get_data(as_text=True)
    assert "Or type this key in the app:" in english
    assert NBSP not in english


def test_a_course_page_says_when_its_content_was_reviewed(
    make_app: MakeApp, tmp_path: Path
) -> None:
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    course = root / "courses" / "partnership-essentials" / "course.yaml"
    course.write_text(
        course.read_text(encoding="utf-8").replace(
            "prerequisites: []", "reviewed: 2026-12-01\nprerequisites: []"
        ),
        encoding="utf-8",
    )
    client = make_app(content_dir=root).test_client()

    french = client.get("/courses/partnership-essentials").get_data(as_text=True)
    client.set_cookie("lang", "en")
    english = client.get("/courses/partnership-essentials").get_data(as_text=True)

    assert '<time datetime="2026-12-01">1 décembre 2026</time>' in french
    assert "Contenu révisé le" in french
    assert '<time datetime="2026-12-01">December 1, 2026</time>' in english
