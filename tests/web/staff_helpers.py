"""Shared by the staff tests: their content, staff and learners, cohorts and their members."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import event, select
from sqlalchemy.engine import Connection

from lms.accounts import services as accounts
from lms.accounts.categories import Role
from lms.accounts.models import User
from lms.audit.models import AuditEvent
from lms.cohorts.models import Cohort, CohortMembership
from lms.db import database, get_session
from tests.support.apps import TESTS

from .conftest import MakeApp
from .helpers import PASSWORD, stored_hash

STAFF_CONTENT = TESTS / "fixtures" / "content" / "staff"
BASICS = "basics"
"""Lessons ``welcome``, ``partners``, then ``check.quiz`` (every graded type, a reflection)."""
BASICS_QUIZ = f"/courses/{BASICS}/check.quiz"


def basics_answers(reflection: str = "A reflection.") -> dict[str, str | list[str]]:
    """Every graded answer right in BASICS' quiz (a pass), with ``reflection`` for its essay."""
    return {
        "answer-when": "0",
        "answer-roles": ["0", "2"],
        "answer-lived": "true",
        "answer-posture": "co-construction",
        "answer-yours": reflection,
    }


PRACTICE = "practice"
"""One lesson, ``apply``."""
PROGRAM = "program"
"""The certificate requiring BASICS and PRACTICE."""


def site_today() -> date:
    """Today in the site's time zone (``LMS_TIME_ZONE``'s default), as the pages count days."""
    return datetime.now(ZoneInfo("America/Toronto")).date()


def staff_app(make_app: MakeApp, **overrides: object) -> Flask:
    return make_app(content_dir=STAFF_CONTENT, **overrides)


def add_user(
    app: Flask,
    email: str,
    *,
    role: Role = Role.LEARNER,
    name: str | None = None,
    language: str | None = "en",
    password: str | None = PASSWORD,
) -> int:
    """An account (confirmed, with ``name`` for certificates); its id.

    English by default, so that the tests' pages read in English, as their assertions do.
    """
    with app.app_context():
        session = get_session()
        user = accounts.create_user(
            session, email, None, role, language, email_confirmed=password is not None
        )
        user.password_hash = None if password is None else stored_hash(password)
        user.certificate_name = name
        session.commit()
        return user.id


def add_cohort(
    app: Flask,
    name: str = "FRQ fellows 2026",
    *,
    certificate_id: str = PROGRAM,
    due_date: date | None = None,
) -> int:
    with app.app_context():
        session = get_session()
        cohort = Cohort(name=name, certificate_id=certificate_id, due_date=due_date)
        session.add(cohort)
        session.commit()
        return cohort.id


def add_member(
    app: Flask,
    cohort_id: int,
    email: str,
    first_name: str,
    last_name: str,
    *,
    sector: str = "health",
    user_id: int | None = None,
) -> int:
    with app.app_context():
        session = get_session()
        membership = CohortMembership(
            cohort_id=cohort_id,
            user_id=user_id,
            email=email,
            first_name=first_name,
            last_name=last_name,
            sector=sector,
            fellowship_number="F-1",
        )
        session.add(membership)
        session.commit()
        return membership.id


def audit_events(app: Flask) -> list[AuditEvent]:
    with app.app_context():
        session = get_session()
        found = list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))
        session.expunge_all()
        return found


def user_by_email(app: Flask, email: str) -> User | None:
    with app.app_context():
        session = get_session()
        found = accounts.find_user_by_email(session, email)
        session.expunge_all()
        return found


@contextmanager
def counting_statements(app: Flask) -> Iterator[list[str]]:
    """The SQL statements the app's engine runs meanwhile."""
    statements: list[str] = []
    engine = database(app).engine

    def count(
        _conn: Connection, _cursor: object, statement: str, *_args: object, **_kw: object
    ) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)
