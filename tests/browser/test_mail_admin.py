"""Administrators see the mail the server refused, and try it again from the outbox's page.
French and English, checked with axe."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from lms.accounts.categories import Role
from lms.db import get_session
from lms.mail import Mail
from lms.outbox import services
from tests.support.smtp import Mailbox
from tests.web.certificate_helpers import add_learner

from .conftest import Serve
from .helpers import LOCALES, Words, check_accessibility, sign_in


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_admin_sees_a_refused_mail_and_sends_it_again(
    serve: Serve, new_page: Callable[..., Page], mailbox: Mailbox, language: str
) -> None:
    server = serve(**mailbox.settings)
    app, words = server.app, Words(server.app, language)
    add_learner(app, "root@example.org", role=Role.ADMIN, language=language)
    mailbox.refuse(1)
    with app.app_context():
        session = get_session()
        services.enqueue(session, Mail(to="lea@example.org", subject="Bienvenue", text="T"))
        session.commit()

    page = new_page(locale=LOCALES[language])
    sign_in(page, server, words, "root@example.org")
    page.goto(f"{server.url}/admin/mail/")
    expect(page.get_by_role("heading", level=1)).to_have_text(words("Mail not sent"))
    row = page.get_by_role("row", name="lea@example.org")
    expect(row).to_contain_text(str(words("Waiting for its next try")))
    expect(row).to_contain_text("451 4.3.0 Try again later")
    check_accessibility(page, f"mail-admin-{language}")

    row.get_by_role("button", name=words("Try again now")).click()
    expect(page.locator(".flash-success")).to_be_visible()
    page.reload()
    expect(page.get_by_text(words("Every mail has been sent."))).to_be_visible()
    assert len(mailbox.to("lea@example.org")) == 1
    check_accessibility(page, f"mail-admin-empty-{language}")
