"""A member changes their own post for 30 minutes, checked by the server; bad input is a 400
with its message and writes nothing; posting is limited per person."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from lms.db import utcnow
from lms.extensions import limiter
from tests.web.learning_helpers import sign_in

from .helpers import BASICS, add_space, ask, post_form, posts_of


def test_a_post_is_changed_by_its_author_within_30_minutes_only(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    space = add_space(app)
    recent = ask(app, people["alice"], space, title="Recent", body="Frist draft")
    old = ask(app, people["alice"], space, title="Old", body="Old text",
              now=utcnow() - timedelta(minutes=31))  # fmt: skip
    sign_in(client, "alice@example.org")
    recent_post, old_post = posts_of(app, recent)[0].id, posts_of(app, old)[0].id

    assert "Change" in client.get(f"/communities/threads/{recent}").get_data(as_text=True)
    edit = f"/communities/posts/{recent_post}/edit"
    page = client.get(edit).get_data(as_text=True)
    assert "You can change it for 29 more minutes." in page or "30 more minutes" in page
    assert post_form(client, edit, {"body": "First *draft*"}, edit).status_code == 303
    (changed,) = posts_of(app, recent)
    assert changed.body == "First *draft*"
    assert changed.html == "<p>First <em>draft</em></p>\n"
    assert changed.edited_at is not None

    assert f"/communities/posts/{old_post}/edit" not in client.get(
        f"/communities/threads/{old}"
    ).get_data(as_text=True)
    late = f"/communities/posts/{old_post}/edit"
    refused = post_form(client, late, {"body": "Rewritten"}, f"/communities/threads/{old}")
    assert refused.status_code == 409
    assert posts_of(app, old)[0].body == "Old text"


def test_nobody_changes_someone_elses_post(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    space = add_space(app)
    thread = ask(app, people["alice"], space, body="Mine")
    post = posts_of(app, thread)[0].id
    sign_in(client, "sam@example.org")  # staff moderate, but do not write in others' names
    edit = f"/communities/posts/{post}/edit"
    assert client.get(edit).status_code == 403
    assert (
        post_form(client, edit, {"body": "Theirs"}, f"/communities/threads/{thread}").status_code
        == 403
    )
    assert posts_of(app, thread)[0].body == "Mine"


def test_an_incomplete_question_is_refused_with_its_message_and_nothing_written(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    sign_in(client, "alice@example.org")
    page = f"/communities/courses/{BASICS}?lesson=welcome"
    ask_url = f"/communities/courses/{BASICS}/ask"
    response = post_form(
        client, ask_url, {"lesson": "welcome", "title": "", "body": "", "language": "en"}, page
    )
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert "Write your question in a sentence." in text
    assert "Write your message." in text
    for data in (
        {"lesson": "nowhere", "title": "T", "body": "B", "language": "en"},
        {"lesson": "welcome", "title": "T", "body": "B", "language": "de"},
        {"lesson": "welcome", "title": "T" * 201, "body": "B", "language": "en"},
        {"lesson": "welcome", "title": "T", "body": "B" * 20_001, "language": "en"},
    ):
        assert post_form(client, ask_url, data, page).status_code == 400, data
    assert "No question yet" in client.get(page).get_data(as_text=True)


def test_posting_is_limited_per_person(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    space = add_space(app)
    thread = ask(app, people["bruno"], space)
    sign_in(client, "alice@example.org")
    page = f"/communities/threads/{thread}"
    with app.app_context():
        limiter.reset()
    answers = [
        post_form(
            client, f"{page}/reply", {"body": f"Reply {n}", "language": "en"}, page
        ).status_code
        for n in range(12)
    ]
    assert answers[:10] == [303] * 10
    assert answers[10:] == [429, 429]
    other = app.test_client()
    sign_in(other, "bruno@example.org")
    assert (
        post_form(other, f"{page}/reply", {"body": "Mine", "language": "en"}, page).status_code
        == 303
    )
    assert len(posts_of(app, thread)) == 12


def test_french_titles_posts_and_community_names_get_french_typography(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    sign_in(client, "sam@example.org")
    new = "/staff/communities/new"
    fields = {"name_fr": "Recherche : partenariat", "name_en": "Research: partnership",
              "description_fr": "Pour « échanger ».", "description_en": "To talk.",
              "audience": "everyone", "moderators": ""}  # fmt: skip
    created = post_form(client, new, fields, new)
    space = int(created.headers["Location"].rsplit("/", 1)[1])
    bruno = app.test_client()
    sign_in(bruno, "bruno@example.org")  # reads French
    page = f"/communities/{space}"
    shown = bruno.get(page).get_data(as_text=True)
    assert "<h1>Recherche\u00a0: partenariat</h1>" in shown
    assert "Pour «\u00a0échanger\u00a0»." in shown
    asked = post_form(
        bruno,
        f"{page}/ask",
        {"title": "Étape 2 : le consentement", "body": "Note : `a : b`", "language": "fr"},
        page,
    )
    thread_page = bruno.get(asked.headers["Location"]).get_data(as_text=True)
    assert "Étape 2\u00a0: le consentement" in thread_page
    assert "Note\u00a0: <code>a : b</code>" in thread_page
    english = ask(app, people["alice"], space, title="Step 2 : consent", language="en")
    assert "Step 2 : consent" in bruno.get(f"/communities/threads/{english}").get_data(as_text=True)
