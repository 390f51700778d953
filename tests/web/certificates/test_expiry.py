"""Expiry: reminders sent once before a certificate expires, and renewing by completing again."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from lms.certificates.models import CertificateStatus
from lms.cli import cli
from lms.db import get_session, utcnow
from lms.learning.models import Enrolment, ItemCompletion
from tests.support.smtp import Mailbox, links_in, path_of
from tests.web.certificate_helpers import (
    CERTIFICATE_CONTENT,
    PART,
    PROGRAM,
    RENEWABLE,
    add_learner,
    certificates_in,
    change,
    complete_course,
    only_certificate,
)
from tests.web.conftest import FIXTURE_CONTENT, MakeApp
from tests.web.helpers import csrf_token
from tests.web.learning_helpers import record, sign_in
from tests.web.quiz_helpers import take

REMINDER = "Your certificate expires soon: Partnership refresher"


@pytest.fixture
def app(make_app: MakeApp, mailbox: Mailbox) -> Flask:
    return make_app(content_dir=CERTIFICATE_CONTENT, **mailbox.settings)


def holder(app: Flask, email: str, expires_in_days: int) -> str:
    """A learner holding the RENEWABLE certificate, expiring in so many days: its code."""
    user_id = add_learner(app, email)
    complete_course(app, user_id, RENEWABLE)
    code = certificates_in(app)[-1].code
    change(app, code, expires_at=utcnow() + timedelta(days=expires_in_days))
    return code


def remind(app: Flask, *args: str) -> str:
    result = app.test_cli_runner().invoke(cli, ["certificates", "remind-expiring", *args])
    assert result.exit_code == 0, result.output
    return result.output


def reminders(mailbox: Mailbox, email: str) -> int:
    return sum(1 for m in mailbox.to(email) if m["Subject"] == REMINDER)


def test_learners_are_reminded_once_of_a_certificate_expiring_soon(
    app: Flask, mailbox: Mailbox
) -> None:
    soon = holder(app, "soon@example.org", 10)
    holder(app, "later@example.org", 200)

    assert "1 of 1 reminder(s) sent." in remind(app)
    assert "0 of 0 reminder(s) sent." in remind(app)  # never twice

    assert reminders(mailbox, "soon@example.org") == 1
    assert reminders(mailbox, "later@example.org") == 0
    mail = next(m for m in mailbox.to("soon@example.org") if m["Subject"] == REMINDER)
    assert "/certificates" in [path_of(link) for link in links_in(mail)]
    reminded = {c.code: c.expiry_reminded_at for c in certificates_in(app)}
    assert reminded[soon] is not None

    # A wider window reaches the other one, once too.
    assert "1 of 1 reminder(s) sent." in remind(app, "--within-days", "365")
    assert "0 of 0 reminder(s) sent." in remind(app, "--within-days", "365")
    assert reminders(mailbox, "later@example.org") == 1


def test_a_dry_run_lists_and_neither_sends_nor_records(app: Flask, mailbox: Mailbox) -> None:
    code = holder(app, "soon@example.org", 10)

    output = remind(app, "--dry-run")

    assert code in output
    assert "soon@example.org" in output
    assert "1 learner(s) would be reminded." in output
    assert reminders(mailbox, "soon@example.org") == 0
    assert only_certificate(app).expiry_reminded_at is None


def test_no_reminder_for_what_is_revoked_expired_or_being_renewed(
    app: Flask, mailbox: Mailbox
) -> None:
    revoked = holder(app, "revoked@example.org", 10)
    change(app, revoked, status=CertificateStatus.REVOKED)
    holder(app, "expired@example.org", -1)
    renewing = holder(app, "renewing@example.org", 10)
    change(app, renewing, renewal_started_at=utcnow())

    assert "0 of 0 reminder(s) sent." in remind(app)
    assert not [m for m in mailbox.messages if m["Subject"] == REMINDER]


# Renewal -----------------------------------------------------------------------------------


def renew(client: FlaskClient, code: str) -> int:
    token = csrf_token(client, "/certificates")
    return client.post(f"/certificates/{code}/renew", data={"csrf_token": token}).status_code


def test_renewing_resets_the_courses_and_completing_them_issues_a_new_certificate(
    app: Flask, client: FlaskClient, mailbox: Mailbox
) -> None:
    code = holder(app, "lea@example.org", 10)
    user_id = only_certificate(app).user_id
    sign_in(client, "lea@example.org")
    page = client.get("/certificates").get_data(as_text=True)
    assert "Time to renew" in page
    assert f'action="/certificates/{code}/renew"' in page

    response = client.post(
        f"/certificates/{code}/renew", data={"csrf_token": csrf_token(client, "/certificates")}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == f"/courses/{RENEWABLE}"
    with app.app_context():
        session = get_session()
        enrolment = session.scalars(select(Enrolment)).one()
        assert enrolment.completed_at is None
        assert session.scalars(select(ItemCompletion)).all() == []
    old = only_certificate(app)
    assert old.renewal_started_at is not None
    assert old.status is CertificateStatus.ACTIVE  # still valid until it expires
    assert "Renewal in progress" in client.get("/certificates").get_data(as_text=True)
    assert renew(client, code) == 409  # a second click wipes nothing

    complete_course(app, user_id, RENEWABLE)

    first, second = certificates_in(app)
    assert first.code == code
    assert first.status is CertificateStatus.ACTIVE
    assert first.superseded_by_id is None  # it supersedes nothing still valid
    assert second.sequence == 2
    assert second.issued_at > first.issued_at
    assert second.expires_at == second.issued_at + timedelta(days=365)
    assert second.course_versions == first.course_versions
    assert len(mailbox.to("lea@example.org")) == 2
    assert renew(client, second.code) == 409  # far from its expiry
    assert renew(client, code) == 409  # no longer the latest


def test_renewal_opens_only_near_expiry_and_only_for_certificates_that_expire(
    app: Flask, client: FlaskClient
) -> None:
    code = holder(app, "lea@example.org", 200)
    sign_in(client, "lea@example.org")
    assert "You can renew it from" in client.get("/certificates").get_data(as_text=True)
    assert renew(client, code) == 409

    complete_course(app, only_certificate(app).user_id, PART)
    program = certificates_in(app)[-1]
    assert program.definition_id == PROGRAM
    assert program.expires_at is None
    assert renew(client, program.code) == 409

    add_learner(app, "mallory@example.org", name="Mallory")
    other = app.test_client()
    sign_in(other, "mallory@example.org")
    change(app, code, expires_at=utcnow() + timedelta(days=5))
    assert renew(other, code) == 404  # not theirs


def test_renewing_one_certificate_reissues_no_other(app: Flask, client: FlaskClient) -> None:
    """The program certificate also requires the renewed course: completing that course
    again renews its own certificate, not the program's, which was not renewed."""
    code = holder(app, "lea@example.org", 10)
    user_id = only_certificate(app).user_id
    complete_course(app, user_id, PART)
    assert [c.definition_id for c in certificates_in(app)] == [RENEWABLE, PROGRAM]
    sign_in(client, "lea@example.org")

    assert renew(client, code) == 303
    complete_course(app, user_id, RENEWABLE)

    assert [c.definition_id for c in certificates_in(app)] == [RENEWABLE, PROGRAM, RENEWABLE]


# Renewal through a quiz ---------------------------------------------------------------------

WRONG = {"answer-when-to-involve": "1", "answer-lived-experience": "false"}
RIGHT = {"answer-when-to-involve": "0", "answer-lived-experience": "true"}
QUIZ = "/courses/partnership-essentials/final.quiz"


@pytest.fixture
def quiz_app(make_app: MakeApp, tmp_path: Path) -> Flask:
    """The minimal content, its certificate made to expire: it needs a quiz of 3 attempts."""
    root = tmp_path / "minimal"
    shutil.copytree(FIXTURE_CONTENT, root)
    definition = root / "certificates" / "partnership-essentials.yaml"
    definition.write_text(definition.read_text() + "valid_for_days: 365\n")
    return make_app(content_dir=root)


def passed_with(app: Flask, *attempts: dict[str, str]) -> tuple[FlaskClient, str]:
    """A learner who passed the quiz at the last of ``attempts``, signed in: their
    client, and their certificate's code."""
    user_id = add_learner(app)
    for lesson in ("welcome", "first-steps"):
        record(app, user_id, "partnership-essentials", lesson)
    client = app.test_client()
    sign_in(client, "lea@example.org")
    for answers in attempts:
        take(client, answers, quiz=QUIZ)
    code = only_certificate(app).code
    change(app, code, expires_at=utcnow() + timedelta(days=10))
    return client, code


def test_renewing_means_passing_the_quiz_again(quiz_app: Flask) -> None:
    client, code = passed_with(quiz_app, WRONG, RIGHT)

    assert renew(client, code) == 303
    take(client, RIGHT, quiz=QUIZ)  # the third and last attempt
    assert [c.sequence for c in certificates_in(quiz_app)] == [1]  # lessons still to redo
    user_id = only_certificate(quiz_app).user_id
    for lesson in ("welcome", "first-steps"):
        record(quiz_app, user_id, "partnership-essentials", lesson)

    assert [c.sequence for c in certificates_in(quiz_app)] == [1, 2]


def test_renewal_is_refused_when_a_quiz_has_no_attempt_left(quiz_app: Flask) -> None:
    client, code = passed_with(quiz_app, WRONG, WRONG, RIGHT)

    response = client.post(
        f"/certificates/{code}/renew", data={"csrf_token": csrf_token(client, "/certificates")}
    )

    assert response.status_code == 409
    assert "used every attempt" in response.get_data(as_text=True)
    certificate = only_certificate(quiz_app)
    assert certificate.renewal_started_at is None
    with quiz_app.app_context():
        assert get_session().scalars(select(Enrolment)).one().completed_at is not None
