"""The Content-Security-Policy holds in a real browser: the main pages load with no violation
(no inline script, style or handler left in a template), for a learner and for staff."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from playwright.sync_api import ConsoleMessage, Page

from lms.accounts.categories import Role
from lms.cohorts.models import Cohort, CohortMembership
from lms.db import get_session
from tests.support.apps import TESTS

from .conftest import Serve
from .helpers import PASSWORD, LiveServer, create_learner

STAFF_CONTENT = TESTS / "fixtures" / "content" / "staff"

# Registered before any of the page's own code runs (through the DevTools protocol, which the
# policy does not govern), so that every violation of the page's life is counted.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', event => {
  window.__cspViolations.push(event.violatedDirective + ' ' + event.blockedURI + ' '
    + (event.sourceFile || '') + ':' + event.lineNumber);
});
"""

LEARNER_PAGES = (
    "/courses",
    "/courses/basics",
    "/courses/basics/welcome",
    "/courses/basics/check.quiz",
    "/dashboard",
    "/certificates",
    "/accounts/profile",
    "/verify",
    "/privacy",
    "/no/such/page",
)
STAFF_PAGES = ("/staff/", "/staff/cohorts/1", "/staff/learners/", "/staff/quizzes/", "/admin/users")
ANONYMOUS_PAGES = ("/accounts/sign-in", "/accounts/sign-up", "/accounts/reset", "/courses")


def _add_people_and_a_cohort(server: LiveServer) -> None:
    create_learner(server.app, "lea@example.org", language="en")
    with server.app.app_context():
        from lms.accounts import services as accounts

        session = get_session()
        admin = accounts.create_user(
            session, "ada@example.org", PASSWORD, Role.ADMIN, "en", email_confirmed=True
        )
        cohort = Cohort(name="FRQ 2026", certificate_id="program", due_date=date(2030, 6, 1))
        session.add(cohort)
        session.flush()
        session.add(
            CohortMembership(
                cohort_id=cohort.id, email="lea@example.org", first_name="Léa", last_name="T"
            )
        )
        session.commit()
        assert admin.id


def _sign_in(page: Page, server: LiveServer, email: str) -> None:
    page.goto(f"{server.url}/accounts/sign-in")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form.stack-form [type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{server.url}/accounts/profile")
    assert "/accounts/profile" in page.url, f"{email} is not signed in"


def _violations_on(page: Page, server: LiveServer, paths: tuple[str, ...]) -> list[str]:
    console: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            console.append(message.text)

    page.on("console", on_console)
    found = []
    for path in paths:
        page.goto(f"{server.url}{path}")
        page.wait_for_load_state("load")
        recorded: list[str] = page.evaluate("window.__cspViolations || []")
        found += [f"{path}: {violation}" for violation in recorded]
    page.remove_listener("console", on_console)
    return found + console


def test_the_main_pages_raise_no_csp_violation(serve: Serve, new_page: Callable[..., Page]) -> None:
    server = serve(content_dir=STAFF_CONTENT)
    _add_people_and_a_cohort(server)

    anonymous = new_page(locale="en-CA")
    anonymous.add_init_script(RECORD_VIOLATIONS)
    response = anonymous.goto(f"{server.url}/courses")
    assert response is not None
    assert "unsafe-inline" not in (response.headers.get("content-security-policy") or "x")
    violations = _violations_on(anonymous, server, ANONYMOUS_PAGES)

    learner = new_page(locale="en-CA")
    learner.add_init_script(RECORD_VIOLATIONS)
    _sign_in(learner, server, "lea@example.org")
    violations += _violations_on(learner, server, LEARNER_PAGES)

    admin = new_page(locale="fr-CA")
    admin.add_init_script(RECORD_VIOLATIONS)
    _sign_in(admin, server, "ada@example.org")
    violations += _violations_on(admin, server, STAFF_PAGES)
    admin.goto(f"{server.url}/staff/cohorts/1")
    assert admin.locator("figure.chart svg").count() == 1  # the chart's SVG is checked too

    assert violations == []


def test_an_inline_script_would_be_reported(serve: Serve, new_page: Callable[..., Page]) -> None:
    """The check above can fail: a page given an inline script reports the violation."""
    server = serve()
    page = new_page(locale="en-CA")
    page.add_init_script(RECORD_VIOLATIONS)
    page.goto(f"{server.url}/courses")
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_timeout(100)
    recorded: list[str] = page.evaluate("window.__cspViolations")
    assert any("script-src" in violation for violation in recorded)
    assert page.evaluate("window.ran") is None
