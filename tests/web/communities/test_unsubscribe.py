"""One-click unsubscribe (RFC 8058): each community mail names a signed link that stops the
follow (or the digest) it came from, without signing in, on POST only; the link never
reaches the log, and following again revokes it."""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from lms.communities import mail_jobs
from lms.communities.models import CommunityFollow, MailMode, MemberProfile, ThreadFollow
from lms.db import get_session, utcnow
from tests.support.smtp import Mailbox, links_in, path_of
from tests.web.learning_helpers import sign_in

from .helpers import add_space, ask, post_form, reply, run_chore

ONE_CLICK = {"List-Unsubscribe": "One-Click"}


def _sign_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    sign_in(client, email)
    return client


def _unsubscribe_path(mail: EmailMessage) -> str:
    """The header's link, checked against the one the text gives."""
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    header = mail["List-Unsubscribe"]
    assert header.startswith("<http")
    assert header.endswith(">")
    link = header[1:-1]
    assert link in links_in(mail)
    return path_of(link)


def _follows_community(app: Flask, user_id: int, community_id: int) -> bool:
    with app.app_context():
        found = get_session().get(CommunityFollow, (user_id, community_id))
        return found is not None


def test_a_community_follower_stops_its_mail_in_one_click_without_signing_in(
    app: Flask, people: dict[str, int], mailbox: Mailbox, caplog: pytest.LogCaptureFixture
) -> None:
    space = add_space(app)
    alice = _sign_in(app, "alice@example.org")
    page = f"/communities/{space}"
    post_form(alice, f"{page}/follow", {"state": "on"}, page)
    bruno = _sign_in(app, "bruno@example.org")
    post_form(bruno, f"{page}/ask", {"title": "Second", "body": "Hi.", "language": "en"}, page)
    (mail,) = mailbox.to("alice@example.org")
    path = _unsubscribe_path(mail)
    token = path.rsplit("/", 1)[1]

    anonymous = app.test_client()
    caplog.set_level("INFO")
    # A mail scanner opening the link stops nothing. The page is in Alice's language, not
    # the browser's: the link may be opened on a phone that is not set up in hers.
    asked = anonymous.get(path, headers={"Accept-Language": "fr"})
    assert asked.status_code == 200
    assert asked.headers["Referrer-Policy"] == "no-referrer"
    assert "Stop these mails" in asked.get_data(as_text=True)
    assert _follows_community(app, people["alice"], space)
    chosen = app.test_client()
    chosen.set_cookie("lang", "fr")  # the visitor chose French with the language switch
    assert "Arrêter ces courriels" in chosen.get(path).get_data(as_text=True)

    stopped = anonymous.post(path, data=ONE_CLICK)  # no CSRF token: as a mail client posts
    assert stopped.status_code == 200
    assert "These mails are stopped" in stopped.get_data(as_text=True)
    assert not _follows_community(app, people["alice"], space)
    assert anonymous.post(path, data=ONE_CLICK).status_code == 200  # twice: harmless
    assert all(token not in record.getMessage() for record in caplog.records)

    post_form(bruno, f"{page}/ask", {"title": "Third", "body": "Hey.", "language": "en"}, page)
    assert len(mailbox.to("alice@example.org")) == 1

    # Following again revokes the old link: it no longer stops the new follow.
    post_form(alice, f"{page}/follow", {"state": "on"}, page)
    assert "This link is out of date" in anonymous.get(path).get_data(as_text=True)
    anonymous.post(path, data=ONE_CLICK)
    assert _follows_community(app, people["alice"], space)


def test_a_thread_mail_stops_that_thread_only(
    app: Flask, people: dict[str, int], mailbox: Mailbox
) -> None:
    space = add_space(app)
    mine = ask(app, people["alice"], space, title="Mine")
    other = ask(app, people["alice"], space, title="Other")
    bruno = _sign_in(app, "bruno@example.org")
    for thread in (mine, other):
        page = f"/communities/threads/{thread}"
        post_form(bruno, f"{page}/reply", {"body": "Answer.", "language": "en"}, page)
    first, _second = mailbox.to("alice@example.org")
    path = _unsubscribe_path(first)
    page = app.test_client().get(path).get_data(as_text=True)
    assert "Mine" in page
    assert app.test_client().post(path, data=ONE_CLICK).status_code == 200
    with app.app_context():
        followed = set(
            get_session().scalars(
                select(ThreadFollow.thread_id).where(ThreadFollow.user_id == people["alice"])
            )
        )
    assert followed == {other}
    assert reply


def test_the_digest_stops_in_one_click(
    app: Flask, people: dict[str, int], mailbox: Mailbox
) -> None:
    space = add_space(app)
    thread = ask(app, people["alice"], space, title="Digest me")
    alice = _sign_in(app, "alice@example.org")
    settings = "/communities/settings"
    post_form(alice, settings, {"display_name": "", "mail_mode": "digest"}, settings)
    reply(app, people["bruno"], thread, "News.")
    later = utcnow() + timedelta(days=1)  # past the next digest hour, whatever the time now
    assert run_chore(app, lambda: mail_jobs.send_digests(now=later)) == 1
    (digest,) = mailbox.to("alice@example.org")
    path = _unsubscribe_path(digest)
    assert "daily digest" in app.test_client().get(path).get_data(as_text=True)
    assert app.test_client().post(path, data=ONE_CLICK).status_code == 200
    with app.app_context():
        profile = get_session().get(MemberProfile, people["alice"])
        assert profile is not None
        assert profile.mail_mode is MailMode.OFF


def test_an_altered_token_names_nothing(app: Flask, people: dict[str, int]) -> None:
    client = app.test_client()
    for token in ("x", "eyJ1IjoxfQ.forged", "a" * 3000):
        assert client.get(f"/communities/unsubscribe/{token}").status_code == 404
        assert client.post(f"/communities/unsubscribe/{token}", data=ONE_CLICK).status_code == 404
    assert people
