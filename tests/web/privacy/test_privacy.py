"""Privacy (Law 25): a person's data downloaded, their account deleted, retention, logs."""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import JSON, String, Text, select, update
from sqlalchemy.orm import Session

from lms.accounts.categories import Role
from lms.accounts.models import User
from lms.audit import services as audit
from lms.audit.actions import AuditAction
from lms.certificates.models import Certificate
from lms.cli import cli
from lms.cohorts.models import CohortMembership, Reminder
from lms.db import database, get_session, utcnow
from lms.models import Base
from tests.web.account_helpers import post_form, sign_up
from tests.web.conftest import MakeApp
from tests.web.helpers import PASSWORD, csrf_token
from tests.web.learning_helpers import record, sign_in
from tests.web.quiz_helpers import take
from tests.web.staff_helpers import (
    BASICS,
    BASICS_QUIZ,
    PRACTICE,
    add_cohort,
    add_member,
    add_user,
    basics_answers,
    staff_app,
)

EMAIL = "margaux@example.org"
NAME = "Margaux Bélanger-Nadeau"
FIRST, LAST = "Margaux", "Bélanger-Nadeau"
REFLECTION = "Twenty years living with lupus taught me patience."
OTHER_EMAIL = "olivier@example.org"
OTHER_NAME = "Olivier Autrement"
QUIZ = BASICS_QUIZ
ANSWERS = basics_answers(REFLECTION)
PERSONAL = (EMAIL, FIRST, LAST, "Met at the Montréal workshop", REFLECTION)


@pytest.fixture
def app(make_app: MakeApp) -> Flask:
    return staff_app(make_app)


def _with_session(app: Flask, work: Any) -> Any:
    with app.app_context():
        session = get_session()
        result = work(session)
        # Flushed, then detached with their loaded values, so that the commit keeps them.
        session.flush()
        session.expunge_all()
        session.commit()
        return result


@pytest.fixture
def people(app: Flask, client: FlaskClient) -> dict[str, int]:
    """Margaux (signed in on ``client``) and Olivier, each with a bit of everything."""
    cohort = add_cohort(app)
    ids = {}
    for email, name, first, last in (
        (OTHER_EMAIL, OTHER_NAME, "Olivier", "Autrement"),
        (EMAIL, NAME, FIRST, LAST),
    ):
        user_id = add_user(app, email, name=name)
        membership = add_member(app, cohort, email, first, last, user_id=user_id)
        ids[email] = user_id

        def extras(
            session: Session,
            user_id: int = user_id,
            membership: int = membership,
            email: str = email,
        ) -> None:
            session.get(CohortMembership, membership).notes = (  # type: ignore[union-attr]
                "Met at the Montréal workshop" if user_id == ids.get(EMAIL) else None
            )
            session.add(Reminder(cohort_id=cohort, user_id=user_id, email=email))
            staff = session.scalar(select(User).where(User.role == Role.ADMIN))
            audit.record(
                session, staff, AuditAction.ROLE_CHANGE, f"user:{user_id}", email=email, role="x"
            )

        _with_session(app, extras)
        other_client = app.test_client() if email == OTHER_EMAIL else client
        sign_in(other_client, email)
        reflection = REFLECTION if email == EMAIL else "Olivier's own reflection."
        take(other_client, {**ANSWERS, "answer-yours": reflection}, quiz=QUIZ)
        record(app, user_id, BASICS, "welcome", "partners", "check.quiz")
        record(app, user_id, PRACTICE, "apply")
    return ids


def _export(client: FlaskClient) -> Any:
    response = client.post(
        "/accounts/my-data/export", data={"csrf_token": csrf_token(client, "/accounts/my-data")}
    )
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    return json.loads(response.get_data(as_text=True))


def _code_of(app: Flask, user_id: int) -> str:
    return str(
        _with_session(
            app,
            lambda s: s.scalar(select(Certificate.code).where(Certificate.user_id == user_id)),
        )
    )


def test_the_export_holds_everything_about_the_person_and_nothing_of_others(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    data = _export(client)
    text = json.dumps(data, ensure_ascii=False)
    assert data["account"]["email"] == EMAIL
    assert data["account"]["profile"]["certificate_name"] == NAME
    assert set(data["account"]["privacy_consent"]) == {"given_at", "notice_version"}
    assert {e["course_id"] for e in data["learning"]["enrolments"]} >= {BASICS}
    assert {(c["course_id"], c["item"]) for c in data["learning"]["completions"]} >= {
        (BASICS, "welcome"),
        (PRACTICE, "apply"),
    }
    (attempt,) = data["quiz_attempts"]
    assert attempt["answers"]["yours"] == REFLECTION
    assert attempt["questions"]
    (certificate,) = data["certificates"]
    assert certificate["code"] == _code_of(app, people[EMAIL])
    assert certificate["verification_url"].endswith(f"/verify/{certificate['code']}")
    assert certificate["status"] == "valid"
    assert all(p["url"] for p in certificate["pdfs"])
    (membership,) = data["cohort_memberships"]
    assert (membership["first_name"], membership["notes"]) == (FIRST, PERSONAL[3])
    assert [r["sent_to"] for r in data["reminders_received"]] == [EMAIL]
    for trace in (OTHER_EMAIL, OTHER_NAME, "Olivier", _code_of(app, people[OTHER_EMAIL])):
        assert trace not in text


def test_the_export_needs_a_signed_in_post_with_its_token(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    assert client.post("/accounts/my-data/export").status_code == 400
    anonymous = app.test_client()
    assert anonymous.get("/accounts/my-data").status_code == 302
    assert anonymous.post("/accounts/my-data/export").status_code in (302, 400)


def test_the_profile_shows_the_consent_and_links_to_the_data_page(
    app: Flask, client: FlaskClient
) -> None:
    assert sign_up(client, EMAIL).status_code == 302
    sign_in(client, EMAIL)
    page = client.get("/accounts/profile").get_data(as_text=True)
    assert "/accounts/my-data" in page
    from lms.accounts.services import PRIVACY_NOTICE_VERSION

    assert PRIVACY_NOTICE_VERSION in page


def _delete(client: FlaskClient, confirmation: str) -> Any:
    return post_form(
        client,
        "/accounts/my-data/delete",
        {"confirmation": confirmation},
        page="/accounts/my-data",
    )


def test_deletion_needs_the_email_or_the_password(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    response = _delete(client, "not my password")
    assert response.status_code == 400
    assert "type your email address or your password" in response.get_data(as_text=True)
    user = _with_session(app, lambda s: s.get(User, people[EMAIL]))
    assert user.deleted_at is None


def _rows_mentioning(app: Flask, needles: tuple[str, ...]) -> list[str]:
    """Every text or JSON value in every table that contains one of ``needles``."""
    found = []
    with database(app).engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
            for row in connection.execute(select(*columns)) if columns else ():
                for column, value in zip(columns, row, strict=True):
                    text = json.dumps(value, ensure_ascii=False) if value is not None else ""
                    for needle in needles:
                        if needle.lower() in text.lower():
                            found.append(f"{table.name}.{column.name}: {needle}")
    return found


def test_deleting_the_account_erases_the_person_and_keeps_anonymous_facts(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    code = _code_of(app, people[EMAIL])
    assert _rows_mentioning(app, PERSONAL)  # the scan sees them before

    response = _delete(client, EMAIL.upper())
    assert response.status_code == 303
    assert client.get("/accounts/profile").status_code == 302  # signed out

    assert _rows_mentioning(app, PERSONAL) == []
    assert _rows_mentioning(app, (OTHER_EMAIL, OTHER_NAME))  # nobody else's was touched
    user = _with_session(app, lambda s: s.get(User, people[EMAIL]))
    assert user.email == f"deleted-{user.id}@invalid"
    assert user.password_hash is None
    assert user.deleted_at is not None
    deletion = _with_session(
        app,
        lambda s: s.scalar(
            select(audit.AuditEvent).where(
                audit.AuditEvent.action == AuditAction.ACCOUNT_DELETE.value
            )
        ),
    )
    assert deletion.actor_id == people[EMAIL]

    # The certificate's code still answers, without a name.
    page = client.get(f"/verify/{code}", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "withdrawn by its holder" in page
    assert NAME not in page
    facts = client.get(f"/verify/{code}.json").get_json()
    assert facts["status"] == "withdrawn"
    assert facts["holder_name"] is None
    assert facts["withdrawn_on"]
    assert facts["documents"] == []

    # Signing in with the old credentials fails.
    again = app.test_client()
    post_form(again, "/accounts/sign-in", {"email": EMAIL, "password": PASSWORD})
    assert again.get("/accounts/profile").status_code == 302


def test_staff_reports_keep_only_an_anonymous_count(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    assert _delete(client, PASSWORD).status_code == 303
    add_user(app, "sam@example.org", role=Role.STAFF)
    staff = app.test_client()
    sign_in(staff, "sam@example.org")
    dashboard = staff.get("/staff/cohorts/1").get_data(as_text=True)
    assert "Deleted account" in dashboard
    assert re.search(r"<dt>Members</dt>\s*<dd>2</dd>", dashboard)
    assert re.search(r"<dt>Completed</dt>\s*<dd>2</dd>", dashboard)
    for trace in PERSONAL[:3]:
        assert trace not in dashboard
    export = staff.get("/staff/cohorts/1/export.csv")
    assert export.status_code == 200
    text = export.data.decode("utf-8-sig")
    for trace in PERSONAL:
        assert trace not in text
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 3  # the header, Olivier, the deleted account
    header = rows[0]
    statuses = sorted(row[header.index("Status")] for row in rows[1:])
    assert statuses == ["Completed", "Completed"]
    assert "Deleted account" in {row[0] for row in rows[1:]}


def test_a_revocation_reason_naming_the_person_goes_with_their_account(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    code = _code_of(app, people[EMAIL])
    add_user(app, "sam@example.org", role=Role.STAFF)
    staff = app.test_client()
    sign_in(staff, "sam@example.org")
    record_page = f"/staff/learners/{people[EMAIL]}"
    reason = f"{NAME} shared the quiz answers."
    revoke = f"{record_page}/certificates/{code}/revoke"
    revoked = post_form(staff, revoke, {"reason": reason}, revoke)
    assert revoked.status_code == 303
    assert _rows_mentioning(app, (LAST,))  # on the certificate and in the audit trail

    assert _delete(client, PASSWORD).status_code == 303

    assert _rows_mentioning(app, (FIRST, LAST)) == []
    assert client.get(f"/verify/{code}").status_code == 200


def test_staff_and_admin_pages_no_longer_show_a_deleted_account(
    app: Flask, client: FlaskClient, people: dict[str, int]
) -> None:
    add_user(app, "root@example.org", role=Role.ADMIN)
    admin = app.test_client()
    sign_in(admin, "root@example.org")
    margaux = people[EMAIL]
    # An action of Margaux's own, recorded with her as its actor before she leaves.
    _with_session(
        app,
        lambda s: audit.record(s, s.get(User, margaux), AuditAction.ROLE_CHANGE, "user:0"),
    )
    assert _delete(client, PASSWORD).status_code == 303

    for path in ("/staff/learners/", "/admin/users"):
        listing = admin.get(path).get_data(as_text=True)
        assert OTHER_EMAIL in listing, path
        assert "@invalid" not in listing, path
        assert f"/staff/learners/{margaux}" not in listing, path
    assert admin.get(f"/staff/learners/{margaux}").status_code == 404
    assert admin.get(f"/admin/users/{margaux}/role?role=staff").status_code == 404
    role = post_form(admin, f"/admin/users/{margaux}/role", {"role": "staff"}, "/admin/users")
    assert role.status_code == 404
    audit_page = admin.get("/admin/audit").get_data(as_text=True)
    assert "A deleted account" in audit_page
    assert "@invalid" not in audit_page


def test_the_last_administrator_cannot_delete_their_account(
    app: Flask, client: FlaskClient
) -> None:
    add_user(app, "root@example.org", role=Role.ADMIN, name="Root")
    sign_in(client, "root@example.org")
    response = _delete(client, "root@example.org")
    assert response.status_code == 409
    assert "only administrator" in response.get_data(as_text=True)
    add_user(app, "second@example.org", role=Role.ADMIN)
    assert _delete(client, "root@example.org").status_code == 303


def _age(app: Flask, user_id: int, days: int, *, seen: bool = True) -> None:
    moment = utcnow() - timedelta(days=days)
    values = {"last_seen_at": moment} if seen else {"created_at": moment, "last_seen_at": None}
    _with_session(app, lambda s: s.execute(update(User).where(User.id == user_id).values(**values)))


def test_the_purge_deletes_accounts_inactive_beyond_retention(app: Flask) -> None:
    runner = app.test_cli_runner()
    old = add_user(app, "old@example.org", name="Old Timer")
    never = add_user(app, "never@example.org")
    recent = add_user(app, "recent@example.org")
    _age(app, old, 4 * 365)
    _age(app, never, 4 * 365, seen=False)
    _age(app, recent, 30)

    dry = runner.invoke(cli, ["privacy", "purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "2 account(s)" in dry.output
    assert f"ids: {old}, {never}" in dry.output
    assert "@" not in dry.output
    assert _with_session(app, lambda s: s.get(User, old).deleted_at) is None

    real = runner.invoke(cli, ["privacy", "purge"])
    assert real.exit_code == 0, real.output
    assert "Deleted 2 account(s)" in real.output
    assert _rows_mentioning(app, ("old@example.org", "Old Timer", "never@example.org")) == []
    assert _with_session(app, lambda s: s.get(User, recent).deleted_at) is None
    event = _with_session(
        app,
        lambda s: s.scalar(
            select(audit.AuditEvent).where(
                audit.AuditEvent.action == AuditAction.PRIVACY_PURGE.value
            )
        ),
    )
    assert event.details["user_ids"] == [old, never]


def test_the_dry_run_lists_what_the_real_purge_does_keeping_the_last_administrator(
    app: Flask,
) -> None:
    runner = app.test_cli_runner()
    admin = add_user(app, "root@example.org", role=Role.ADMIN)
    learner = add_user(app, "old@example.org")
    _age(app, admin, 4 * 365)
    _age(app, learner, 4 * 365)

    dry = runner.invoke(cli, ["privacy", "purge", "--dry-run"])
    real = runner.invoke(cli, ["privacy", "purge"])

    assert "1 account(s) not seen since" in dry.output
    assert f"would be deleted (ids: {learner})" in dry.output
    assert f"Would keep 1 inactive last administrator(s) (ids: {admin})" in dry.output
    assert "Deleted 1 account(s)" in real.output
    assert f"Kept 1 inactive last administrator(s) (ids: {admin})" in real.output
    assert _with_session(app, lambda s: s.get(User, admin).deleted_at) is None
    assert _with_session(app, lambda s: s.get(User, learner).deleted_at) is not None
    purges = _with_session(
        app,
        lambda s: s.scalars(
            select(audit.AuditEvent.id).where(
                audit.AuditEvent.action == AuditAction.PRIVACY_PURGE.value
            )
        ).all(),
    )
    assert len(purges) == 1, "the dry run recorded nothing"


def test_a_retention_of_zero_keeps_every_account(make_app: MakeApp) -> None:
    app = staff_app(make_app, retention_years=0)
    old = add_user(app, "old@example.org")
    _age(app, old, 40 * 365)
    result = app.test_cli_runner().invoke(cli, ["privacy", "purge"])
    assert "LMS_RETENTION_YEARS is 0" in result.output
    assert _with_session(app, lambda s: s.get(User, old).deleted_at) is None


def test_activity_updates_last_seen_at_most_hourly(app: Flask, client: FlaskClient) -> None:
    user_id = add_user(app, EMAIL)
    sign_in(client, EMAIL)
    _age(app, user_id, 2)
    client.get("/")
    seen = _with_session(app, lambda s: s.get(User, user_id).last_seen_at)
    assert utcnow() - seen < timedelta(minutes=1)
    earlier = utcnow() - timedelta(minutes=30)
    _with_session(
        app,
        lambda s: s.execute(update(User).where(User.id == user_id).values(last_seen_at=earlier)),
    )
    client.get("/")
    assert _with_session(app, lambda s: s.get(User, user_id).last_seen_at) == earlier


def test_logs_never_hold_an_email_or_a_name(
    make_app: MakeApp, mailbox: Any, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    app = staff_app(make_app, **mailbox.settings)
    client = app.test_client()
    assert sign_up(client, EMAIL, certificate_name=NAME).status_code == 302
    post_form(client, "/accounts/reset", {"email": EMAIL})
    post_form(client, "/accounts/reset", {"email": "nobody@example.org"})
    sign_in(client, EMAIL)
    client.get("/accounts/profile")
    assert _delete(client, EMAIL).status_code == 303
    assert mailbox.messages  # mails went out, so their sending was logged if anything was
    # The app's own logs, not those of the test's SMTP server ("mail.log").
    logged = "\n".join(
        caplog.handler.format(r) for r in caplog.records if not r.name.startswith("mail.")
    )
    assert logged
    for trace in (EMAIL, "nobody@example.org", NAME, FIRST, LAST):
        assert trace not in logged


def test_a_withdrawn_certificate_cannot_be_reissued_nor_a_deleted_member_reminded(
    app: Flask, client: FlaskClient
) -> None:
    from datetime import date

    from lms.catalog import current_catalog
    from lms.certificates import corrections
    from lms.cohorts.services import plan_reminders
    from lms.config import current_settings

    cohort = add_cohort(app, "Due soon", due_date=date.today())
    user_id = add_user(app, EMAIL, name=NAME)
    add_member(app, cohort, EMAIL, FIRST, LAST, user_id=user_id)
    record(app, user_id, BASICS, "welcome", "partners", "check.quiz")
    record(app, user_id, PRACTICE, "apply")
    other = add_user(app, OTHER_EMAIL, name=OTHER_NAME)
    add_member(app, cohort, OTHER_EMAIL, "Olivier", "Autrement", user_id=other)
    add_user(app, "sam@example.org", role=Role.STAFF)
    sign_in(client, EMAIL)
    assert _delete(client, EMAIL).status_code == 303
    with app.app_context():
        session = get_session()
        certificate = session.scalar(select(Certificate).where(Certificate.user_id == user_id))
        staff = session.scalar(select(User).where(User.role == Role.STAFF))
        assert certificate is not None
        assert staff is not None
        with pytest.raises(corrections.CertificateWithdrawn):
            corrections.reissue_certificate(
                session, certificate, actor=staff, catalog=current_catalog()
            )
        session.rollback()
        planned = plan_reminders(session, current_catalog(), current_settings(), now=utcnow())
        assert [p.user_id for p in planned] == [other]
