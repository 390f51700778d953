"""The verification page, as someone who scanned a certificate's QR code sees it: valid,
revoked and superseded, in French and in English, each checked with axe."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from lms.accounts.categories import Role
from lms.accounts.services import find_user
from lms.catalog import current_catalog
from lms.certificates import corrections, queries
from lms.db import get_session
from tests.web.certificate_helpers import (
    CERTIFICATE_CONTENT,
    RENEWABLE,
    add_learner,
    complete_course,
    only_certificate,
)

from .conftest import Serve
from .helpers import LOCALES, Words, check_accessibility


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_verification_page_of_each_standing(
    serve: Serve, new_page: Callable[..., Page], language: str
) -> None:
    server = serve(content_dir=CERTIFICATE_CONTENT)
    app, words = server.app, Words(server.app, language)
    staff = add_learner(app, "sam@example.org", name="Sam", role=Role.STAFF)
    lea, ben = add_learner(app, "lea@example.org"), add_learner(app, "ben@example.org", name="Ben")
    complete_course(app, lea, RENEWABLE)
    revoked = only_certificate(app).code
    complete_course(app, ben, RENEWABLE)
    with app.app_context():
        session = get_session()
        actor = find_user(session, staff)
        to_revoke = queries.find_certificate_by_code(session, revoked)
        assert to_revoke is not None
        corrections.revoke_certificate(session, to_revoke, reason="Wrong holder", actor=actor)
        (bens,) = queries.certificates_of(session, find_user(session, ben))
        superseded = bens.code
        valid = corrections.reissue_certificate(
            session, bens, actor=actor, catalog=current_catalog()
        ).code
        session.commit()
    page = new_page(locale=LOCALES[language])

    for code, standing in ((valid, "valid"), (revoked, "revoked"), (superseded, "superseded")):
        response = page.goto(f"{server.url}/verify/{code}")
        assert response is not None
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page.locator("body")).to_contain_text(code)
        check_accessibility(page, f"verification-{standing}-{language}")
    # The revoked page gives the reason; the superseded one leads to its replacement.
    page.goto(f"{server.url}/verify/{revoked}")
    expect(page.locator("body")).to_contain_text("Wrong holder")
    page.goto(f"{server.url}/verify/{superseded}")
    page.locator(f"a[href$='/verify/{valid}']").first.click()
    expect(page).to_have_url(f"{server.url}/verify/{valid}")
    expect(page.locator("html")).to_have_attribute("lang", words.language)
    # A valid certificate's link is copied with one button, and the page says so.
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    page.get_by_role("button", name=words("Copy the link")).click()
    expect(page.get_by_role("status")).to_have_text(words("Link copied."))
    assert page.evaluate("navigator.clipboard.readText()") == f"{server.url}/verify/{valid}"
    linkedin = page.get_by_role("link", name=re.compile(words("Add to my LinkedIn profile")))
    expect(linkedin).to_have_attribute("href", re.compile(rf"certId={valid}"))
