"""Staff manage a cohort as they meet its pages, in French and English, each checked with axe:
the dashboard's blocked member given attempts, the cohort renamed and later archived, a person
added by address, a member's own due date, a member removed after its confirmation, and the
reminders' confirmation with the mail in both languages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from lms.accounts.categories import Role
from tests.web.cohorts.helpers import fail_every_attempt
from tests.web.staff_helpers import STAFF_CONTENT, add_cohort, add_member, add_user, site_today

from .conftest import Serve
from .helpers import LOCALES, Words, check_accessibility, sign_in


def _cohort(app: Flask) -> tuple[int, int, int]:
    """FRQ 2026, due in five days: Ann (English, blocked at the basics' quiz), and Ben
    (French); their ids after the cohort's."""
    with app.app_context():
        due: date = site_today() + timedelta(days=5)
    cohort_id = add_cohort(app, "FRQ 2026", due_date=due)
    ann = add_user(app, "ann@example.org", name="Ann Lee", language="en")
    ben = add_user(app, "ben@example.org", name="Ben Côté", language="fr")
    add_member(app, cohort_id, "ann@example.org", "Ann", "Lee", user_id=ann)
    add_member(app, cohort_id, "ben@example.org", "Ben", "Côté", user_id=ben)
    fail_every_attempt(app, ann)
    return cohort_id, ann, ben


@pytest.mark.parametrize("language", ["fr", "en"])
def test_staff_manage_a_cohort_its_members_and_reminders(
    serve: Serve, new_page: Callable[..., Page], language: str
) -> None:
    server = serve(content_dir=STAFF_CONTENT)
    app, words = server.app, Words(server.app, language)
    cohort_id, _ann, _ben = _cohort(app)
    add_user(app, "sam@example.org", role=Role.STAFF, language=language)
    page = new_page(locale=LOCALES[language])
    sign_in(page, server, words, "sam@example.org")
    dashboard = f"{server.url}/staff/cohorts/{cohort_id}"

    # The blocked member is flagged, and given more attempts from the dashboard.
    page.goto(dashboard)
    expect(
        page.locator(".status-overdue", has_text=words("Blocked: attempts used up"))
    ).to_have_count(1)
    check_accessibility(page, f"cohort-manage-dashboard-{language}")
    page.get_by_role(
        "link",
        name=words.plural(
            "Grant more attempts to the %(num)d blocked member",
            "Grant more attempts to the %(num)d blocked members",
            1,
        ),
    ).click()
    page.get_by_role("button", name=words("Grant the attempts")).click()
    expect(page.locator(".field-error").first).to_be_visible()
    check_accessibility(page, f"cohort-grant-errors-{language}")
    page.get_by_label("Ann Lee").check()
    page.get_by_label(words("Reason")).fill("Corrigé erroné / wrong answer key")
    page.get_by_role("button", name=words("Grant the attempts")).click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(
        page.locator(".status-overdue", has_text=words("Blocked: attempts used up"))
    ).to_have_count(0)

    # Renamed: a bad name first, said beside its field.
    page.get_by_role("link", name=words("Change or archive the cohort")).click()
    check_accessibility(page, f"cohort-edit-{language}")
    page.get_by_label(words("Name")).fill("")
    page.get_by_role("button", name=words("Save the changes")).click()
    expect(page.locator(".field-error")).to_have_text(words("Name the cohort."))
    check_accessibility(page, f"cohort-edit-errors-{language}")
    page.get_by_label(words("Name")).fill("FRQ fellows 2026")
    page.get_by_role("button", name=words("Save the changes")).click()
    expect(page.locator(".flash-success")).to_have_text(words("The cohort is saved."))
    expect(page.get_by_role("heading", level=1)).to_have_text("FRQ fellows 2026")

    # One person added by address.
    page.get_by_role("link", name=words("Add a person")).click()
    page.get_by_role("button", name=words("Add to the cohort")).click()
    expect(page.locator(".error-summary")).to_be_visible()
    check_accessibility(page, f"cohort-add-member-errors-{language}")
    page.get_by_label(words("Email address")).fill("noa@example.org")
    page.get_by_label(words("First name"), exact=True).fill("Noa")
    page.get_by_label(words("Last name"), exact=True).fill("Gagné")
    page.get_by_role("button", name=words("Add to the cohort")).click()
    expect(page.locator(".flash-success")).to_have_text(
        words("The person is added, and an invitation is on its way.")
    )

    # A member's own due date, then Ben removed after the confirmation.
    page.get_by_role(
        "link", name=words("Manage the membership of %(name)s", name="Ann Lee")
    ).click()
    check_accessibility(page, f"cohort-member-{language}")
    page.get_by_label(words("Own due date")).fill((date.today() + timedelta(days=8)).isoformat())
    page.get_by_label(words("Reason")).fill("Congé / leave")
    page.get_by_role("button", name=words("Save the due date")).click()
    expect(page.locator(".flash-success")).to_have_text(words("The member’s due date is saved."))
    page.get_by_role(
        "link", name=words("Manage the membership of %(name)s", name="Ben Côté")
    ).click()
    page.get_by_role("link", name=words("Remove %(name)s…", name="Ben Côté")).click()
    expect(page.get_by_role("heading", level=2, name=words("What happens"))).to_be_visible()
    check_accessibility(page, f"cohort-remove-member-{language}")
    page.get_by_label(words("Reason")).fill("A quitté le programme / left the program")
    page.get_by_role("button", name=words("Remove from the cohort")).click()
    expect(page.locator(".flash-success")).to_have_text(
        words("%(name)s is removed from the cohort.", name="Ben Côté")
    )
    expect(page.get_by_role("row").filter(has_text="ben@example.org")).to_have_count(0)

    # Reminders: who, who is skipped (Noa, just invited), the mail in both languages.
    page.get_by_role("link", name=words("Send reminders now")).click()
    expect(page.locator("article[lang=fr] pre.mail-preview")).to_contain_text("Bonjour")
    expect(page.locator("article[lang=en] pre.mail-preview")).to_contain_text("Hello")
    expect(page.get_by_text("noa@example.org")).to_be_visible()
    check_accessibility(page, f"cohort-reminders-confirm-{language}")
    page.get_by_role(
        "button", name=words.plural("Send %(num)d reminder", "Send %(num)d reminders", 1)
    ).click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.get_by_text(words("No reminder yet"))).to_have_count(1)  # Noa

    # Archived: off the list, behind its own link.
    page.get_by_role("link", name=words("Change or archive the cohort")).click()
    page.get_by_role("button", name=words("Archive the cohort")).click()
    expect(page.locator(".flash-success")).to_be_visible()
    page.goto(f"{server.url}/staff/")
    expect(page.get_by_text("FRQ fellows 2026")).to_have_count(0)
    page.get_by_role(
        "link",
        name=words.plural(
            "Show the %(num)d archived cohort", "Show the %(num)d archived cohorts", 1
        ),
    ).click()
    expect(page.get_by_role("link", name="FRQ fellows 2026")).to_be_visible()
    check_accessibility(page, f"cohort-archived-list-{language}")
