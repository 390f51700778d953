"""Asking from a lesson, answering, reading: the course's discussion filtered to a lesson, the
posts in their writers' language, the mail to who follows, never to the writer."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from tests.support.smtp import Mailbox, links_in, path_of, text_of
from tests.web.learning_helpers import sign_in

from .helpers import BASICS, ask, post_form, posts_of, reply, thread_row

LESSON_PAGE = f"/courses/{BASICS}/welcome"
QUESTIONS = f"/communities/courses/{BASICS}?lesson=welcome"


def test_a_lesson_links_to_its_questions_and_a_question_asked_there_is_about_it(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    sign_in(client, "alice@example.org")
    lesson = client.get(LESSON_PAGE).get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)">Questions about this lesson</a>', lesson)
    assert link is not None
    assert link.group(1).replace("&amp;", "&") == QUESTIONS

    page = client.get(QUESTIONS)
    assert page.status_code == 200
    assert "No question yet" in page.get_data(as_text=True)

    response = post_form(
        client,
        f"/communities/courses/{BASICS}/ask",
        {
            "lesson": "welcome",
            "title": "What is a partner?",
            "body": "Is it *anyone*?",
            "language": "en",
        },
        QUESTIONS,
    )
    assert response.status_code == 303
    thread = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<h1 lang="en">What is a partner?</h1>' in thread
    assert '<div class="post-body" lang="en"><p>Is it <em>anyone</em>?</p>' in thread

    listed = client.get(QUESTIONS).get_data(as_text=True)
    assert "What is a partner?" in listed
    other_lesson = client.get(f"/communities/courses/{BASICS}?lesson=partners").get_data(
        as_text=True
    )
    assert "What is a partner?" not in other_lesson


def test_a_reply_is_mailed_to_the_asker_in_their_language_never_to_its_writer(
    app: Flask, client: FlaskClient, people: dict[str, int], mailbox: Mailbox
) -> None:
    thread_id = ask(app, people["bruno"], course_id=BASICS, lesson="welcome", language="fr",
                    title="Qu’est-ce qu’un partenaire ?", body="Je me demande.")  # fmt: skip
    sign_in(client, "alice@example.org")
    page = f"/communities/threads/{thread_id}"
    response = post_form(
        client, f"/communities/threads/{thread_id}/reply",
        {"body": "A person with **lived** experience.", "language": "en"}, page,
    )  # fmt: skip
    assert response.status_code == 303

    assert mailbox.to("alice@example.org") == []
    (mail,) = mailbox.to("bruno@example.org")
    assert mail["Content-Language"] == "fr"
    assert "Qu’est-ce qu’un partenaire" in mail["Subject"]
    text = text_of(mail)
    assert "A person with **lived** experience." in text
    assert "Member " not in text
    assert "alice" not in text.lower()
    assert f"Membre {people['alice']}" in text
    links = links_in(mail)
    assert any(path_of(link) == "/communities/settings" for link in links)
    post_link = next(link for link in links if "/communities/posts/" in link)
    bruno = app.test_client()
    sign_in(bruno, "bruno@example.org")
    landing = bruno.get(path_of(post_link))
    assert landing.status_code == 302
    assert landing.headers["Location"].endswith(
        f"/communities/threads/{thread_id}?page=1#post-{posts_of(app, thread_id)[-1].id}"
    )
    assert thread_row(app, thread_id).post_count == 2


def test_replies_count_as_unread_in_the_header_until_read(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    thread_id = ask(app, people["alice"], course_id=BASICS)
    sign_in(client, "alice@example.org")
    assert "unread-count" not in client.get("/courses").get_data(as_text=True)
    reply(app, people["bruno"], thread_id)
    reply(app, people["bruno"], thread_id, "Again.")
    header = client.get("/courses").get_data(as_text=True)
    assert '<span class="unread-count">1 unread</span>' in header
    client.get(f"/communities/threads/{thread_id}")
    assert "unread-count" not in client.get("/courses").get_data(as_text=True)


def test_a_question_refused_about_a_quiz_instead_of_a_lesson_is_a_400_not_a_500(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    sign_in(client, "alice@example.org")
    page = "/communities/courses/basics"
    for lesson in ("check.quiz", "check", "welcome"):
        fields = {"title": "", "body": "x", "language": "en", "lesson": lesson}
        assert post_form(client, f"{page}/ask", fields, page).status_code == 400, lesson
