"""The summary before grading, as a person meets it: a dialog with JavaScript, a page without;
and a language switch in the middle of an attempt that loses no answer."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from lms.accounts import queries as account_queries
from lms.accounts import services as accounts
from lms.accounts.categories import Role
from lms.db import get_session

from .conftest import Serve
from .helpers import (
    LOCALES,
    PASSWORD,
    LiveServer,
    Words,
    answer_quiz,
    check_accessibility,
    create_learner,
    sign_in,
)

COURSE = "partnership-essentials"
QUIZ = f"/courses/{COURSE}/final.quiz"


def _start(page: Page, server: LiveServer, words: Words, email: str) -> None:
    create_learner(server.app, email, words.language)
    sign_in(page, server, words, email)
    page.goto(f"{server.url}{QUIZ}")
    page.get_by_role("button", name=words("Start the quiz")).click()


def test_the_dialog_lists_what_is_unanswered_and_goes_back(
    new_page: Callable[..., Page], live_server: LiveServer
) -> None:
    server, words = live_server, Words(live_server.app, "en")
    page = new_page(locale="en-CA")
    _start(page, server, words, "dialog@example.org")
    page.get_by_label("From the start", exact=True).check()

    page.get_by_role("button", name=words("Submit my answers")).click()

    dialog = page.get_by_role("dialog", name=words("Submit your answers?"))
    expect(dialog).to_contain_text(
        words("Questions answered: %(answered)s of %(total)s.", answered=1, total=2)
    )
    missing = dialog.get_by_role("link", name=words("Question %(number)s", number=2))
    expect(missing).to_have_attribute("href", "#question-2")
    check_accessibility(page, "review-dialog-unanswered")
    dialog.get_by_role("button", name=words("Go back to my answers")).click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_label("From the start", exact=True)).to_be_checked()
    expect(page.locator(".quiz-score")).to_have_count(0)  # nothing was graded

    # The page that a browser without JavaScript shows instead (axe needs a script to run):
    # nothing was saved yet, so it warns that nothing is answered.
    page.goto(f"{server.url}{QUIZ}/attempts/1/review")
    expect(page.locator(".review-summary")).to_have_text(
        words("Questions answered: %(answered)s of %(total)s.", answered=0, total=2)
    )
    check_accessibility(page, "review-page")


def test_without_javascript_the_review_is_a_page(
    new_page: Callable[..., Page], live_server: LiveServer
) -> None:
    server, words = live_server, Words(live_server.app, "fr")
    quiz = server.catalog().courses[COURSE].quizzes["final"]
    page = new_page(locale="fr-CA", javascript=False)
    _start(page, server, words, "sans-script@example.org")
    answer_quiz(page, quiz, "fr", words, correct=True)

    page.get_by_role("button", name=words("Submit my answers")).click()

    expect(page).to_have_url(f"{server.url}{QUIZ}/attempts/1/review")
    expect(page.locator(".review-summary")).to_have_text(
        words("Questions answered: %(answered)s of %(total)s.", answered=2, total=2)
    )
    page.get_by_role("button", name=words("Submit for grading")).click()
    expect(page.locator(".quiz-score .verdict")).to_have_text(words("Passed"))


def test_switching_language_mid_attempt_keeps_the_answers(
    new_page: Callable[..., Page], live_server: LiveServer
) -> None:
    server, french, english = (
        live_server,
        Words(live_server.app, "fr"),
        Words(live_server.app, "en"),
    )
    page = new_page(locale="fr-CA")
    _start(page, server, french, "bilingue@example.org")
    page.get_by_label("Dès le départ", exact=True).check()

    page.get_by_role("button", name="English").click()

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{server.url}{QUIZ}/attempts/1")
    expect(page.get_by_label("From the start", exact=True)).to_be_checked()
    check_accessibility(page, "attempt-after-language-switch")
    expect(page.get_by_role("button", name=english("Submit my answers"))).to_be_visible()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_out_of_attempts_pages_offer_a_next_step_and_staff_open_the_way_back(
    new_page: Callable[..., Page], serve: Serve, language: str
) -> None:
    server = serve(contact_email="formation@parcours.example.org")
    words = Words(server.app, language)
    quiz = server.catalog().courses[COURSE].quizzes["final"]
    assert quiz.max_attempts is not None
    page = new_page(locale=LOCALES[language])
    learner = f"stuck-{language}@example.org"
    _start(page, server, words, learner)
    for attempt in range(1, quiz.max_attempts + 1):
        if attempt > 1:
            page.get_by_role("button", name=words("Try again")).click()
        answer_quiz(page, quiz, language, words, correct=False)
        page.get_by_role("button", name=words("Submit my answers")).click()
        page.get_by_role("button", name=words("Submit for grading")).click()
        expect(page.locator(".quiz-score .verdict")).to_have_text(words("Not passed"))

    help_link = page.get_by_role("link", name="formation@parcours.example.org")
    expect(help_link).to_have_attribute("href", "mailto:formation@parcours.example.org")
    check_accessibility(page, f"out-of-attempts-result-{language}")
    for path, name in (
        (QUIZ, "quiz"),
        (f"/courses/{COURSE}", "course"),
        ("/dashboard", "dashboard"),
    ):
        page.goto(f"{server.url}{path}")
        expect(page.get_by_role("link", name="formation@parcours.example.org")).to_be_visible()
        check_accessibility(page, f"out-of-attempts-{name}-{language}")

    # Staff find the learner blocked on their record and grant one more attempt.
    staff_email = f"staff-{language}@example.org"
    with server.app.app_context():
        session = get_session()
        accounts.create_user(
            session, staff_email, PASSWORD, Role.STAFF, language, email_confirmed=True
        )
        found = account_queries.find_user_by_email(session, learner)
        assert found is not None
        learner_id = found.id
        session.commit()
    staff = new_page(locale=LOCALES[language])
    sign_in(staff, server, words, staff_email)
    staff.goto(f"{server.url}/staff/learners/{learner_id}")
    blocked = staff.get_by_role("region", name=words("Blocked: attempts used up"))
    expect(blocked).to_be_visible()
    check_accessibility(staff, f"learner-record-blocked-{language}")
    blocked.get_by_label(words("Reason")).fill("Demande reçue par courriel")
    blocked.get_by_role("button", name=words("Grant the attempts")).click()
    expect(staff.locator(".flash-success")).to_be_visible()
    expect(staff.get_by_role("region", name=words("Blocked: attempts used up"))).to_have_count(0)

    # The learner's way back in: the quiz opens again, and a pass completes it.
    page.goto(f"{server.url}{QUIZ}")
    page.get_by_role("button", name=words("Start a new attempt")).click()
    answer_quiz(page, quiz, language, words, correct=True)
    page.get_by_role("button", name=words("Submit my answers")).click()
    page.get_by_role("button", name=words("Submit for grading")).click()
    expect(page.locator(".quiz-score .verdict")).to_have_text(words("Passed"))
    check_accessibility(page, f"passed-after-grant-{language}")
