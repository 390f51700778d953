"""Moderators pin, lock, hide (the author reads why) and restore, and read the reports; each
change is audited once, however often its form is posted; members cannot moderate."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from lms.accounts.categories import Role
from lms.audit.models import AuditEvent
from lms.communities import mail_jobs
from lms.communities.models import Post
from lms.db import get_session, utcnow
from tests.support.smtp import Mailbox, links_in, path_of, text_of
from tests.web.helpers import hidden_fields
from tests.web.learning_helpers import sign_in
from tests.web.staff_helpers import add_user

from .helpers import add_space, ask, post_form, posts_of, reply, run_chore, thread_row


def _events(app: Flask, action: str) -> list[AuditEvent]:
    with app.app_context():
        session = get_session()
        found = list(session.scalars(select(AuditEvent).where(AuditEvent.action == action)))
        session.expunge_all()
        return found


def _setting(app: Flask, people: dict[str, int]) -> tuple[int, int, int, FlaskClient]:
    """A space moderated by Mona, Alice's thread and Bruno's reply; Mona signed in."""
    add_user(app, "mona@example.org")
    space = add_space(app, moderators=["mona@example.org"])
    thread = ask(app, people["alice"], space, title="Where to begin?")
    answer = reply(app, people["bruno"], thread, "Read *this* first.")
    mona = app.test_client()
    sign_in(mona, "mona@example.org")
    return space, thread, answer, mona


def _hide(moderator: FlaskClient, post_id: int, reason: str) -> None:
    """Hide the post as ``moderator`` does: its confirmation page, then its form."""
    page = f"/communities/posts/{post_id}/hide"
    fields = hidden_fields(moderator.get(page).get_data(as_text=True), page)
    assert moderator.post(page, data={**fields, "reason": reason}).status_code == 303


def _client(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    sign_in(client, email)
    return client


def test_a_hidden_post_shows_its_reason_to_its_author_and_is_hidden_from_others(
    app: Flask, people: dict[str, int]
) -> None:
    _space, thread, answer, mona = _setting(app, people)
    page = f"/communities/posts/{answer}/hide"
    confirm = mona.get(page)
    assert confirm.status_code == 200
    assert "Read <em>this</em> first." in confirm.get_data(as_text=True)
    fields = hidden_fields(confirm.get_data(as_text=True), page)
    posted = mona.post(page, data={**fields, "reason": "Please cite a source."})
    assert posted.status_code == 303
    again = mona.post(page, data={**fields, "reason": "Please cite a source."})
    assert again.status_code == 303
    (event,) = _events(app, "post.hide")
    assert event.details["reason"] == "Please cite a source."
    assert event.target == f"post:{answer}"

    bruno = (
        _client(app, "bruno@example.org")
        .get(f"/communities/threads/{thread}")
        .get_data(as_text=True)
    )
    # Bruno reads French.
    assert "Une personne modératrice a masqué ce message\u00a0: seuls vous" in bruno
    assert "Please cite a source." in bruno
    assert "Read <em>this</em> first." in bruno
    alice = (
        _client(app, "alice@example.org")
        .get(f"/communities/threads/{thread}")
        .get_data(as_text=True)
    )
    assert "A moderator hid this post." in alice
    assert "Read <em>this</em> first." not in alice
    assert "Please cite a source." not in alice

    restore = f"/communities/posts/{answer}/restore"
    assert post_form(mona, restore, {}, restore).status_code == 303
    assert len(_events(app, "post.restore")) == 1
    alice = (
        _client(app, "alice@example.org")
        .get(f"/communities/threads/{thread}")
        .get_data(as_text=True)
    )
    assert "Read <em>this</em> first." in alice


def test_hiding_an_opening_post_takes_its_thread_off_the_list_but_for_its_author(
    app: Flask, people: dict[str, int]
) -> None:
    space, thread, _answer, mona = _setting(app, people)
    opening = posts_of(app, thread)[0].id
    page = f"/communities/posts/{opening}/hide"
    assert post_form(mona, page, {"reason": "Off topic."}, page).status_code == 303
    assert thread_row(app, thread).hidden_at is not None

    bruno = _client(app, "bruno@example.org")
    assert "Where to begin?" not in bruno.get(f"/communities/{space}").get_data(as_text=True)
    assert bruno.get(f"/communities/threads/{thread}").status_code == 404
    alice = _client(app, "alice@example.org")
    listed = alice.get(f"/communities/{space}").get_data(as_text=True)
    assert "Where to begin?" in listed
    assert "Hidden by a moderator" in listed
    assert "Off topic." in alice.get(f"/communities/threads/{thread}").get_data(as_text=True)
    assert "Where to begin?" in mona.get(f"/communities/{space}").get_data(as_text=True)


def test_pinning_and_locking_are_audited_once_and_a_locked_thread_takes_no_reply(
    app: Flask, people: dict[str, int]
) -> None:
    space, thread, _answer, mona = _setting(app, people)
    later = ask(app, people["bruno"], space, title="A later question")
    listed = mona.get(f"/communities/{space}").get_data(as_text=True)
    assert listed.index("A later question") < listed.index("Where to begin?")
    thread_page = f"/communities/threads/{thread}"
    for _twice in range(2):
        assert (
            post_form(mona, f"{thread_page}/pin", {"state": "on"}, thread_page).status_code == 303
        )
        assert (
            post_form(mona, f"{thread_page}/lock", {"state": "on"}, thread_page).status_code == 303
        )
    assert len(_events(app, "thread.pin")) == 1
    assert len(_events(app, "thread.lock")) == 1
    listed = mona.get(f"/communities/{space}").get_data(as_text=True)
    assert listed.index("Where to begin?") < listed.index("A later question")

    alice = _client(app, "alice@example.org")
    page = alice.get(thread_page).get_data(as_text=True)
    assert "A moderator locked this discussion" in page
    assert f'action="{thread_page}/reply"' not in page
    refused = post_form(
        alice, f"{thread_page}/reply", {"body": "Still?", "language": "en"}, "/communities/settings"
    )
    assert refused.status_code == 409
    assert len(posts_of(app, thread)) == 2

    assert post_form(mona, f"{thread_page}/lock", {"state": "off"}, thread_page).status_code == 303
    assert (
        post_form(
            alice, f"{thread_page}/reply", {"body": "Now.", "language": "en"}, thread_page
        ).status_code
        == 303
    )
    assert len(_events(app, "thread.unlock")) == 1
    assert later


def test_members_cannot_moderate(app: Flask, people: dict[str, int]) -> None:
    _space, thread, answer, _mona = _setting(app, people)
    alice = _client(app, "alice@example.org")
    assert alice.get(f"/communities/posts/{answer}/hide").status_code == 403
    thread_page = f"/communities/threads/{thread}"
    assert post_form(alice, f"{thread_page}/pin", {"state": "on"}, thread_page).status_code == 403
    assert post_form(alice, f"{thread_page}/lock", {"state": "on"}, thread_page).status_code == 403
    page = alice.get(thread_page).get_data(as_text=True)
    assert "/hide" not in page
    assert "/pin" not in page
    assert thread_row(app, thread).pinned is False


def test_a_report_reaches_the_moderators_once_and_they_dismiss_it(
    app: Flask, people: dict[str, int], mailbox: Mailbox
) -> None:
    space, thread, answer, mona = _setting(app, people)
    alice = _client(app, "alice@example.org")
    page = f"/communities/posts/{answer}/report"
    assert post_form(alice, page, {"reason": "It names a patient."}, page).status_code == 303
    second = post_form(alice, page, {"reason": "Again."}, page)
    assert second.status_code == 303
    assert "You reported this post already" in alice.get(
        second.headers["Location"], follow_redirects=True
    ).get_data(as_text=True)
    (mail,) = mailbox.to("mona@example.org")
    assert "It names a patient." in text_of(mail)
    assert "alice" not in text_of(mail).lower()
    assert "You reported it" in alice.get(f"/communities/threads/{thread}").get_data(as_text=True)

    reports = f"/communities/{space}/reports"
    assert alice.get(reports).status_code == 403
    listed = mona.get(reports).get_data(as_text=True)
    assert "It names a patient." in listed
    assert "reported by 1 member" in listed
    assert 'lang="en">Where to begin?</a>' in listed  # the title in its own language
    dismiss = f"/communities/posts/{answer}/dismiss"
    assert post_form(mona, dismiss, {}, reports).status_code == 303
    assert "No post is waiting for a moderator." in mona.get(reports).get_data(as_text=True)
    (event,) = _events(app, "post.reports_dismiss")
    assert event.details["reports"] == 1


def test_the_audit_trail_names_what_was_moderated_and_links_to_it(
    app: Flask, people: dict[str, int]
) -> None:
    add_user(app, "ada@example.org", role=Role.ADMIN)
    _space, thread, answer, mona = _setting(app, people)
    page = f"/communities/posts/{answer}/hide"
    post_form(mona, page, {"reason": "Please cite a source."}, page)
    admin = _client(app, "ada@example.org")
    trail = admin.get("/admin/audit").get_data(as_text=True)
    assert "Post hidden" in trail
    assert f'href="/communities/posts/{answer}"' in trail
    assert "Please cite a source." in trail
    assert "bruno@example.org" in trail  # the author, by name, for staff
    assert thread


def test_the_author_of_a_hidden_post_is_told_by_mail_in_their_language_and_when_restored(
    app: Flask, people: dict[str, int], mailbox: Mailbox
) -> None:
    space, thread, answer, mona = _setting(app, people)
    page = f"/communities/posts/{answer}/hide"
    fields = hidden_fields(mona.get(page).get_data(as_text=True), page)
    for _twice in range(2):
        mona.post(page, data={**fields, "reason": "Citez une source, svp."})
    (hidden,) = mailbox.to("bruno@example.org")  # Bruno wrote it; he reads French
    assert hidden["Subject"].startswith("Une personne modératrice a masqué votre message")
    text = text_of(hidden)
    assert "«\u00a0Where to begin?\u00a0»" in text
    assert "Read *this* first." in text
    assert "Citez une source, svp." in text
    (link,) = links_in(hidden)
    bruno = _client(app, "bruno@example.org")
    seen = bruno.get(path_of(link))
    assert seen.status_code == 302
    assert f"#post-{answer}" in seen.headers["Location"]
    assert mailbox.to("alice@example.org") == []

    restore = f"/communities/posts/{answer}/restore"
    post_form(mona, restore, {}, restore)
    post_form(mona, restore, {}, restore)
    assert len(mailbox.to("bruno@example.org")) == 2
    restored = mailbox.last("bruno@example.org")
    assert "à nouveau" in restored["Subject"]
    assert "Read *this* first." in text_of(restored)
    assert space
    assert thread


def test_a_hidden_post_cannot_be_read_nor_reported_through_its_report_page(
    app: Flask, people: dict[str, int]
) -> None:
    _space, _thread, answer, mona = _setting(app, people)
    _hide(mona, answer, "Off topic.")
    alice = _client(app, "alice@example.org")
    report = f"/communities/posts/{answer}/report"
    refused = alice.get(report)
    assert refused.status_code == 409
    assert "Read <em>this</em> first." not in refused.get_data(as_text=True)
    assert alice.post(report, data={"reason": "x"}).status_code in {400, 409}


def test_a_hidden_post_or_a_locked_threads_post_offers_no_edit_form(
    app: Flask, people: dict[str, int]
) -> None:
    _space, thread, answer, mona = _setting(app, people)
    _hide(mona, answer, "Off topic.")
    bruno = _client(app, "bruno@example.org")
    refused = bruno.get(f"/communities/posts/{answer}/edit")
    assert refused.status_code == 409
    assert 'name="body"' not in refused.get_data(as_text=True)
    opening = posts_of(app, thread)[0].id
    thread_page = f"/communities/threads/{thread}"
    post_form(mona, f"{thread_page}/lock", {"state": "on"}, thread_page)
    alice = _client(app, "alice@example.org")
    assert alice.get(f"/communities/posts/{opening}/edit").status_code == 409


def test_a_post_hidden_before_its_mail_went_out_is_mailed_once_restored(
    app: Flask, people: dict[str, int], mailbox: Mailbox
) -> None:
    """Bruno's reply is hidden before its job runs: Alice, who follows her thread, hears of
    it when it is restored, once, and not while it is hidden (nor from the owed chore)."""
    _space, thread, answer, mona = _setting(app, people)
    opening = posts_of(app, thread)[0].id
    run_chore(app, lambda: mail_jobs.notify_post(opening))  # its author's: no one to tell
    _hide(mona, answer, "To check.")
    run_chore(app, lambda: mail_jobs.notify_post(answer))
    with app.app_context():
        session = get_session()
        session.execute(update(Post).values(created_at=utcnow() - timedelta(hours=1)))
        session.commit()
    assert run_chore(app, mail_jobs.notify_owed) == 0
    assert mailbox.to("alice@example.org") == []

    restore = f"/communities/posts/{answer}/restore"
    post_form(mona, restore, {}, restore)

    (mail,) = mailbox.to("alice@example.org")
    assert "Read *this* first." in text_of(mail)
    assert run_chore(app, mail_jobs.notify_owed) == 0
    run_chore(app, lambda: mail_jobs.notify_post(answer))
    assert len(mailbox.to("alice@example.org")) == 1
