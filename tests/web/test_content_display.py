"""How content reaches the page: French typography in the interface (translations get their
non-breaking spaces as they load; typed values and English pages are left as they are), a
course's "content reviewed on" date, and its resources to take away."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

from flask import Flask

from lms.content.typography import NBSP
from tests.support.apps import FIXTURE_CONTENT
from tests.web.account_helpers import post_form
from tests.web.conftest import MadeUser, MakeApp
from tests.web.learning_helpers import sign_in
from tests.web.staff_helpers import add_user


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


def test_a_resource_is_offered_on_its_course_and_lesson_pages_and_downloads(
    make_app: MakeApp, tmp_path: Path
) -> None:
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    folder = root / "courses" / "partnership-essentials"
    (folder / "media").mkdir(exist_ok=True)
    for name in ("role.fr.odt", "role.fr.pdf", "role.en.pdf"):
        (folder / "media" / name).write_bytes(b"PK\x03\x04 an ODT file")
    course = folder / "course.yaml"
    course.write_text(
        course.read_text(encoding="utf-8").replace(
            "prerequisites: []",
            "prerequisites: []\nresources:\n"
            '  - {file: media/role.en.pdf, title: "Role description", language: en, '
            "lesson: welcome}\n"
            '  - {file: media/role.fr.odt, title: "Description de rôle", language: fr, '
            "lesson: welcome}\n"
            '  - {file: media/role.fr.pdf, title: "Description de rôle", language: fr, '
            "lesson: welcome}",
        ),
        encoding="utf-8",
    )
    app = make_app(content_dir=root)
    client = app.test_client()

    course_page = client.get("/courses/partnership-essentials").get_data(as_text=True)
    assert "Ressources à emporter" in course_page
    items = re.findall(r"<li><span id=\"resources-title-\d\"(.*?)</li>", course_page, re.S)
    assert len(items) == 2  # one line per title and language, its formats side by side
    french, english = (" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items)
    assert french == ">Description de rôle (Français) Télécharger (ODT) · Télécharger (PDF)"
    assert english.startswith('lang="en">Role description (English) Télécharger (PDF)')
    assert 'href="/courses/partnership-essentials/assets/media/role.fr.odt" download' in items[0]
    assert 'aria-describedby="resources-title-1"' in items[0]
    with client.get("/courses/partnership-essentials/assets/media/role.fr.odt") as download:
        assert download.status_code == 200
        assert download.data == b"PK\x03\x04 an ODT file"
        assert download.mimetype == "application/vnd.oasis.opendocument.text"

    add_user(app, "lea@example.org")
    sign_in(client, "lea@example.org")
    lesson = client.get("/courses/partnership-essentials/welcome").get_data(as_text=True)
    other = client.get("/courses/partnership-essentials/first-steps").get_data(as_text=True)
    # Lea reads the interface in English: her language's resource first, the French one
    # saying its language.
    assert lesson.index("Role description") < lesson.index("Description de rôle")
    assert '<span id="lesson-resources-title-2" lang="fr">Description de rôle</span>' in lesson
    assert "role.fr.odt" not in other  # only the lesson it goes with
