"""Every revision goes down and up again on a database full of realistic records, keeping them.

Runs on SQLite and, with LMS_TEST_DATABASE_URL, on PostgreSQL: the same revisions take
different paths there (batch table copies on SQLite, ALTER TABLE on PostgreSQL).
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, MetaData, inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from lms import schema
from lms.accounts.categories import Affiliation, FrqSector, ResearchRole, Role
from lms.accounts.models import User
from lms.audit.models import AuditEvent
from lms.certificates.models import Certificate, CertificatePdf, CertificateStatus
from lms.cohorts.models import Cohort, CohortMembership, Reminder
from lms.communities.models import (
    Audience,
    Community,
    CommunityCohort,
    CommunityFollow,
    CommunityKind,
    MailMode,
    MemberProfile,
    Moderator,
    Post,
    PostReport,
    Thread,
    ThreadFollow,
    ThreadRead,
)
from lms.db import create_db_engine, utcnow
from lms.learning.models import Enrolment, ItemCompletion
from lms.live.models import (
    Attendance,
    AttendanceSource,
    CalendarFeed,
    LiveSession,
    Registration,
    RegistrationStatus,
    SessionLanguage,
    SessionTag,
)
from lms.models import Base
from lms.quizzes.models import QuizAttempt
from tests.support.databases import Databases

LEARNERS = 12
CHANGED_ON_PURPOSE = {("certificates", "language"), ("certificates", "status_index")}
"""Columns a revision rewrites: going below certificate issuing, 'bilingual' becomes 'fr';
status indices, dropped going down, are drawn at random again going up."""

Rows = dict[str, dict[str, dict[Any, dict[str, Any]]]]
"""table -> primary key -> column -> value."""


def _pdf(text: str) -> bytes:
    return b"%PDF-1.7\n" + text.encode() * 40 + b"\n%%EOF\n"


def fill(session: Session) -> None:
    """Learners with profiles and history, staff, cohorts, certificates, the audit trail."""
    now = utcnow()
    staff = User(
        email="staff@example.org",
        password_hash="$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
        role=Role.STAFF,
        language="fr",
        email_confirmed_at=now,
        certificate_name="Sam Staff",
    )
    session.add(staff)
    cohort = Cohort(
        name="Boursiers FRQ 2026", certificate_id="por-program", due_date=date(2026, 12, 1)
    )
    session.add(cohort)
    webinar = LiveSession(
        slug="webinaire-frq-2026",
        title_fr="Webinaire : le partenariat en recherche",
        title_en="Webinar: partnership in research",
        description_fr="Une heure d’échanges « en direct ».",
        description_en="One hour of live exchanges.",
        starts_at=now - timedelta(days=2),
        ends_at=now - timedelta(days=2, hours=-1),
        time_zone="America/Montreal",
        language=SessionLanguage.BILINGUAL,
        capacity=LEARNERS - 2,
        video_url="https://example.zoom.us/j/123456789",
        certificate_id="por-program",
        recording_url="https://example.org/recording",
        captions_vtt="WEBVTT\n\n00:00.000 --> 00:04.000\nBonjour à tous.\n",
    )
    webinar.tags = [SessionTag(tag="frq-webinar"), SessionTag(tag="frq-2026")]
    session.add(webinar)
    session.flush()
    webinar.created_by_id = staff.id
    snapshot = [
        {"id": "when", "type": "single", "text": {"fr": "Quand ?", "en": "When?"}, "choices": 3},
        {"id": "lived", "type": "true_false", "text": {"fr": "Vrai ?", "en": "True?"}},
    ]
    roles = list(ResearchRole)
    for index in range(LEARNERS):
        learner = User(
            email=f"learner{index}@example.org",
            password_hash="$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA",
            role=Role.LEARNER,
            language="fr" if index % 3 else "en",
            email_confirmed_at=now - timedelta(days=index),
            certificate_name=f"Apprenant·e Nº {index}",
            research_roles=[roles[index % len(roles)].value],
            affiliation=Affiliation.OTHER if index % 4 == 0 else Affiliation.UNIVERSITY,
            affiliation_other="Centre de recherche" if index % 4 == 0 else None,
            frq_fellowship=index % 2 == 0,
            frq_sector=list(FrqSector)[index % len(FrqSector)] if index % 2 == 0 else None,
            privacy_consent_at=now,
            privacy_notice_version="2026-10",
        )
        session.add(learner)
        session.flush()
        session.add(
            CohortMembership(
                cohort_id=cohort.id,
                user_id=learner.id,
                email=learner.email,
                first_name="Léa",
                last_name=f"Tremblay {index}",
                sector="santé",
                fellowship_number=f"FRQ-{index:04}",
                notes="importée du tableur",
            )
        )
        for course in ("por-101", "por-201"):
            done = index % 2 == 0 or course == "por-101"
            session.add(
                Enrolment(
                    user_id=learner.id,
                    course_id=course,
                    completed_at=now if done else None,
                    completed_version="v1" if done else None,
                    last_item="final.quiz",
                )
            )
            for item in ("welcome", "first-steps", "final.quiz"):
                session.add(
                    ItemCompletion(
                        user_id=learner.id, course_id=course, item=item, content_version="v1"
                    )
                )
            for number in (1, 2):
                session.add(
                    QuizAttempt(
                        user_id=learner.id,
                        course_id=course,
                        quiz="final",
                        number=number,
                        content_version="v1",
                        questions=snapshot,
                        answers={"when": 2, "lived": number == 2},
                        score=number,
                        max_score=2,
                        passed=number == 2,
                        started_at=now - timedelta(hours=number),
                        submitted_at=now - timedelta(hours=number, minutes=-10),
                    )
                )
        full = index >= LEARNERS - 2
        session.add(
            Registration(
                session_id=webinar.id,
                user_id=learner.id,
                status=RegistrationStatus.WAITING if full else RegistrationStatus.REGISTERED,
                requested_at=now - timedelta(days=10, minutes=-index),
                seated_at=None if full else now - timedelta(days=10, minutes=-index),
                day_reminder_at=None if full else now - timedelta(days=3),
            )
        )
        if not full:
            session.add(
                Attendance(
                    session_id=webinar.id,
                    user_id=learner.id,
                    present=index % 3 != 0,
                    minutes=55 - index,
                    source=AttendanceSource.TEAMS,
                    recorded_by_id=staff.id,
                )
            )
        if index % 4 == 1:
            session.add(CalendarFeed(user_id=learner.id, nonce=f"nonce-{index:04}"))
        languages = ["bilingual"] if index % 5 == 0 else ["fr", "en"]
        certificate = Certificate(
            user_id=learner.id,
            definition_id="por-101",
            sequence=1,
            code=f"PRC-TEST-{index:04}",
            certificate_name=learner.certificate_name or "",
            title={"fr": "Bases du partenariat", "en": "Partnership basics"},
            statement={"fr": "a complété", "en": "has completed"},
            issuer={"name": {"fr": "Unité", "en": "Unit"}, "url": "https://example.org"},
            course_versions={"por-101": "v1"},
            language=languages[0] if len(languages) == 1 else learner.language or "fr",
            expires_at=now + timedelta(days=365),
            badge_jwt="eyJhbGciOiJSUzI1NiJ9.e30.c2ln",
            status_index=index * 7,
            status=CertificateStatus.REVOKED if index == 3 else CertificateStatus.ACTIVE,
            revoked_at=now if index == 3 else None,
            revoked_reason="erreur de saisie" if index == 3 else None,
            revoked_by_id=staff.id if index == 3 else None,
        )
        session.add(certificate)
        session.flush()
        for language in languages:
            content = _pdf(f"{certificate.code} {language}")
            session.add(
                CertificatePdf(
                    certificate_id=certificate.id,
                    language=language,
                    sha256=hashlib.sha256(content).hexdigest(),
                    content=content,
                )
            )
        session.add(
            AuditEvent(
                actor_id=staff.id,
                action="cohort.import",
                target=f"cohort:{cohort.id}",
                details={"email": learner.email, "ligne": index + 2},
            )
        )
        if index % 2:
            session.add(
                Reminder(
                    cohort_id=cohort.id,
                    user_id=learner.id,
                    email=learner.email,
                    sent_by_id=staff.id,
                )
            )
    _fill_communities(session, cohort, staff)
    session.commit()


def _fill_communities(session: Session, cohort: Cohort, staff: User) -> None:
    """A space for the cohort and a course's discussion, threads, posts (one hidden, one
    erased), follows, reads, a report and members' settings."""
    learners = list(session.scalars(select(User).where(User.role == Role.LEARNER)))
    space = Community(
        kind=CommunityKind.SPACE,
        name_fr="Boursiers FRQ",
        name_en="FRQ fellows",
        description_fr="Pour *échanger*.",
        description_en="To *talk*.",
        audience=Audience.COHORTS,
    )
    course = Community(kind=CommunityKind.COURSE, course_id="por-101")
    session.add_all([space, course])
    session.flush()
    session.add(CommunityCohort(community_id=space.id, cohort_id=cohort.id))
    session.add(Moderator(community_id=space.id, user_id=learners[0].id))
    now = utcnow()
    for index, community in enumerate((space, course, space)):
        author = learners[index]
        thread = Thread(
            community_id=community.id,
            author_id=author.id,
            title=f"Question nº {index} : où commencer ?",
            lesson="welcome" if community is course else None,
            language="fr",
            post_count=3,
            pinned=index == 2,
            locked_at=now if index == 1 else None,
        )
        session.add(thread)
        session.flush()
        posts = [
            Post(
                thread_id=thread.id,
                author_id=learners[(index + n) % len(learners)].id,
                body=f"Réponse **{n}**",
                html=f"<p>Réponse <strong>{n}</strong></p>\n",
                language="fr" if n % 2 else "en",
                edited_at=now if n == 1 else None,
                hidden_at=now if n == 2 else None,
                hidden_by_id=staff.id if n == 2 else None,
                hidden_reason="hors sujet" if n == 2 else None,
                erased_at=now if index == 2 and n == 1 else None,
                notified_at=now,
            )
            for n in range(3)
        ]
        session.add_all(posts)
        session.flush()
        thread.last_post_id = posts[1].id
        session.add(ThreadFollow(user_id=author.id, thread_id=thread.id))
        session.add(
            ThreadRead(user_id=author.id, thread_id=thread.id, last_read_post_id=posts[0].id)
        )
        session.add(PostReport(post_id=posts[1].id, reporter_id=learners[-1].id, reason="à revoir"))
    session.add(CommunityFollow(user_id=learners[3].id, community_id=space.id, from_post_id=2))
    session.add_all(
        [
            MemberProfile(user_id=learners[0].id, display_name="Léa T.", mail_mode=MailMode.DIGEST,
                          digest_after_post_id=3, last_digest_at=now, mail_mode_at=now),
            MemberProfile(user_id=learners[1].id, display_name=None, mail_mode=MailMode.OFF),
        ]
    )  # fmt: skip


def rows_of(engine: Engine) -> Rows:
    """Every row of every table but alembic_version, by primary key."""
    metadata = MetaData()
    found: Rows = {}
    with engine.connect() as connection:
        metadata.reflect(bind=connection)
        for name, table in metadata.tables.items():
            if name == "alembic_version":
                continue
            key = [column.name for column in table.primary_key.columns]
            found[name] = {
                tuple(row[k] for k in key): dict(row)
                for row in connection.execute(select(table)).mappings()
            }
    return found


def assert_kept(before: Rows, after: Rows, step: str) -> None:
    """The tables in both hold the same rows, with the same values in the columns in both."""
    for table in before.keys() & after.keys():
        assert before[table].keys() == after[table].keys(), f"{step}: rows of {table} changed"
        for key, old in before[table].items():
            new = after[table][key]
            for column in old.keys() & new.keys():
                if (table, column) in CHANGED_ON_PURPOSE:
                    continue
                assert old[column] == new[column], f"{step}: {table}{key}.{column} changed"


def test_every_revision_goes_down_and_up_on_realistic_records(databases: Databases) -> None:
    url = databases.url("history")
    revisions = list(ScriptDirectory.from_config(schema.alembic_config(url)).walk_revisions())
    assert len(revisions) >= 2
    schema.upgrade(url, "head")
    engine = create_db_engine(url, poolclass=NullPool)
    try:
        with Session(engine) as session:
            fill(session)
        at_head = rows_of(engine)
        assert len(at_head["users"]) == LEARNERS + 1
        assert len(at_head["certificate_pdfs"]) > LEARNERS

        # Down one revision at a time to the first, each step keeping what its schema holds.
        history = [at_head]
        for revision in revisions[:-1]:
            schema.downgrade(url, revision.down_revision)  # type: ignore[arg-type]
            history.append(rows_of(engine))
            assert_kept(history[-2], history[-1], f"down from {revision.revision}")
        first = history[-1]
        assert {"users", "enrolments", "quiz_attempts", "certificates"} <= first.keys()
        assert all(row["pdf"] is not None for row in first["certificates"].values()), (
            "each certificate keeps the PDF in its language"
        )

        # Up again one revision at a time: the records come back through every upgrade.
        for revision in reversed(revisions[:-1]):
            before = rows_of(engine)
            schema.upgrade(url, revision.revision)
            assert_kept(before, rows_of(engine), f"up to {revision.revision}")
        schema.upgrade(url, "head")
        assert schema.current_revision(url) == schema.head_revision(url)
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
        back = rows_of(engine)
        for table in ("users", "enrolments", "item_completions", "quiz_attempts", "cohorts"):
            assert back[table].keys() == at_head[table].keys()
        assert_kept(first, back, "round trip")
        # Whole-point scores before partial credit, hundredths after: the same points.
        assert sorted(r["score"] for r in first["quiz_attempts"].values()) == sorted(
            r["score_hundredths"] // 100 for r in back["quiz_attempts"].values()
        )
        assert {r["score_hundredths"] for r in back["quiz_attempts"].values()} == {100, 200}
        with Session(engine) as session:
            attempts = session.scalars(select(QuizAttempt).order_by(QuizAttempt.id)).all()
            assert attempts[0].questions[0]["text"]["fr"] == "Quand ?"
            codes = sorted(c.code for c in session.scalars(select(Certificate)))
            assert codes == sorted(row["code"] for row in at_head["certificates"].values())
            # Numbered again from 1 on the way up; each certificate kept one PDF.
            assert {c.sequence for c in session.scalars(select(Certificate))} == {1}
            pdfs = session.scalars(select(CertificatePdf)).all()
            assert len(pdfs) == LEARNERS
            assert all(p.sha256 == hashlib.sha256(p.content).hexdigest() for p in pdfs)

        # And all the way down, then up on an empty database.
        schema.downgrade(url, "base")
        with engine.connect() as connection:
            assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
        schema.upgrade(url, "head")
        assert schema.current_revision(url) == schema.head_revision(url)
    finally:
        engine.dispose()
