"""A learner's whole journey in the browser, in French and in English, every page checked by axe.

Sign up (a mistake first), confirm from the mail a real SMTP server received, sign in, open a
course, read and complete each lesson, fail the quiz, pass it, see the course complete and the
certificate ready, download it, open the verification page its QR code leads to, copy its
link, and read back the credential baked in its badge.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet
from PIL import Image
from playwright.sync_api import Locator, Page, expect
from pypdf import PdfReader

from lms.accounts.categories import Affiliation, FrqSector, ResearchRole
from lms.accounts.forms import AFFILIATION_LABELS, FRQ_SECTOR_LABELS, RESEARCH_ROLE_LABELS
from lms.content import ItemKind
from lms.i18n import LANGUAGE_NAMES
from tests.support.smtp import Mailbox, links_in

from .conftest import Serve
from .helpers import LOCALES, PASSWORD, LiveServer, Words, answer_quiz, check_accessibility

COURSE_ID = "partnership-essentials"
"""The minimal fixture course: two lessons and a two-question quiz, in French and English."""


class Journey:
    """One learner's browser tab; ``check`` runs axe and numbers the screenshots in order."""

    def __init__(self, page: Page, server: LiveServer, language: str) -> None:
        self.page = page
        self.server = server
        self.language = language
        self.words = Words(server.app, language)
        self.steps = 0

    def check(self, name: str) -> None:
        expect(self.page.locator("html")).to_have_attribute("lang", self.language)
        self.steps += 1
        check_accessibility(self.page, f"journey-{self.language}-{self.steps:02d}-{name}")

    def button(self, name: str) -> None:
        self.page.get_by_role("button", name=self.words(name), exact=True).click()

    def group(self, legend: object) -> Locator:
        # A fieldset's accessible name is its legend: finding it so proves the grouping.
        return self.page.get_by_role("group", name=self.words(legend))

    def flash(self, message: str, **values: object) -> None:
        expect(self.page.locator(".flashes")).to_contain_text(self.words(message, **values))


def qr_code_of(pdf: Path, folder: Path) -> str:
    """What the QR code printed on the PDF's page says, read from the page as an image."""
    image = folder / "page"
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", pdf, image], check=True)
    decoded = subprocess.run(
        ["zbarimg", "--raw", "-q", image.with_suffix(".png")],
        capture_output=True,
        text=True,
        check=True,
    )
    return decoded.stdout.strip()


@pytest.mark.parametrize("language", ["fr", "en"])
def test_learner_journey(
    serve: Serve,
    mailbox: Mailbox,
    new_page: Callable[..., Page],
    language: str,
    tmp_path: Path,
) -> None:
    server = serve(**mailbox.settings)
    catalog = server.catalog()
    course = catalog.courses[COURSE_ID]
    journey = Journey(new_page(locale=LOCALES[language]), server, language)
    page, t = journey.page, journey.words
    email = f"learner-{language}@example.org"

    # Sign up: a first try with mistakes shows the errors, then the whole form.
    page.goto(f"{server.url}/accounts/sign-up")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Create an account"))
    journey.check("sign-up")
    page.get_by_label(t("Email address")).fill("not an address")
    page.get_by_label(t("Password"), exact=True).fill(PASSWORD)
    page.get_by_label(t("Password, again")).fill("another password entirely")
    journey.button("Create my account")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text(t("Enter an email address such as name@example.org."))
    expect(summary).to_contain_text(t("The two passwords are not the same."))
    expect(summary).to_contain_text(t("You must agree to the privacy notice to create an account."))
    journey.check("sign-up-errors")

    page.get_by_label(t("Email address")).fill(email)
    page.get_by_label(t("Password"), exact=True).fill(PASSWORD)
    page.get_by_label(t("Password, again")).fill(PASSWORD)
    page.get_by_label(t("Your name as it should appear on certificates")).fill("Léa Tremblay-Côté")
    # The browser's language is chosen already.
    expect(
        journey.group("Preferred language").get_by_label(LANGUAGE_NAMES[language])
    ).to_be_checked()
    roles = journey.group("Your role(s) in research with and for patients")
    roles.get_by_label(t(RESEARCH_ROLE_LABELS[ResearchRole.PATIENT])).check()
    roles.get_by_label(t(RESEARCH_ROLE_LABELS[ResearchRole.TRAINEE])).check()
    journey.group("Your affiliation").get_by_label(
        t(AFFILIATION_LABELS[Affiliation.OTHER]), exact=True
    ).check()
    page.get_by_label(t("If other, which one?")).fill("Comité des usagers")
    journey.group(
        "Do you hold a fellowship from the Fonds de recherche du Québec (FRQ)?"
    ).get_by_label(t("Yes"), exact=True).check()
    page.get_by_label(t("Sector of your FRQ fellowship")).select_option(
        label=t(FRQ_SECTOR_LABELS[FrqSector.HEALTH])
    )
    page.get_by_label(
        t("I have read the privacy notice and I agree that my information is used as it says.")
    ).check()
    journey.button("Create my account")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Check your email"))
    journey.check("check-email")

    # Confirm: the link of the mail the SMTP server received, opened in the browser.
    mail = mailbox.last(email)
    assert mail["Subject"] == t("Confirm your email address for Parcours")
    link = next(link for link in links_in(mail) if "/accounts/confirm/" in link)
    assert link.startswith(server.url)
    page.goto(link)
    journey.flash("Thank you: your email address is confirmed.")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Sign in"))
    journey.check("confirmed")

    # Sign in: the dashboard follows, which leads a newcomer to the catalogue.
    page.get_by_label(t("Email address")).fill(email)
    page.get_by_label(t("Password"), exact=True).fill(PASSWORD)
    journey.button("Sign in")
    journey.flash("You are signed in.")
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Dashboard"))
    journey.check("dashboard-empty")
    page.get_by_role("link", name=t("Choose a course")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Courses"))
    journey.check("catalogue")

    page.get_by_role("link", name=course.title.get(language)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(course.title.get(language))
    journey.check("course")
    page.get_by_role("link", name=t("Start the course")).click()

    # Each lesson, read and marked complete; the last one leads to the quiz.
    lessons = [item for item in course.items() if item.kind is ItemKind.LESSON]
    for number, item in enumerate(lessons, start=1):
        lesson = course.lessons[item.stem]
        expect(page.get_by_role("heading", level=1)).to_have_text(lesson.title.get(language))
        journey.check(f"lesson-{item.key}")
        journey.button("Mark as complete and continue")
        journey.flash("Lesson marked as complete.")
        done = t("(%(done)s of %(total)s steps done)", done=number, total=len(list(course.items())))
        if number < len(lessons):
            expect(page.locator(".progress-detail")).to_have_text(done)

    quiz_item = next(item for item in course.items() if item.kind is ItemKind.QUIZ)
    quiz = course.quizzes[quiz_item.stem]
    expect(page.get_by_role("heading", level=1)).to_have_text(quiz.title.get(language))
    journey.check("quiz")

    # A first attempt, all wrong: not passed, with the score and the attempts left.
    journey.button("Start the quiz")
    journey.check("attempt-1")
    answer_quiz(page, quiz, language, t, correct=False)
    journey.button("Submit my answers")
    review = page.get_by_role("dialog", name=t("Submit your answers?"))
    total = len(quiz.questions)
    expect(review).to_contain_text(
        t("Questions answered: %(answered)s of %(total)s.", answered=total, total=total)
    )
    journey.check("review-dialog")
    review.get_by_role("button", name=t("Submit for grading")).click()
    journey.flash("Your answers are submitted and graded.")
    score = page.locator(".quiz-score")
    expect(score.locator(".verdict")).to_have_text(t("Not passed"))
    expect(score).to_contain_text(t("%(score)s / %(max)s", score=0, max=total))
    assert quiz.max_attempts is not None
    expect(score).to_contain_text(t.plural("%(num)s left", "%(num)s left", quiz.max_attempts - 1))
    journey.check("result-failed")

    # Again, all right: passed, and the course is complete.
    journey.button("Try again")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        t("%(quiz)s: attempt %(number)s", quiz=quiz.title.get(language), number=2)
    )
    journey.check("attempt-2")
    answer_quiz(page, quiz, language, t, correct=True)
    journey.button("Submit my answers")
    review.get_by_role("button", name=t("Submit for grading")).click()
    journey.flash("Congratulations: you passed this quiz and completed the course!")
    expect(score.locator(".verdict")).to_have_text(t("Passed"))
    expect(score).to_contain_text(t("%(score)s / %(max)s", score=total, max=total))
    journey.check("result-passed")

    breadcrumbs = page.get_by_role("navigation", name=t("Breadcrumb"))
    breadcrumbs.get_by_role("link", name=course.title.get(language)).click()
    completed_on = t("You completed this course on %(date)s.", date="\0").split("\0")[0]
    expect(page.locator(".course-status.state-done")).to_contain_text(completed_on)
    expect(page.locator(".progress-value")).to_have_text(re.compile(r"^100\s?%$"))
    journey.check("course-complete")

    # The certificate just issued: ready, downloaded, verified where its QR code leads,
    # its link copied, its baked badge read back and checked against the published keys.
    ready = page.get_by_role("region", name=t("Your certificate is ready"))
    ready.get_by_role("link", name=t("See and download my certificate")).click()
    journey.check("certificates")
    (definition,) = (d for d in catalog.certificates.values() if COURSE_ID in d.requires)
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name=re.compile(r"PDF")).first.click()
    pdf_path = pdf_download.value.path()
    assert "Léa Tremblay-Côté" in " ".join(PdfReader(pdf_path).pages[0].extract_text().split())
    qr_url = qr_code_of(pdf_path, tmp_path)
    assert qr_url.startswith(f"{server.url}/verify/")
    code = qr_url.rsplit("/", 1)[1]

    with page.expect_download() as badge_download:
        page.get_by_role("link", name=t("Download the Open Badge (image)")).click()
    with Image.open(badge_download.value.path()) as image:
        token = image.text["openbadgecredential"]
    keys = KeySet.import_key_set(page.request.get(f"{server.url}/.well-known/jwks.json").json())
    claims = jwt.decode(token, keys.keys[0], algorithms=["RS256"]).claims
    assert claims["jti"] == qr_url
    assert claims["credentialSubject"]["achievement"]["name"] == definition.title.get(language)

    response = page.goto(qr_url)  # what a phone opens from the QR code
    assert response is not None
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    expect(page.locator("body")).to_contain_text(code)
    journey.check("verification")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    journey.button("Copy the link")
    expect(page.get_by_role("status")).to_have_text(t("Link copied."))
    assert page.evaluate("navigator.clipboard.readText()") == qr_url
    page.goto(f"{server.url}/courses/{COURSE_ID}")

    site_nav = page.get_by_role("navigation", name=t("Main menu"))
    site_nav.get_by_role("link", name=t("Dashboard")).click()
    completed = page.get_by_role("region", name=t("Completed courses"))
    expect(completed.get_by_role("link", name=course.title.get(language))).to_be_visible()
    expect(page.get_by_role("region", name=t("Courses in progress"))).to_contain_text(
        t("You have no course in progress.")
    )
    journey.check("dashboard")

    site_nav.get_by_role("link", name=t("Profile")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("Your profile"))
    expect(page.locator(".account-facts")).to_contain_text(t("confirmed"))
    expect(page.get_by_label(t("If other, which one?"))).to_have_value("Comité des usagers")
    journey.check("profile")
