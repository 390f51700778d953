"""Staff import a roster in French and English, each page checked with axe: a file refused
for one line (nothing imported), then a good one, whose progress page reads the same after a
reload, and the page of an import still waiting for its turn."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from lms.accounts.categories import Role
from lms.cohorts import imports, services
from lms.cohorts.roster import parse_roster
from lms.db import get_session
from tests.web.staff_helpers import STAFF_CONTENT, add_cohort, add_user

from .conftest import Serve
from .helpers import LOCALES, Words, check_accessibility, sign_in

HEADER = "Courriel;Prénom;Nom;Secteur;Numéro de bourse\r\n"


@pytest.mark.parametrize("language", ["fr", "en"])
def test_staff_import_a_roster_and_follow_its_progress(
    serve: Serve, new_page: Callable[..., Page], language: str, tmp_path: Path
) -> None:
    server = serve(content_dir=STAFF_CONTENT)
    app, words = server.app, Words(server.app, language)
    cohort_id = add_cohort(app, "FRQ 2026")
    add_user(app, "sam@example.org", role=Role.STAFF, language=language)
    page = new_page(locale=LOCALES[language])
    sign_in(page, server, words, "sam@example.org")
    bad, good = tmp_path / "bad.csv", tmp_path / "liste.csv"
    bad.write_text(HEADER + "ada@example.org;Ada;L;Astrologie;1\r\n", encoding="utf-8")
    good.write_text(
        HEADER + "ada@example.org;Ada;L;Santé;1\r\nbob@example.org;Bob;M;FRQNT;2\r\n",
        encoding="utf-8",
    )

    page.goto(f"{server.url}/staff/cohorts/{cohort_id}/import")
    page.get_by_label(words("Roster file (CSV or XLSX)")).set_input_files(str(bad))
    page.get_by_role("button", name=words("Check and import")).click()
    expect(page.get_by_role("alert")).to_contain_text("Astrologie")
    check_accessibility(page, f"roster-import-refused-{language}")

    page.get_by_label(words("Roster file (CSV or XLSX)")).set_input_files(str(good))
    page.get_by_role("button", name=words("Check and import")).click()
    status = page.get_by_role("status").last
    expect(status).to_contain_text(words("The file “%(file)s” is imported.", file="liste.csv"))
    check_accessibility(page, f"roster-import-done-{language}")
    page.reload()
    expect(page.get_by_role("status").last).to_contain_text("liste.csv")
    expect(page.locator(".record-facts")).to_contain_text(words("Invitations queued"))

    with app.app_context():
        session = get_session()
        job = imports.queue_import(
            session,
            services.find_cohort(session, cohort_id),
            filename="attente.csv",
            rows=parse_roster(good.read_bytes(), "attente.csv").rows,
            actor=None,
        )
        session.commit()
        waiting = f"{server.url}/staff/cohorts/{cohort_id}/imports/{job.id}"
    page.goto(waiting)
    expect(page.get_by_role("link", name=words("Reload"))).to_be_visible()
    check_accessibility(page, f"roster-import-waiting-{language}")
