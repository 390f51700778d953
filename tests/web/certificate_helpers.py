"""Shared by the certificate tests: their content, learners with a name, completing courses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.orm import selectinload, undefer

from lms.accounts import services as accounts
from lms.accounts.categories import Role
from lms.accounts.models import User
from lms.catalog import current_catalog
from lms.certificates.models import Certificate, CertificatePdf
from lms.db import get_session
from tests.support.apps import TESTS

from .helpers import PASSWORD, stored_hash
from .learning_helpers import record

CERTIFICATE_CONTENT = TESTS / "fixtures" / "content" / "certificates"
RENEWABLE = "renewable"
"""Course and certificate (expires after 365 days): lessons ``first``, ``last``."""
PART = "program-part"
"""Course: one lesson, ``only``."""
PROGRAM = "frq-por-training"
"""Bilingual program certificate requiring RENEWABLE and PART."""
NAME = "Léa Tremblay-Côté"


def add_learner(
    app: Flask,
    email: str = "lea@example.org",
    *,
    name: str | None = NAME,
    language: str | None = "en",
    role: Role = Role.LEARNER,
) -> int:
    """A learner with a name for certificates and a language; their id."""
    with app.app_context():
        session = get_session()
        user = accounts.create_user(session, email, None, role, language, email_confirmed=True)
        user.password_hash = stored_hash(PASSWORD)
        user.certificate_name = name
        session.commit()
        return user.id


def complete_course(app: Flask, user_id: int, course_id: str) -> list[bool]:
    """Record every outline item of the course as done, in order, in one request each."""
    with app.app_context():
        course = current_catalog().course(course_id)
        assert course is not None
        keys = [item.key for item in course.items()]
    return [record(app, user_id, course_id, key)[0] for key in keys]


def certificates_in(app: Flask) -> list[Certificate]:
    """Every certificate row, with its PDFs' bytes, detached from any session."""
    with app.app_context():
        session = get_session()
        found = list(
            session.scalars(
                select(Certificate)
                .options(
                    selectinload(Certificate.pdfs).options(undefer(CertificatePdf.content)),
                    selectinload(Certificate.superseded_by),
                )
                .order_by(Certificate.id)
            )
        )
        session.expunge_all()
        return found


def only_certificate(app: Flask) -> Certificate:
    (certificate,) = certificates_in(app)
    return certificate


def change(app: Flask, code: str, **values: Any) -> None:
    """Set columns of a certificate directly, as time passing or an old record would."""
    with app.app_context():
        session = get_session()
        session.execute(update(Certificate).where(Certificate.code == code).values(**values))
        session.commit()


def user_of(app: Flask, user_id: int) -> User:
    with app.app_context():
        session = get_session()
        user = session.get(User, user_id)
        assert user is not None
        session.expunge(user)
        return user


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text)
