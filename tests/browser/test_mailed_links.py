"""The pages a mailed link opens, as the person who clicked it sees them: an invitation (one
template and view shared with password reset), a password reset, and a link already spent."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from lms.accounts import queries, services
from lms.accounts.categories import FrqSector
from lms.accounts.tokens import Purpose
from lms.config import current_settings
from lms.db import get_session

from .conftest import Serve
from .helpers import LOCALES, PASSWORD, Words, check_accessibility, create_learner


def link(app: Flask, email: str, purpose: Purpose) -> str:
    """The token of a new ``purpose`` link for the account of ``email``, as its mail has it."""
    with app.app_context():
        session = get_session()
        user = queries.find_user_by_email(session, email)
        assert user is not None
        return services.link_token(user, purpose, current_settings().secret_key)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_an_invitation_opens_the_account_and_the_link_is_then_spent(
    serve: Serve, new_page: Callable[..., Page], language: str
) -> None:
    server = serve()
    words = Words(server.app, language)
    with server.app.app_context():
        session = get_session()
        services.create_invited_account(
            session, "zoe@example.org", name="Zoé Côté", frq_sector=FrqSector.HEALTH
        )
        session.commit()
    token = link(server.app, "zoe@example.org", Purpose.ACCEPT_INVITATION)
    url = f"{server.url}/invitation/{token}"
    page = new_page(locale=LOCALES[language])

    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text(words("Create your account"))
    # What the roster said is there to check, not to type again.
    expect(page.get_by_label(words("Your name as it should appear on certificates"))).to_have_value(
        "Zoé Côté"
    )
    check_accessibility(page, f"invitation-{language}")
    page.get_by_label(words("Password"), exact=True).fill(PASSWORD)
    page.get_by_label(words("Password, again")).fill(PASSWORD)
    page.get_by_label(words("Researcher")).check()
    page.get_by_label(words("University")).check()
    page.get_by_label(
        words("I have read the privacy notice and I agree that my information is used as it says.")
    ).check()
    page.get_by_role("button", name=words("Create my account")).click()
    expect(page.locator(".flash-success")).to_contain_text(
        words("Welcome! Your account is ready, and you are signed in.")
    )

    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text(words("This link does not work"))
    check_accessibility(page, f"invitation-spent-{language}")


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_reset_link_sets_a_new_password(
    serve: Serve, new_page: Callable[..., Page], language: str
) -> None:
    server = serve()
    words = Words(server.app, language)
    create_learner(server.app, "lea@example.org", language)
    token = link(server.app, "lea@example.org", Purpose.RESET_PASSWORD)
    page = new_page(locale=LOCALES[language])

    page.goto(f"{server.url}/accounts/reset/{token}")
    expect(page.get_by_role("heading", level=1)).to_have_text(words("Choose a new password"))
    check_accessibility(page, f"reset-password-{language}")
    page.get_by_label(words("New password"), exact=True).fill("a brand new passphrase")
    page.get_by_label(words("New password, again")).fill("a brand new passphrase")
    page.get_by_role("button", name=words("Save my new password")).click()
    expect(page.locator(".flash-success")).to_contain_text(
        words("Your new password is saved, and you are signed in.")
    )
