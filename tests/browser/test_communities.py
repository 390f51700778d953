"""Communities in the browser, French and English, every page checked with axe: a learner asks
a question from a lesson and gets another member's reply by mail (caught by a real SMTP
server); a moderator hides a post and its author reads why."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from playwright.sync_api import Page, expect
from sqlalchemy import select

from lms.accounts.categories import Role
from lms.communities.models import ThreadFollow
from lms.communities.unsubscribe import Stream, unsubscribe_link
from lms.db import get_session
from lms.i18n import LANGUAGE_NAMES
from tests.support.smtp import Mailbox, links_in, path_of, text_of
from tests.web.certificate_helpers import add_learner
from tests.web.communities.helpers import add_space, ask, posts_of

from .conftest import Serve
from .helpers import LOCALES, Words, check_accessibility, horizontal_overflow, sign_in

COURSE = "partnership-essentials"


def _thread_unsubscribe_link(app: Flask, user_id: int, thread_id: int) -> str:
    """The link a mail about the thread gives its follower ``user_id``."""
    with app.app_context():
        since = get_session().scalar(
            select(ThreadFollow.created_at).where(
                ThreadFollow.user_id == user_id, ThreadFollow.thread_id == thread_id
            )
        )
        return unsubscribe_link(user_id, Stream.THREAD, thread_id, since)


OTHER = {"fr": "en", "en": "fr"}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_question_asked_from_a_lesson_gets_its_reply_by_mail(
    serve: Serve, new_page: Callable[..., Page], mailbox: Mailbox, language: str
) -> None:
    server = serve(**mailbox.settings)
    app, words = server.app, Words(server.app, language)
    other = OTHER[language]
    add_learner(app, "lea@example.org", language=language)
    add_learner(app, "omar@example.org", language=other)

    # Léa asks about the lesson she is reading.
    page = new_page(locale=LOCALES[language])
    sign_in(page, server, words, "lea@example.org")
    page.goto(f"{server.url}/courses/{COURSE}/welcome")
    page.get_by_role("link", name=words("Questions about this lesson")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(words("Questions about this lesson"))
    check_accessibility(page, f"communities-lesson-questions-{language}")
    page.get_by_label(words("Your question, in a sentence")).fill("Qui peut être partenaire ?")
    page.get_by_label(words("Details")).fill("Je débute : *toute* aide est bienvenue.")
    expect(page.get_by_label(LANGUAGE_NAMES[language])).to_be_checked()
    page.get_by_label(LANGUAGE_NAMES["fr"]).check()
    page.get_by_role("button", name=words("Ask the question")).click()
    expect(page.locator(".flash-success")).to_contain_text(
        words("Your question is posted. You will get the replies by mail.")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Qui peut être partenaire ?")
    expect(page.locator(".post-body").first).to_have_attribute("lang", "fr")
    check_accessibility(page, f"communities-thread-asked-{language}")

    # Omar, who reads the other language, finds it and answers.
    omar_words = Words(app, other)
    answerer = new_page(locale=LOCALES[other])
    sign_in(answerer, server, omar_words, "omar@example.org")
    answerer.goto(f"{server.url}/communities/courses/{COURSE}?lesson=welcome")
    answerer.get_by_role("link", name="Qui peut être partenaire ?").click()
    answerer.get_by_label(omar_words("Your reply")).fill("Anyone with **lived** experience.")
    answerer.get_by_label(LANGUAGE_NAMES["en"]).check()
    answerer.get_by_role("button", name=omar_words("Send the reply")).click()
    expect(answerer.locator(".flash-success")).to_contain_text(omar_words("Your reply is posted."))
    check_accessibility(answerer, f"communities-thread-replied-{other}")

    # Léa's header counts it; her mail, in her language, leads to it.
    page.goto(f"{server.url}/communities/")
    expect(page.locator(".unread-count")).to_have_text(
        words.plural("%(num)d unread", "%(num)d unread", 1)
    )
    check_accessibility(page, f"communities-index-{language}")
    mail = mailbox.last("lea@example.org")
    assert "Qui peut être partenaire" in mail["Subject"]
    assert mail["Content-Language"] == language
    assert "Anyone with **lived** experience." in text_of(mail)
    assert mailbox.to("omar@example.org") == []
    link = next(link for link in links_in(mail) if "/communities/posts/" in link)
    page.goto(link)
    reply = page.locator("article.post").nth(1)
    expect(reply.locator(".post-body")).to_have_attribute("lang", "en")
    expect(reply.locator("strong").nth(1)).to_have_text("lived")
    expect(page.locator(".unread-count")).to_have_count(0)

    # Her settings: a name of her own on her posts.
    page.goto(f"{server.url}/communities/settings")
    check_accessibility(page, f"communities-settings-{language}")
    page.get_by_label(words("Name shown on your posts")).fill("Léa, patiente partenaire")
    page.get_by_role("button", name=words("Save my settings")).click()
    expect(page.locator(".flash-success")).to_contain_text(words("Your settings are saved."))


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_moderator_hides_a_post_and_its_author_reads_why(
    serve: Serve, new_page: Callable[..., Page], language: str
) -> None:
    server = serve()
    app, words = server.app, Words(server.app, language)
    staff_id = add_learner(app, "sam@example.org", role=Role.STAFF, language=language)
    author_id = add_learner(app, "noe@example.org", language=language)
    space = add_space(app, name="Patient partners", staff_id=staff_id)
    thread = ask(app, author_id, space, title="Mon histoire", body="Le nom de ma voisine.",
                 language="fr")  # fmt: skip
    post = posts_of(app, thread)[0].id

    # The staff member defines the community's page and moderates it.
    moderator = new_page(locale=LOCALES[language])
    sign_in(moderator, server, words, "sam@example.org")
    moderator.goto(f"{server.url}/staff/communities/")
    check_accessibility(moderator, f"communities-staff-list-{language}")
    moderator.get_by_role("link", name=words("Create a community")).click()
    check_accessibility(moderator, f"communities-staff-new-{language}")
    # A moderator found by a search, added in one click.
    moderator.goto(f"{server.url}/staff/communities/{space}/edit")
    moderator.get_by_label(words("Name or email address")).fill("noe@")
    moderator.get_by_role("button", name=words("Search")).click()
    check_accessibility(moderator, f"communities-staff-find-moderator-{language}")
    moderator.locator(".moderator-results button").click()
    expect(moderator.locator(".flash-success")).to_contain_text(words("They are a moderator now."))
    moderator.goto(f"{server.url}/communities/threads/{thread}")
    moderator.get_by_role("link", name=words("Hide"), exact=True).click()
    expect(moderator.get_by_role("heading", level=1)).to_have_text(words("Hide a post"))
    check_accessibility(moderator, f"communities-hide-{language}")
    moderator.get_by_label(words("Reason, shown to the author")).fill(
        "Il nomme une personne sans son accord."
    )
    moderator.get_by_role("button", name=words("Hide the post")).click()
    expect(moderator.locator(".flash-success")).to_contain_text(
        words("The post is hidden. Its author sees your reason.")
    )

    author = new_page(locale=LOCALES[language])
    sign_in(author, server, words, "noe@example.org")
    author.goto(f"{server.url}/communities/posts/{post}")
    notice = author.locator(".post-notice-hidden")
    expect(notice).to_contain_text(
        words("A moderator hid this post: only you and the moderators see it.")
    )
    expect(notice).to_contain_text("Il nomme une personne sans son accord.")
    check_accessibility(author, f"communities-hidden-for-author-{language}")
    author.goto(f"{server.url}/communities/{space}")
    expect(author.get_by_text(words("Hidden by a moderator"))).to_be_visible()
    check_accessibility(author, f"communities-space-{language}")

    # The author's unsubscribe link, opened in a browser not signed in: it asks first.
    stranger = new_page(locale=LOCALES[language])
    stranger.goto(server.url + path_of(_thread_unsubscribe_link(app, author_id, thread)))
    expect(stranger.get_by_role("heading", level=1)).to_have_text(words("Stop these mails"))
    check_accessibility(stranger, f"communities-unsubscribe-{language}")
    stranger.get_by_role("button", name=words("Stop these mails")).click()
    expect(stranger.get_by_role("heading", level=1)).to_have_text(words("These mails are stopped"))

    # On a phone, the thread reads without scrolling sideways.
    phone = new_page(locale=LOCALES[language], width=360, height=740)
    sign_in(phone, server, words, "noe@example.org")
    phone.goto(f"{server.url}/communities/threads/{thread}")
    assert horizontal_overflow(phone) == 0
    check_accessibility(phone, f"communities-thread-phone-{language}")
