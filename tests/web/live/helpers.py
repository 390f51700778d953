"""Shared by the live sessions' tests: their content, sessions made directly, registrations."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from lms.accounts.categories import Role
from lms.db import get_session, utcnow
from lms.live.models import (
    Attendance,
    LiveSession,
    Registration,
    RegistrationStatus,
    SessionLanguage,
    SessionTag,
)
from tests.support.apps import TESTS
from tests.web.learning_helpers import sign_in
from tests.web.staff_helpers import add_user

LIVE_CONTENT = TESTS / "fixtures" / "content" / "live"
PRACTICE = "practice"
"""One lesson, ``apply``."""
WEBINAR_PROGRAM = "webinar-program"
"""Requires PRACTICE and one attended session tagged ``frq-webinar``."""
ATTENDANCE_SAMPLES = TESTS / "fixtures" / "attendance"


def add_session(
    app: Flask,
    slug: str = "frq-webinar-oct",
    *,
    starts_in: timedelta = timedelta(days=3),
    minutes: int = 90,
    capacity: int = 20,
    tags: tuple[str, ...] = ("frq-webinar",),
    video_url: str | None = "https://example.zoom.us/j/81234567890",
    place: str | None = None,
    certificate_id: str | None = None,
    language: SessionLanguage = SessionLanguage.BILINGUAL,
) -> int:
    """A session starting ``starts_in`` from now (negative: already started); its id."""
    starts_at = utcnow().replace(microsecond=0) + starts_in
    with app.app_context():
        session = get_session()
        live = LiveSession(
            slug=slug,
            title_fr="Webinaire : le partenariat patient",
            title_en="Webinar: patient partnership",
            description_fr="Une heure d’échanges.\n\nAvec des patients partenaires.",
            description_en="An hour of exchanges.\n\nWith patient partners.",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=minutes),
            time_zone="America/Montreal",
            language=language,
            capacity=capacity,
            video_url=video_url,
            place=place,
            certificate_id=certificate_id,
        )
        live.tags = [SessionTag(tag=tag) for tag in tags]
        session.add(live)
        session.commit()
        return live.id


def move_session(app: Flask, session_id: int, starts_at: datetime) -> None:
    """Put a session at another time directly (to run reminders and attendance)."""
    with app.app_context():
        session = get_session()
        live = session.get(LiveSession, session_id)
        assert live is not None
        length = live.ends_at - live.starts_at
        live.starts_at, live.ends_at = starts_at, starts_at + length
        session.commit()


def registrations_of(app: Flask, session_id: int) -> dict[int, RegistrationStatus]:
    """User id -> status of every registration of the session."""
    with app.app_context():
        rows = get_session().scalars(
            select(Registration).where(Registration.session_id == session_id)
        )
        return {r.user_id: r.status for r in rows}


def attendance_of(app: Flask, session_id: int) -> dict[int, tuple[bool, int | None]]:
    """User id -> (present, minutes) of the session's attendance."""
    with app.app_context():
        rows = get_session().scalars(select(Attendance).where(Attendance.session_id == session_id))
        return {a.user_id: (a.present, a.minutes) for a in rows}


def staff_client(app: Flask, email: str = "sam@example.org") -> FlaskClient:
    """A client signed in as a new staff member."""
    add_user(app, email, role=Role.STAFF)
    client = app.test_client()
    sign_in(client, email)
    return client
