"""A community's list of threads, a thread's page and the header's unread count cost the same
number of SQL statements for a few threads as for many."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import insert, select

from lms.communities.models import CommunityFollow, Post, Thread, ThreadFollow
from lms.db import get_session, utcnow
from tests.web.learning_helpers import sign_in
from tests.web.staff_helpers import add_user, counting_statements

from .helpers import add_space, ask


def grow(app: Flask, community_id: int, writers: list[int], *, threads: int, replies: int) -> int:
    """``threads`` threads by turns of ``writers``, each with ``replies`` replies, written in
    bulk; the id of the first thread made."""
    now = utcnow()
    with app.app_context():
        session = get_session()
        first = None
        for number in range(threads):
            author = writers[number % len(writers)]
            thread = Thread(
                community_id=community_id,
                author_id=author,
                title=f"Question {number}",
                language="en",
                created_at=now,
                last_post_at=now,
                post_count=replies + 1,
            )
            session.add(thread)
            session.flush()
            first = first or thread.id
            session.execute(
                insert(Post),
                [
                    {"thread_id": thread.id, "author_id": writers[(number + n) % len(writers)],
                     "body": f"Post {n}", "html": f"<p>Post {n}</p>", "language": "en",
                     "created_at": now, "notified_at": now}
                    for n in range(replies + 1)
                ],
            )  # fmt: skip
            thread.last_post_id = (
                session.scalar(
                    select(Post.id)
                    .where(Post.thread_id == thread.id)
                    .order_by(Post.id.desc())
                    .limit(1)
                )
                or 0
            )
            session.add(ThreadFollow(user_id=writers[0], thread_id=thread.id))
        session.commit()
        assert first is not None
        return first


def _statements(app: Flask, request: Callable[[], object]) -> int:
    request()  # warm: templates compiled, the catalogue read
    with counting_statements(app) as statements:
        request()
    return len(statements)


def _costs(app: Flask, client: FlaskClient, community_id: int, thread_id: int) -> dict[str, int]:
    return {
        "list": _statements(app, lambda: client.get(f"/communities/{community_id}")),
        "list_page_2": _statements(app, lambda: client.get(f"/communities/{community_id}?page=2")),
        "thread": _statements(app, lambda: client.get(f"/communities/threads/{thread_id}")),
        "header": _statements(app, lambda: client.get("/courses")),
    }


def test_pages_cost_the_same_statements_for_a_few_threads_or_many(
    app: Flask, people: dict[str, int]
) -> None:
    writers = [people["alice"], people["bruno"]] + [
        add_user(app, f"member{n}@example.org") for n in range(8)
    ]
    small = add_space(app, name="Small")
    large = add_space(app, name="Large")
    small_thread = grow(app, small, writers[:2], threads=2, replies=1)
    large_thread = grow(app, large, writers, threads=60, replies=70)
    with app.app_context():
        session = get_session()
        session.add_all(
            [CommunityFollow(user_id=people["alice"], community_id=c) for c in (small, large)]
        )
        session.commit()
    client = app.test_client()
    sign_in(client, "alice@example.org")

    few = _costs(app, client, small, small_thread)
    many = _costs(app, client, large, large_thread)
    assert few == many
    assert many["list"] <= 10
    assert many["thread"] <= 10
    page = client.get(f"/communities/{large}").get_data(as_text=True)
    assert page.count('class="thread-item') == 25
    assert "Next page" in page


def test_the_header_counts_up_to_99_then_says_more(app: Flask, people: dict[str, int]) -> None:
    space = add_space(app)
    grow(app, space, [people["bruno"]], threads=99, replies=1)
    with app.app_context():
        session = get_session()
        session.add(CommunityFollow(user_id=people["alice"], community_id=space))
        session.commit()
    client = app.test_client()
    sign_in(client, "alice@example.org")
    assert '<span class="unread-count">99 unread</span>' in client.get("/courses").get_data(
        as_text=True
    )
    grow(app, space, [people["bruno"]], threads=1, replies=1)
    assert '<span class="unread-count">99+ unread</span>' in client.get("/courses").get_data(
        as_text=True
    )


def test_staffs_list_reads_the_courses_discussions_in_one_statement_whatever_the_catalogue(
    app: Flask, people: dict[str, int]
) -> None:
    for course_id in ("basics", "practice"):
        ask(app, people["alice"], course_id=course_id)
    client = app.test_client()
    sign_in(client, "sam@example.org")
    with counting_statements(app) as statements:
        page = client.get("/staff/communities/").get_data(as_text=True)
    assert page.count(">Moderators<") == 2  # each discussion's moderators, linked
    one_by_one = [s for s in statements if "WHERE communities.course_id = " in s]
    assert one_by_one == []  # not a statement per course of the catalogue
