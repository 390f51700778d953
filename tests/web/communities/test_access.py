"""Who reads what: a community open to cohorts is open to their members, its moderators and
staff, and to nobody else, at every address of it; a course's discussion to everyone."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete

from lms.cohorts.models import CohortMembership
from lms.communities.models import Audience
from lms.db import get_session
from tests.web.learning_helpers import sign_in
from tests.web.staff_helpers import add_cohort, add_member, add_user

from .helpers import BASICS, add_space, ask, post_form, posts_of, reply


def _world(app: Flask, people: dict[str, int]) -> dict[str, int]:
    cohort_a = add_cohort(app, "FRQ 2026 A")
    cohort_b = add_cohort(app, "FRQ 2026 B")
    add_member(app, cohort_a, "alice@example.org", "Alice", "T", user_id=people["alice"])
    add_member(app, cohort_b, "bruno@example.org", "Bruno", "G", user_id=people["bruno"])
    moderator = add_user(app, "mona@example.org")
    space = add_space(app, name="Fellows A", audience=Audience.COHORTS, cohort_ids=[cohort_a],
                      moderators=["mona@example.org"])  # fmt: skip
    thread = ask(app, people["alice"], space, title="Our cohort only")
    return {"space": space, "thread": thread, "post": posts_of(app, thread)[0].id,
            "moderator": moderator}  # fmt: skip


def test_a_member_of_another_cohort_reads_and_writes_nothing_of_it(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    world = _world(app, people)
    sign_in(client, "bruno@example.org")
    space, thread, post = world["space"], world["thread"], world["post"]
    for path in (
        f"/communities/{space}",
        f"/communities/{space}/reports",
        f"/communities/threads/{thread}",
        f"/communities/posts/{post}",
        f"/communities/posts/{post}/edit",
        f"/communities/posts/{post}/report",
        f"/communities/posts/{post}/hide",
    ):
        assert client.get(path).status_code == 404, path
    token_page = "/communities/settings"
    for path, data in (
        (f"/communities/{space}/ask", {"title": "In", "body": "x", "language": "en"}),
        (f"/communities/{space}/follow", {"state": "on"}),
        (f"/communities/threads/{thread}/reply", {"body": "x", "language": "en"}),
        (f"/communities/threads/{thread}/follow", {"state": "on"}),
        (f"/communities/threads/{thread}/pin", {"state": "on"}),
        (f"/communities/posts/{post}/report", {"reason": "x"}),
    ):
        assert post_form(client, path, data, token_page).status_code == 404, path
    assert len(posts_of(app, thread)) == 1
    listed = client.get("/communities/").get_data(as_text=True)
    assert "Fellows A" not in listed


def test_its_members_moderators_and_staff_read_it(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    world = _world(app, people)
    for email in ("alice@example.org", "mona@example.org", "sam@example.org"):
        visitor = app.test_client()
        sign_in(visitor, email)
        assert "Fellows A" in visitor.get("/communities/").get_data(as_text=True), email
        page = visitor.get(f"/communities/threads/{world['thread']}")
        assert page.status_code == 200, email
        assert "Our cohort only" in page.get_data(as_text=True)


def test_a_member_who_leaves_the_cohort_no_longer_reads_it(
    app: Flask, people: dict[str, int]
) -> None:
    world = _world(app, people)
    alice = app.test_client()
    sign_in(alice, "alice@example.org")
    assert alice.get(f"/communities/threads/{world['thread']}").status_code == 200
    with app.app_context():
        session = get_session()
        session.execute(delete(CohortMembership).where(CohortMembership.user_id == people["alice"]))
        session.commit()
    assert alice.get(f"/communities/threads/{world['thread']}").status_code == 404


def test_a_courses_discussion_and_an_open_space_are_open_to_everyone_signed_in(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    open_space = add_space(app, name="Everyone")
    question = ask(app, people["alice"], course_id=BASICS, title="About the course")
    reply(app, people["bruno"], question)
    sign_in(client, "bruno@example.org")
    assert client.get(f"/communities/{open_space}").status_code == 200
    assert client.get(f"/communities/threads/{question}").status_code == 200
    anonymous = app.test_client()
    for path in ("/communities/", f"/communities/{open_space}", f"/communities/courses/{BASICS}"):
        response = anonymous.get(path)
        assert response.status_code == 302
        assert "/accounts/sign-in" in response.headers["Location"]


def test_unknown_courses_lessons_and_ids_are_not_found(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    sign_in(client, "alice@example.org")
    assert client.get("/communities/courses/no-such-course").status_code == 404
    assert client.get(f"/communities/courses/{BASICS}?lesson=nowhere").status_code == 404
    assert client.get(f"/communities/courses/{BASICS}?lesson=check.quiz").status_code == 404
    assert client.get("/communities/threads/999").status_code == 404
    assert client.get("/communities/999").status_code == 404
