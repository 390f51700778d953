"""Two requests at once, on two servers of one database: a course's discussion is made once,
replies are both counted, a member's report is kept once, a post is hidden (and audited)
once. Run on PostgreSQL too (``.ci/with-postgres``), where both read before either writes."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from lms.accounts.categories import Role
from lms.audit.models import AuditEvent
from lms.communities import queries, services
from lms.communities.models import Community, PostReport
from lms.db import get_session
from tests.support.databases import Databases
from tests.support.smtp import Mailbox
from tests.web.conftest import MakeApp
from tests.web.helpers import hidden_fields
from tests.web.learning_helpers import sign_in
from tests.web.races import Race, at_once
from tests.web.staff_helpers import STAFF_CONTENT, add_user

from .helpers import BASICS, add_space, ask, posts_of, reply, thread_row


def _servers(make_app: MakeApp, databases: Databases, mailbox: Mailbox) -> tuple[Flask, Flask]:
    url = databases.url("communities-race")
    one = make_app(content_dir=STAFF_CONTENT, database_url=url, **mailbox.settings)
    two = make_app(
        content_dir=STAFF_CONTENT, database_url=url, with_schema=False, **mailbox.settings
    )
    return one, two


def _clients(one: Flask, two: Flask, *emails: str) -> list[FlaskClient]:
    clients = [one.test_client(), two.test_client()]
    for client, email in zip(clients, emails, strict=True):
        sign_in(client, email)
    return clients


def _count(app: Flask, statement: object) -> int:
    with app.app_context():
        return int(get_session().scalar(statement) or 0)  # type: ignore[call-overload]


def test_two_first_questions_of_a_course_at_once_make_one_discussion(
    make_app: MakeApp, databases: Databases, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    one, two = _servers(make_app, databases, mailbox)
    add_user(one, "alice@example.org")
    add_user(one, "bruno@example.org")
    clients = _clients(one, two, "alice@example.org", "bruno@example.org")
    page = f"/communities/courses/{BASICS}"
    forms = [
        {**hidden_fields(c.get(page).get_data(as_text=True), f"{page}/ask"),
         "lesson": "welcome", "title": f"Question {n}", "body": "Why?", "language": "en"}
        for n, c in enumerate(clients)
    ]  # fmt: skip
    race = Race((one, two))
    monkeypatch.setattr(queries, "course_community", race.hold(queries.course_community))

    responses = at_once(
        race,
        *(
            lambda c=c, f=f: c.post(f"{page}/ask", data=f)
            for c, f in zip(clients, forms, strict=True)
        ),
    )

    assert [r.status_code for r in responses] == [303, 303]
    assert _count(one, select(func.count(Community.id))) == 1
    listed = clients[0].get(f"{page}?lesson=welcome").get_data(as_text=True)
    assert "Question 0" in listed
    assert "Question 1" in listed


def test_two_replies_at_once_are_both_counted(
    make_app: MakeApp, databases: Databases, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    one, two = _servers(make_app, databases, mailbox)
    alice = add_user(one, "alice@example.org")
    add_user(one, "bruno@example.org")
    add_user(one, "sam@example.org", role=Role.STAFF)
    space = add_space(one)
    thread = ask(one, alice, space)
    clients = _clients(one, two, "alice@example.org", "bruno@example.org")
    page = f"/communities/threads/{thread}"
    forms = [
        {**hidden_fields(c.get(page).get_data(as_text=True), f"{page}/reply"),
         "body": f"Reply {n}", "language": "en"}
        for n, c in enumerate(clients)
    ]  # fmt: skip
    race = Race((one, two))
    monkeypatch.setattr(services, "find_thread", race.hold(services.find_thread))

    responses = at_once(
        race,
        *(
            lambda c=c, f=f: c.post(f"{page}/reply", data=f)
            for c, f in zip(clients, forms, strict=True)
        ),
    )

    assert [r.status_code for r in responses] == [303, 303]
    posts = posts_of(one, thread)
    row = thread_row(one, thread)
    assert (row.post_count, row.last_post_id) == (3, max(p.id for p in posts))


def test_a_report_sent_from_two_tabs_at_once_is_kept_and_mailed_once(
    make_app: MakeApp, databases: Databases, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    one, two = _servers(make_app, databases, mailbox)
    alice = add_user(one, "alice@example.org")
    bruno = add_user(one, "bruno@example.org")
    add_user(one, "sam@example.org", role=Role.STAFF)
    add_user(one, "mona@example.org")
    space = add_space(one, moderators=["mona@example.org"])
    thread = ask(one, alice, space)
    answer = reply(one, bruno, thread, "Rude words")
    clients = _clients(one, two, "alice@example.org", "alice@example.org")
    page = f"/communities/posts/{answer}/report"
    forms = [
        {**hidden_fields(c.get(page).get_data(as_text=True), page), "reason": "Rude"}
        for c in clients
    ]
    race = Race((one, two))
    monkeypatch.setattr(services, "find_post", race.hold(services.find_post))

    responses = at_once(
        race, *(lambda c=c, f=f: c.post(page, data=f) for c, f in zip(clients, forms, strict=True))
    )

    assert [r.status_code for r in responses] == [303, 303]
    assert _count(one, select(func.count(PostReport.id))) == 1
    assert len(mailbox.to("mona@example.org")) == 1


def test_a_post_hidden_by_two_moderators_at_once_is_hidden_and_audited_once(
    make_app: MakeApp, databases: Databases, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    one, two = _servers(make_app, databases, mailbox)
    alice = add_user(one, "alice@example.org")
    add_user(one, "sam@example.org", role=Role.STAFF)
    add_user(one, "ada@example.org", role=Role.ADMIN)
    space = add_space(one)
    thread = ask(one, alice, space)
    post = posts_of(one, thread)[0].id
    clients = _clients(one, two, "sam@example.org", "ada@example.org")
    page = f"/communities/posts/{post}/hide"
    forms = [
        {**hidden_fields(c.get(page).get_data(as_text=True), page), "reason": "No."}
        for c in clients
    ]
    race = Race((one, two))
    monkeypatch.setattr(services, "find_post", race.hold(services.find_post))

    responses = at_once(
        race, *(lambda c=c, f=f: c.post(page, data=f) for c, f in zip(clients, forms, strict=True))
    )

    assert [r.status_code for r in responses] == [303, 303]
    hidden = select(func.count(AuditEvent.id)).where(AuditEvent.action == "post.hide")
    assert _count(one, hidden) == 1
    assert thread_row(one, thread).hidden_at is not None
