"""A learner's record for staff: profile, cohorts, lessons, quiz scores and certificates, with
revoke and reissue; never a password, never a reflection."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from lms.accounts.categories import Role
from lms.certificates.models import CertificateStatus
from tests.support.smtp import Mailbox, html_of, text_of
from tests.web.account_helpers import post_form
from tests.web.certificate_helpers import certificates_in
from tests.web.conftest import MakeApp
from tests.web.helpers import hidden_fields
from tests.web.learning_helpers import record, sign_in
from tests.web.quiz_helpers import take
from tests.web.staff_helpers import (
    BASICS,
    PRACTICE,
    add_cohort,
    add_member,
    add_user,
    audit_events,
    staff_app,
)

REFLECTION = "My very private reflection about living with diabetes."
QUIZ = "/courses/basics/check.quiz"
ANSWERS = {
    "answer-when": "1",  # wrong
    "answer-roles": ["0", "2"],
    "answer-lived": "true",
    "answer-posture": "co-construction",
    "answer-yours": REFLECTION,
}


@pytest.fixture
def app(make_app: MakeApp) -> Flask:
    return staff_app(make_app)


@pytest.fixture
def learner(app: Flask) -> int:
    """Lea: in a cohort, lessons done, a quiz passed with a reflection, the program complete."""
    lea = add_user(app, "lea@example.org", name="Léa Tremblay")
    cohort = add_cohort(app, "FRQ 2026")
    add_member(app, cohort, "lea@example.org", "Léa", "Tremblay", user_id=lea)
    own = app.test_client()
    sign_in(own, "lea@example.org")
    record(app, lea, BASICS, "welcome", "partners")
    take(own, ANSWERS, quiz=QUIZ)
    record(app, lea, PRACTICE, "apply")
    return lea


@pytest.fixture
def staff_client(app: Flask, client: FlaskClient) -> FlaskClient:
    add_user(app, "sam@example.org", role=Role.STAFF)
    sign_in(client, "sam@example.org")
    return client


def test_the_record_shows_profile_cohorts_lessons_and_scores(
    staff_client: FlaskClient, learner: int
) -> None:
    page = staff_client.get(f"/staff/learners/{learner}").get_data(as_text=True)

    assert "<h1>Léa Tremblay</h1>" in page
    assert "lea@example.org" in page
    assert "FRQ 2026" in page
    assert "Partnership basics" in page
    assert "Welcome" in page
    assert "Partners" in page
    assert "Not done" not in page
    assert "3/4" in page  # the attempt's score: one of four graded questions wrong
    assert "Passed" in page


def test_the_record_never_shows_a_password_or_a_reflection(
    staff_client: FlaskClient, learner: int
) -> None:
    page = staff_client.get(f"/staff/learners/{learner}").get_data(as_text=True)

    assert REFLECTION not in page
    assert "diabetes" not in page
    assert "$argon2" not in page
    assert "password" not in page.lower().replace("passwords", "")


def test_learners_are_found_by_email_or_name(staff_client: FlaskClient, learner: int) -> None:
    page = staff_client.get("/staff/learners/?q=TREMBLAY").get_data(as_text=True)

    assert f'href="/staff/learners/{learner}"' in page
    assert "1 account found." in page
    assert "0 accounts found." in staff_client.get("/staff/learners/?q=nobody").get_data(
        as_text=True
    )


def test_staff_reissue_then_revoke_a_certificate_and_both_are_audited(
    app: Flask, staff_client: FlaskClient, learner: int
) -> None:
    certificates = certificates_in(app)
    [first] = certificates
    record_page = f"/staff/learners/{learner}"
    assert first.code in staff_client.get(record_page).get_data(as_text=True)

    reissued = post_form(
        staff_client,
        f"{record_page}/certificates/{first.code}/reissue",
        {"reason": "Name changed"},
        f"{record_page}/certificates/{first.code}/reissue",
    )

    assert reissued.status_code == 303
    old, new = sorted(certificates_in(app), key=lambda c: c.id)
    assert old.status is CertificateStatus.SUPERSEDED
    assert new.status is CertificateStatus.ACTIVE
    [event] = [e for e in audit_events(app) if e.action == "certificate.reissue"]
    assert event.target == f"certificate:{old.code}"
    assert event.details["replacement"] == new.code
    assert event.details["reason"] == "Name changed"

    revoke = f"{record_page}/certificates/{new.code}/revoke"
    assert f'href="{revoke}"' in staff_client.get(record_page).get_data(as_text=True)
    page = staff_client.get(revoke).get_data(as_text=True)
    assert "What will happen" in page
    assert "cannot be undone" in page
    assert new.status is CertificateStatus.ACTIVE  # nothing is done by looking
    refused = post_form(staff_client, revoke, {"reason": ""}, revoke)
    assert refused.status_code == 400
    assert "Give the reason" in refused.get_data(as_text=True)
    form = hidden_fields(staff_client.get(revoke).get_data(as_text=True), revoke)
    reason = {"reason": "Completed under another person’s account."}
    revoked = staff_client.post(revoke, data={**form, **reason})
    again = staff_client.post(revoke, data={**form, **reason}, follow_redirects=True)

    assert revoked.status_code == 303
    assert "This was done already: nothing more happened." in again.get_data(as_text=True)
    latest = {c.code: c for c in certificates_in(app)}[new.code]
    assert latest.status is CertificateStatus.REVOKED
    assert latest.revoked_reason == "Completed under another person’s account."
    [event] = [e for e in audit_events(app) if e.action == "certificate.revoke"]
    assert event.target == f"certificate:{new.code}"
    assert event.details["reason"] == "Completed under another person’s account."
    page = staff_client.get(record_page).get_data(as_text=True)
    assert "Revoked on" in page


def test_reissuing_says_what_will_happen_asks_a_reason_acts_once_and_mails_it(
    make_app: MakeApp, mailbox: Mailbox
) -> None:
    app = staff_app(make_app, **mailbox.settings)
    lea = add_user(app, "lea@example.org", name="Léa Tremblay")
    record(app, lea, BASICS, "welcome", "partners")
    own = app.test_client()
    sign_in(own, "lea@example.org")
    take(own, ANSWERS, quiz=QUIZ)
    record(app, lea, PRACTICE, "apply")
    add_user(app, "sam@example.org", role=Role.STAFF)
    staff = app.test_client()
    sign_in(staff, "sam@example.org")
    [first] = certificates_in(app)
    record_page = f"/staff/learners/{lea}"
    confirm = f"{record_page}/certificates/{first.code}/reissue"
    assert f'href="{confirm}"' in staff.get(record_page).get_data(as_text=True)

    page = staff.get(confirm).get_data(as_text=True)
    assert "What will happen" in page
    assert f"The code {first.code} stops being valid" in page
    assert "lea@example.org" in page
    assert len(certificates_in(app)) == 1  # nothing is done by looking

    refused = post_form(staff, confirm, {"reason": "   "}, confirm)
    assert refused.status_code == 400
    assert "Give the reason" in refused.get_data(as_text=True)
    assert len(certificates_in(app)) == 1

    before = len(mailbox.to("lea@example.org"))
    form = {
        **hidden_fields(staff.get(confirm).get_data(as_text=True), confirm),
        "reason": "Your name changed on 1 December.",
    }
    done = staff.post(confirm, data=form)
    again = staff.post(confirm, data=form)  # a second click: told it is done, nothing more
    assert done.status_code == 303
    assert again.status_code == 303
    assert len(certificates_in(app)) == 2
    assert len([e for e in audit_events(app) if e.action == "certificate.reissue"]) == 1
    mails = mailbox.to("lea@example.org")[before:]
    assert len(mails) == 1
    assert "Your name changed on 1 December." in text_of(mails[0])
    assert "Your name changed on 1 December." in html_of(mails[0])
    assert confirm not in staff.get(record_page).get_data(as_text=True)


def test_a_certificate_of_someone_else_is_not_found(
    app: Flask, staff_client: FlaskClient, learner: int
) -> None:
    certificates = certificates_in(app)
    other = add_user(app, "other@example.org", password=None)

    response = post_form(
        staff_client,
        f"/staff/learners/{other}/certificates/{certificates[0].code}/reissue",
        {"reason": "Name changed"},
        f"/staff/learners/{learner}",
    )

    assert response.status_code == 404
    assert [e for e in audit_events(app) if e.action.startswith("certificate")] == []


def test_an_unknown_learner_is_404(staff_client: FlaskClient) -> None:
    assert staff_client.get("/staff/learners/999").status_code == 404
