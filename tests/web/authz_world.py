"""The objects and people of the authorization matrix and the hostile-input tests."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import URLSafeTimedSerializer
from werkzeug.routing import Rule

from lms.accounts import devices
from lms.accounts.categories import Role
from lms.accounts.models import User
from lms.communities.models import Audience
from lms.db import get_session, utcnow
from lms.live.models import (
    Attendance,
    AttendanceSource,
    CalendarFeed,
    LiveSession,
    Registration,
    RegistrationStatus,
    SessionLanguage,
)

from .certificate_helpers import certificates_in
from .communities.helpers import add_space, ask, posts_of
from .conftest import MakeApp
from .learning_helpers import record, sign_in
from .quiz_helpers import start, take
from .staff_helpers import BASICS, PRACTICE, PROGRAM, add_cohort, add_member, add_user, staff_app

ROLES = ("anonymous", "learner_a", "learner_b", "staff", "admin")
QUIZ = f"/courses/{BASICS}/check.quiz"
ANSWERS = {
    "answer-when": "0",
    "answer-roles": ["0", "2"],
    "answer-lived": "true",
    "answer-posture": "co-construction",
    "answer-yours": "A reflection.",
}


@dataclass(frozen=True)
class World:
    app: Flask
    users: dict[str, int]
    """Role name -> user id (not for anonymous)."""
    cohort_id: int
    certificate_code: str
    live_session_id: int
    community_id: int = 0
    """A community open to the cohort (learner A's), not to B."""
    thread_id: int = 0
    """A's thread there, and its opening post."""
    post_id: int = 0
    signed_in_ids: dict[str, str] = field(default_factory=dict)
    """Role -> the Flask-Login id of a device session that ``client_as`` may hand out again."""

    def url_values(self) -> dict[str, object]:
        """A real value for each URL variable of the app's rules."""
        return {
            "course_id": BASICS,
            "item": "welcome",
            "number": 1,
            "code": self.certificate_code,
            "definition_id": PROGRAM,
            "cohort_id": self.cohort_id,
            "user_id": self.users["learner_a"],
            "kind": "csv",
            "token": "not-a-real-token",
            "path": "missing.png",
            "filename": "css/parcours.css",
            "quiz": "check",
            "import_id": 1,  # none: staff are told there is no such import
            "mail_id": 1,  # none queued: a retry finds nothing (once its form is valid)
            "device_id": 1,  # learner A's first sign-in (build_world): others' get 404
            "slug": LIVE_SLUG,
            "session_id": self.live_session_id,
            "community_id": self.community_id,
            "thread_id": self.thread_id,
            "post_id": self.post_id,
        }

    def client_as(self, role: str, *, same_device: bool = False) -> tuple[FlaskClient, str]:
        """A client signed in as ``role`` and a CSRF token for its forms.

        Both go straight into the session cookie, as Flask-Login and Flask-WTF keep them, with
        a session of its own on the server: no password hashing, no page to fetch, so that
        hundreds of requests stay fast. With ``same_device``, the role's last such session is
        handed out again while it is live: thousands of requests would otherwise leave as many
        live sessions, which every page listing or exporting them then reads.
        """
        client = self.app.test_client()
        raw = secrets.token_hex(20)
        token = URLSafeTimedSerializer(self.app.secret_key or "", salt="wtf-csrf-token").dumps(raw)
        user_id = None
        if role != "anonymous":
            with self.app.app_context():
                session = get_session()
                lifetimes = devices.Lifetimes(max_days=30, idle_hours=12)
                kept = self.signed_in_ids.get(role) if same_device else None
                if kept is not None and devices.signed_in_user(session, kept, lifetimes):
                    user_id = kept
                else:
                    user = session.get(User, self.users[role])
                    assert user is not None
                    devices.start(session, user, user_agent="", remember=False, lifetimes=lifetimes)
                    user_id = user.get_id()
                    self.signed_in_ids[role] = user_id
                session.commit()
        with client.session_transaction() as session:
            session["csrf_token"] = raw
            if user_id is not None:
                session["_user_id"] = user_id
                session["_fresh"] = True
        return client, str(token)


def build_world(make_app: MakeApp) -> World:
    """Learner A with a cohort, lessons done, a quiz attempt submitted and one begun (to
    review before grading), and a certificate; B with none."""
    app = staff_app(make_app)
    users = {
        "learner_a": add_user(app, "alice@example.org", name="Alice Tremblay"),
        "learner_b": add_user(app, "bob@example.org", name="Bob Gagnon"),
        "staff": add_user(app, "sam@example.org", role=Role.STAFF, name="Sam Staff"),
        "admin": add_user(app, "ada@example.org", role=Role.ADMIN, name="Ada Admin"),
    }
    cohort_id = add_cohort(app, "FRQ 2026")
    add_member(app, cohort_id, "alice@example.org", "Alice", "Tremblay", user_id=users["learner_a"])
    own = app.test_client()
    sign_in(own, "alice@example.org")
    record(app, users["learner_a"], BASICS, "welcome", "partners")
    take(own, ANSWERS, quiz=QUIZ)
    start(own, QUIZ)
    record(app, users["learner_a"], PRACTICE, "apply")
    (certificate,) = certificates_in(app)
    community_id, thread_id, post_id = _cohort_discussion(app, users, cohort_id)
    live_session_id = _live_session(app, users["learner_a"])
    return World(
        app, users, cohort_id, certificate.code, live_session_id, community_id, thread_id, post_id
    )


LIVE_SLUG = "world-webinar"


def _live_session(app: Flask, learner: int) -> int:
    """A session under way with its only seat held by learner A, who attended, has its
    recording's captions, and a calendar feed; the others who register wait."""
    now = utcnow()
    with app.app_context():
        session = get_session()
        live = LiveSession(
            slug=LIVE_SLUG,
            title_fr="Webinaire",
            title_en="Webinar",
            starts_at=now - timedelta(minutes=30),
            ends_at=now + timedelta(minutes=90),
            language=SessionLanguage.FR,
            capacity=1,
            video_url="https://example.zoom.us/j/1",
            recording_url="https://example.org/recording",
            captions_vtt="WEBVTT\n\n00:00.000 --> 00:02.000\nBonjour\n",
        )
        session.add(live)
        session.flush()
        session.add_all(
            [
                Registration(
                    session_id=live.id,
                    user_id=learner,
                    status=RegistrationStatus.REGISTERED,
                    seated_at=now,
                ),
                Attendance(
                    session_id=live.id,
                    user_id=learner,
                    present=True,
                    minutes=30,
                    source=AttendanceSource.TICKED,
                ),
                CalendarFeed(user_id=learner, nonce="world-feed-nonce"),
            ]
        )
        session.commit()
        return live.id


def _cohort_discussion(app: Flask, users: dict[str, int], cohort_id: int) -> tuple[int, int, int]:
    """A community open to A's cohort only, with A's thread; ids of the three."""
    community_id = add_space(
        app, name="FRQ 2026 fellows", audience=Audience.COHORTS, cohort_ids=[cohort_id],
        staff_id=users["staff"],
    )  # fmt: skip
    thread_id = ask(app, users["learner_a"], community_id, title="A's question")
    return community_id, thread_id, posts_of(app, thread_id)[0].id


def concrete_url(world: World, rule: Rule) -> str:
    """``rule`` built with the world's values; quiz rules get the quiz, not a lesson."""
    values = world.url_values()
    if rule.endpoint.startswith("quizzes."):
        values["item"] = "check.quiz"
    if rule.endpoint == "quizzes.review":
        values["number"] = 2  # the attempt begun, not the one submitted
    if rule.endpoint == "quiz_analysis.analysis":
        values["item"] = "check.quiz"
    with world.app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **{k: values[k] for k in rule.arguments})
