"""Shared by the communities tests (web, browser, bench): spaces, questions and replies made
directly, members signed in, the posts' text read back."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from lms.accounts.categories import Role
from lms.accounts.models import User
from lms.catalog import current_catalog
from lms.communities import services, spaces
from lms.communities.models import Audience, Community, Post, Thread
from lms.db import get_session, utcnow
from lms.outbox.models import QueuedMail
from lms.outbox.sending import send_now
from tests.web.helpers import submit_form

BASICS = "basics"
"""The staff content's course: lessons ``welcome`` and ``partners``, then ``check.quiz``."""


def add_space(
    app: Flask,
    *,
    name: str = "Patient partners",
    audience: Audience = Audience.EVERYONE,
    cohort_ids: Sequence[int] = (),
    moderators: Sequence[str] = (),
    staff_id: int | None = None,
) -> int:
    """A space defined as staff's form does, by ``staff_id`` (else the first staff member)."""
    with app.app_context():
        session = get_session()
        actor = session.get(User, staff_id) if staff_id else _first_staff(session)
        community = spaces.create_space(
            session,
            actor,
            spaces.SpaceFields(
                name_fr=f"{name} (fr)",
                name_en=name,
                description_fr="Un espace pour *échanger*.",
                description_en="A place to *talk*.",
                audience=audience,
                cohort_ids=tuple(cohort_ids),
                moderators=tuple(moderators),
            ),
        )
        session.commit()
        return community.id


def _first_staff(session: Session) -> User:
    found = session.scalar(select(User).where(User.role != Role.LEARNER).order_by(User.id))
    assert found is not None, "add a staff member first"
    return found


def ask(
    app: Flask,
    user_id: int,
    community_id: int | None = None,
    *,
    course_id: str | None = None,
    title: str = "How do I start?",
    body: str = "I would like to *begin*.",
    language: str = "en",
    lesson: str | None = None,
    now: datetime | None = None,
) -> int:
    """A thread opened directly (no mail job runs); its id."""
    with app.app_context():
        session = get_session()
        user = session.get(User, user_id)
        assert user is not None
        if course_id is not None:
            community = services.course_community(session, current_catalog(), course_id)
        else:
            found = session.get(Community, community_id)
            assert found is not None
            community = found
        thread = services.ask(
            session, user, community, title=title, body=body, language=language,
            lesson=lesson, now=now or utcnow(),
        )  # fmt: skip
        session.commit()
        return thread.id


def reply(
    app: Flask, user_id: int, thread_id: int, body: str = "Here is how.", *,
    language: str = "en", now: datetime | None = None,
) -> int:  # fmt: skip
    """A reply written directly (no mail job runs); its id."""
    with app.app_context():
        session = get_session()
        user = session.get(User, user_id)
        assert user is not None
        place = services.find_thread(session, services.viewer_of(user), thread_id)
        post = services.reply(
            session, user, place, body=body, language=language, now=now or utcnow()
        )
        session.commit()
        return post.id


def posts_of(app: Flask, thread_id: int) -> list[Post]:
    with app.app_context():
        session = get_session()
        found = list(
            session.scalars(select(Post).where(Post.thread_id == thread_id).order_by(Post.id))
        )
        session.expunge_all()
        return found


def thread_row(app: Flask, thread_id: int) -> Thread:
    with app.app_context():
        session = get_session()
        found = session.get(Thread, thread_id)
        assert found is not None
        session.expunge_all()
        return found


def post_form(client: FlaskClient, path: str, data: dict[str, str], page: str) -> TestResponse:
    """POST ``data`` to ``path`` as the form of ``page`` that posts there sends it."""
    return submit_form(client, path, data, page)


def run_chore(app: Flask, chore: Callable[[], object]) -> int:
    """Run a chore as the worker does, then send what it queued; what it returned."""
    with app.app_context():
        done = chore()
        session = get_session()
        unsent = list(session.scalars(select(QueuedMail.id).where(QueuedMail.sent_at.is_(None))))
        session.commit()
        send_now(session, unsent)
        return int(done or 0)
