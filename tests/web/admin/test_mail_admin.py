"""The outbox's page: administrators see unsent and failed mails and try one again, once."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from lms.accounts.categories import Role
from lms.audit.actions import AuditAction
from lms.db import get_session, utcnow
from lms.mail import Mail
from lms.outbox import services
from lms.outbox.models import QueuedMail
from tests.support.smtp import Mailbox
from tests.web.conftest import MakeApp
from tests.web.helpers import hidden_fields
from tests.web.learning_helpers import sign_in
from tests.web.staff_helpers import add_user, audit_events, staff_app

PAGE = "/admin/mail/"


@pytest.fixture
def app(make_app: MakeApp, mailbox: Mailbox) -> Flask:
    return staff_app(make_app, **mailbox.settings)


@pytest.fixture
def admin_client(app: Flask, client: FlaskClient) -> FlaskClient:
    add_user(app, "root@example.org", role=Role.ADMIN)
    sign_in(client, "root@example.org")
    return client


def failed_mail(app: Flask, mailbox: Mailbox) -> int:
    """A mail the server refused until it was given up on."""
    mailbox.refuse(1)
    with app.app_context():
        session = get_session()
        (mail_id,) = services.enqueue(
            session, Mail(to="lea@example.org", subject="Votre attestation", text="T")
        )
        session.commit()
    with app.app_context():
        session = get_session()
        session.execute(update(QueuedMail).values(failed_at=utcnow()))
        session.commit()
    return mail_id


def retry_form(client: FlaskClient, mail_id: int) -> tuple[str, dict[str, str]]:
    """Where the page's "try again now" button of ``mail_id`` posts, and its hidden fields."""
    path = f"/admin/mail/{mail_id}/retry"
    return path, hidden_fields(client.get(PAGE).get_data(as_text=True), path)


def test_the_page_lists_failed_mails_with_what_the_server_said(
    app: Flask, admin_client: FlaskClient, mailbox: Mailbox
) -> None:
    failed_mail(app, mailbox)
    page = admin_client.get(PAGE).get_data(as_text=True)
    assert "lea@example.org" in page
    assert "Votre attestation" in page
    assert "Failed: no more automatic tries" in page
    assert "451 4.3.0 Try again later" in page
    assert "Try again now" in page


def test_the_page_speaks_french(app: Flask, client: FlaskClient, mailbox: Mailbox) -> None:
    add_user(app, "racine@example.org", role=Role.ADMIN, language="fr")
    sign_in(client, "racine@example.org")
    failed_mail(app, mailbox)
    page = client.get(PAGE).get_data(as_text=True)
    assert "Courriels non envoyés" in page
    assert "Échec\u00a0: plus aucun essai automatique" in page
    assert "Réessayer maintenant" in page


def test_an_empty_outbox_says_so(admin_client: FlaskClient) -> None:
    page = admin_client.get(PAGE).get_data(as_text=True)
    assert "Every mail has been sent." in page


def test_try_again_now_sends_it_once_and_is_in_the_audit_trail(
    app: Flask, admin_client: FlaskClient, mailbox: Mailbox
) -> None:
    mail_id = failed_mail(app, mailbox)
    path, form = retry_form(admin_client, mail_id)

    first = admin_client.post(path, data=form)
    again = admin_client.post(path, data=form)  # a double click, a reload

    assert first.status_code == again.status_code == 303
    assert len(mailbox.to("lea@example.org")) == 1
    assert [e.target for e in audit_events(app) if e.action == AuditAction.MAIL_RETRY] == [
        f"mail:{mail_id}"
    ]
    page = admin_client.get(PAGE).get_data(as_text=True)
    assert "Every mail has been sent." in page


def test_a_mail_sent_meanwhile_is_not_sent_again(
    app: Flask, admin_client: FlaskClient, mailbox: Mailbox
) -> None:
    mail_id = failed_mail(app, mailbox)
    path, form = retry_form(admin_client, mail_id)
    with app.app_context():
        session = get_session()
        session.execute(update(QueuedMail).values(sent_at=utcnow()))
        session.commit()

    response = admin_client.post(path, data=form)

    assert response.status_code == 303
    assert mailbox.to("lea@example.org") == []
    assert "sent meanwhile" in admin_client.get(PAGE).get_data(as_text=True)
