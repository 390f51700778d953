"""Issuing: once, when every required course is complete; mailed after commit, never before."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from lms.accounts.models import User
from lms.catalog import current_catalog
from lms.certificates import issuing, queries
from lms.certificates.cli import certificates as certificates_group
from lms.certificates.models import Certificate
from lms.cli import cli
from lms.db import get_session
from lms.learning import queries as learning_queries
from lms.learning import services as learning
from lms.learning.models import Enrolment, ItemCompletion
from lms.mail import Mail
from lms.outbox.services import enqueue, queued_in
from tests.support.databases import Databases
from tests.support.smtp import Mailbox, links_in, path_of, text_of
from tests.web.certificate_helpers import (
    CERTIFICATE_CONTENT,
    NAME,
    PART,
    PROGRAM,
    RENEWABLE,
    add_learner,
    certificates_in,
    complete_course,
    only_certificate,
)
from tests.web.conftest import MakeApp
from tests.web.helpers import csrf_token, submit_form
from tests.web.learning_helpers import record, sign_in
from tests.web.quiz_helpers import take
from tests.web.races import Race, at_once


@pytest.fixture
def app(make_app: MakeApp, mailbox: Mailbox) -> Flask:
    return make_app(content_dir=CERTIFICATE_CONTENT, **mailbox.settings)


def complete_lesson(client: FlaskClient, course_id: str, lesson: str) -> int:
    path = f"/courses/{course_id}/{lesson}"
    response = client.post(f"{path}/complete", data={"csrf_token": csrf_token(client, path)})
    return response.status_code


def test_completing_the_last_lesson_issues_the_certificate_once_and_mails_it(
    app: Flask, client: FlaskClient, mailbox: Mailbox
) -> None:
    add_learner(app, "lea@example.org", language="en")
    sign_in(client, "lea@example.org")
    assert complete_lesson(client, RENEWABLE, "first") == 302
    assert certificates_in(app) == []

    assert complete_lesson(client, RENEWABLE, "last") == 302
    assert complete_lesson(client, RENEWABLE, "last") == 302  # again: nothing more

    certificate = only_certificate(app)
    with app.app_context():
        course = current_catalog().course(RENEWABLE)
        assert course is not None
        version = course.version
    assert certificate.definition_id == RENEWABLE
    assert certificate.sequence == 1
    assert certificate.certificate_name == NAME
    assert certificate.title == {"en": "Partnership refresher", "fr": "Rappel sur le partenariat"}
    assert certificate.statement["fr"] == "a complété le rappel"
    assert certificate.issuer == {
        "name": {"en": "Parcours test issuer", "fr": "Émetteur d’essai de Parcours"},
        "url": "https://example.org/issuer",
    }
    assert certificate.course_versions == {RENEWABLE: version}
    assert certificate.language == "en"
    assert certificate.expires_at == certificate.issued_at + timedelta(days=365)
    assert certificate.badge_jwt
    assert [pdf.language for pdf in certificate.pdfs] == ["en", "fr"]
    for pdf in certificate.pdfs:
        assert pdf.content.startswith(b"%PDF-")
        assert pdf.sha256 == hashlib.sha256(pdf.content).hexdigest()

    (mail,) = mailbox.to("lea@example.org")
    assert mail["Subject"] == "Your certificate: Partnership refresher"
    assert mail["Content-Language"] == "en"
    assert certificate.code in text_of(mail)
    paths = [path_of(link) for link in links_in(mail)]
    assert "/certificates" in paths
    assert f"/verify/{certificate.code}" in paths


def test_the_mail_and_the_snapshot_follow_the_learners_language(
    app: Flask, mailbox: Mailbox
) -> None:
    user_id = add_learner(app, "remi@example.org", language="fr")
    complete_course(app, user_id, RENEWABLE)

    certificate = only_certificate(app)
    assert certificate.language == "fr"
    mail = mailbox.last("remi@example.org")
    assert mail["Content-Language"] == "fr"
    assert "Rappel sur le partenariat" in mail["Subject"]


def test_passing_the_final_quiz_issues_the_certificate(make_app: MakeApp, mailbox: Mailbox) -> None:
    app = make_app(**mailbox.settings)  # the minimal content: its certificate needs its quiz
    user_id = add_learner(app, "quiz@example.org")
    client = app.test_client()
    sign_in(client, "quiz@example.org")
    for lesson in ("welcome", "first-steps"):
        assert complete_lesson(client, "partnership-essentials", lesson) == 302
    assert certificates_in(app) == []

    answers = {"answer-when-to-involve": "0", "answer-lived-experience": "true"}
    take(client, answers, quiz="/courses/partnership-essentials/final.quiz")

    certificate = only_certificate(app)
    assert (certificate.user_id, certificate.definition_id) == (user_id, "partnership-essentials")
    assert len(mailbox.to("quiz@example.org")) == 1


def test_a_program_certificate_waits_for_every_course_it_requires(
    app: Flask, mailbox: Mailbox
) -> None:
    user_id = add_learner(app)
    complete_course(app, user_id, RENEWABLE)
    assert [c.definition_id for c in certificates_in(app)] == [RENEWABLE]

    complete_course(app, user_id, PART)

    renewable, program = certificates_in(app)
    assert renewable.definition_id == RENEWABLE  # not issued a second time
    assert program.definition_id == PROGRAM
    assert program.language == "bilingual"
    assert [pdf.language for pdf in program.pdfs] == ["bilingual"]
    assert program.expires_at is None
    assert set(program.course_versions) == {RENEWABLE, PART}
    assert len(mailbox.to("lea@example.org")) == 2


def test_without_a_name_the_certificate_waits_until_the_learner_claims_it(
    app: Flask, client: FlaskClient
) -> None:
    user_id = add_learner(app, name=None)
    complete_course(app, user_id, RENEWABLE)
    assert certificates_in(app) == []
    sign_in(client, "lea@example.org")

    page = client.get("/certificates").get_data(as_text=True)
    assert "Certificates waiting for you" in page
    assert "Partnership refresher" in page
    assert 'href="/accounts/profile"' in page
    assert "/certificates/claim" not in page

    with app.app_context():
        session = get_session()
        user = session.get(User, user_id)
        assert user is not None
        user.certificate_name = "Léa Tremblay"
        session.commit()
    response = submit_form(client, "/certificates/claim", {}, page="/certificates")
    assert response.status_code == 303
    assert only_certificate(app).certificate_name == "Léa Tremblay"
    assert "Certificates waiting for you" not in client.get("/certificates").get_data(as_text=True)


def test_a_rolled_back_completion_issues_nothing_and_mails_nothing(
    app: Flask, mailbox: Mailbox
) -> None:
    user_id = add_learner(app)
    with app.app_context():
        session = get_session()
        user = session.get(User, user_id)
        course = current_catalog().course(RENEWABLE)
        assert user is not None
        assert course is not None
        for item in course.items():
            learning.record_item_completed(session, user, course, item.key)
        assert len(queued_in(session)) == 1  # issued in this transaction...
        session.rollback()  # ...which fails
        assert queued_in(session) == []
    assert certificates_in(app) == []
    assert mailbox.messages == []


def test_a_mail_queued_in_a_rolled_back_savepoint_is_dropped(app: Flask, mailbox: Mailbox) -> None:
    kept = Mail(to="kept@example.org", subject="kept", text="kept")
    dropped = Mail(to="dropped@example.org", subject="dropped", text="dropped")
    with app.app_context():
        session = get_session()
        session.execute(select(1))
        enqueue(session, kept)
        with session.begin_nested():
            enqueue(session, Mail(to="also@example.org", subject="s", text="t"))
        nested = session.begin_nested()
        enqueue(session, dropped)
        nested.rollback()
        session.commit()
    assert sorted(m["To"] for m in mailbox.messages) == ["also@example.org", "kept@example.org"]


# Two requests at the same instant --------------------------------------------------------


def test_two_tabs_completing_the_last_lesson_at_once_issue_one_certificate(
    make_app: MakeApp, mailbox: Mailbox, databases: Databases, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = databases.url("race")
    one = make_app(content_dir=CERTIFICATE_CONTENT, database_url=url, **mailbox.settings)
    two = make_app(
        content_dir=CERTIFICATE_CONTENT, database_url=url, with_schema=False, **mailbox.settings
    )
    add_learner(one)
    tabs = one.test_client(), two.test_client()
    for tab in tabs:
        sign_in(tab, "lea@example.org")
    assert complete_lesson(tabs[0], RENEWABLE, "first") == 302
    path = f"/courses/{RENEWABLE}/last"
    tokens = [csrf_token(tab, path) for tab in tabs]
    # The requests meet once they have read the learner's enrolment: then one of them
    # completes the course while the other waits for it (tests/web/learning/
    # test_completion_race.py holds them later, at the read of the completed items).
    race = Race((one, two))
    monkeypatch.setattr(
        learning_queries, "find_enrolment", race.hold(learning_queries.find_enrolment)
    )

    responses = at_once(
        race,
        *(
            lambda tab=tab, token=token: tab.post(f"{path}/complete", data={"csrf_token": token})
            for tab, token in zip(tabs, tokens, strict=True)
        ),
    )

    assert [r.status_code for r in responses] == [302, 302]
    assert len(certificates_in(one)) == 1
    assert len(mailbox.to("lea@example.org")) == 1


def test_two_claims_at_once_issue_one_certificate(
    make_app: MakeApp, databases: Databases, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = databases.url("race")
    one = make_app(content_dir=CERTIFICATE_CONTENT, database_url=url)
    two = make_app(content_dir=CERTIFICATE_CONTENT, database_url=url, with_schema=False)
    user_id = add_learner(one, name=None)
    complete_course(one, user_id, RENEWABLE)
    with one.app_context():
        session = get_session()
        user = session.get(User, user_id)
        assert user is not None
        user.certificate_name = NAME
        session.commit()
    tabs = one.test_client(), two.test_client()
    for tab in tabs:
        sign_in(tab, "lea@example.org")
    tokens = [csrf_token(tab, "/certificates") for tab in tabs]
    # The requests meet once they have read "no certificate yet".
    race = Race((one, two))
    monkeypatch.setattr(queries, "latest_certificate", race.hold(queries.latest_certificate))

    responses = at_once(
        race,
        *(
            lambda tab=tab, token=token: tab.post("/certificates/claim", data={"csrf_token": token})
            for tab, token in zip(tabs, tokens, strict=True)
        ),
    )

    assert [r.status_code for r in responses] == [303, 303]
    assert len(certificates_in(one)) == 1


def test_the_unique_constraint_refuses_a_second_issue_resting_on_a_stale_read(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What PostgreSQL makes possible: a request that read "none issued" before another
    request's issue committed. Its insert must fail, and it must issue nothing."""
    user_id = add_learner(app)
    complete_course(app, user_id, RENEWABLE)
    first = only_certificate(app)
    monkeypatch.setattr(queries, "latest_certificate", lambda *_args: None)

    with app.app_context():
        session = get_session()
        user = session.get(User, user_id)
        assert user is not None
        issued = issuing.issue_due_certificates(session, user, current_catalog())
        assert issued == []
        assert queued_in(session) == []
        session.commit()

    assert [c.code for c in certificates_in(app)] == [first.code]


def test_issue_due_catches_up_with_certificates_never_issued(app: Flask, mailbox: Mailbox) -> None:
    user_id = add_learner(app, name=None)
    complete_course(app, user_id, RENEWABLE)
    with app.app_context():
        session = get_session()
        session.execute(select(Certificate)).all()
        user = session.get(User, user_id)
        assert user is not None
        user.certificate_name = NAME
        session.commit()
    assert certificates_in(app) == []

    result = app.test_cli_runner().invoke(cli, ["certificates", "issue-due"])

    assert result.exit_code == 0, result.output
    assert "1 certificate(s) issued." in result.output
    assert only_certificate(app).definition_id == RENEWABLE
    assert len(mailbox.to("lea@example.org")) == 1
    again = app.test_cli_runner().invoke(certificates_group, ["issue-due"])
    assert "0 certificate(s) issued." in again.output


def test_issue_due_completes_a_course_whose_every_step_is_done_and_says_so(
    app: Flask, mailbox: Mailbox
) -> None:
    """What two last steps at once left before they waited for each other: every item
    recorded, the enrolment never completed, no certificate."""
    user_id = add_learner(app)
    complete_course(app, user_id, PART)
    record(app, user_id, RENEWABLE, "first")
    halfway = add_learner(app, "sam@example.org")
    record(app, halfway, RENEWABLE, "first")
    with app.app_context():
        session = get_session()
        course = current_catalog().course(RENEWABLE)
        assert course is not None
        session.add(
            ItemCompletion(
                user_id=user_id, course_id=RENEWABLE, item="last", content_version=course.version
            )
        )
        session.commit()
    assert certificates_in(app) == []

    result = app.test_cli_runner().invoke(cli, ["certificates", "issue-due"])

    assert result.exit_code == 0, result.output
    issued = {c.definition_id: c.code for c in certificates_in(app)}
    assert sorted(issued) == [PROGRAM, RENEWABLE]
    assert result.output.splitlines() == [
        f"Completed {RENEWABLE} for user {user_id}: every step was done, but the completion "
        f"was not recorded, issued {PROGRAM} ({issued[PROGRAM]}), issued {RENEWABLE} "
        f"({issued[RENEWABLE]}).",
        "1 course completion(s) repaired.",
        "2 certificate(s) issued.",
    ]
    with app.app_context():
        session = get_session()
        (enrolment,) = session.scalars(
            select(Enrolment).where(Enrolment.user_id == user_id, Enrolment.course_id == RENEWABLE)
        )
        assert enrolment.completed_at is not None
        assert enrolment.completed_version == course.version
        (unfinished,) = session.scalars(select(Enrolment).where(Enrolment.user_id == halfway))
        assert unfinished.completed_at is None
    assert len(mailbox.to("lea@example.org")) == 2
    again = app.test_cli_runner().invoke(cli, ["certificates", "issue-due"])
    assert again.output.splitlines() == ["0 certificate(s) issued."]
