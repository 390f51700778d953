"""Quiz pages: start or resume an attempt, save or submit it, see the result."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy.orm import Session
from werkzeug.routing import BaseConverter

from lms.accounts.access import signed_in_user
from lms.accounts.services import set_language
from lms.catalog import current_catalog
from lms.db import get_session, run_in_transaction
from lms.i18n import current_language, remember_language, switch_requested
from lms.learning import pages
from lms.learning import services as learning
from lms.panels import completed_course_panels
from lms.quizzes import services

blueprint = Blueprint("quizzes", __name__, template_folder="../templates")

MAX_ATTEMPT_NUMBER = 2**31 - 1
"""A bigger number in a URL would overflow the database's integer, not find an attempt."""


class QuizKeyConverter(BaseConverter):
    """A quiz's outline key (``final.quiz``). Lessons' keys never end so: those are learning's."""

    regex = r"[A-Za-z0-9_-]+\.quiz"


@blueprint.record_once
def _register_converter(state: BlueprintSetupState) -> None:
    # Runs before the routes below are added, which need the converter to exist.
    state.app.url_map.converters["quiz"] = QuizKeyConverter


ATTEMPT_URL = (
    f"/courses/<course_id>/<quiz:item>/attempts/<int(min=1, max={MAX_ATTEMPT_NUMBER}):number>"
)


@blueprint.get("/courses/<course_id>/<quiz:item>")
@login_required
def quiz(course_id: str, item: str) -> ResponseReturnValue:
    ref = services.find_quiz(current_catalog(), course_id, item)
    # Opening the quiz records the learner's place: a write, from a page.
    overview = run_in_transaction(
        lambda session: services.open_quiz(session, signed_in_user(), ref)
    )
    return render_template("quizzes/quiz.html", **_page(ref), overview=overview)


@blueprint.post("/courses/<course_id>/<quiz:item>/attempts")
@login_required
def start(course_id: str, item: str) -> ResponseReturnValue:
    """Start an attempt, or resume the unfinished one: a second click never makes two."""
    ref = services.find_quiz(current_catalog(), course_id, item)
    number = run_in_transaction(
        lambda session: services.start_attempt(session, signed_in_user(), ref).number
    )
    return redirect(_attempt_url(ref, number), 303)


@blueprint.get(ATTEMPT_URL)
@login_required
def attempt(course_id: str, item: str, number: int) -> ResponseReturnValue:
    ref = services.find_quiz(current_catalog(), course_id, item)
    page = services.attempt_page(get_session(), signed_in_user(), ref, number, current_language())
    if isinstance(page, services.AttemptForm):
        return render_template("quizzes/attempt.html", **_page(ref), attempt=page)
    standing, completed_at = learning.course_standing(get_session(), signed_in_user(), ref.course)
    return render_template(
        "quizzes/result.html",
        **_page(ref),
        result=page,
        next_item=standing.item(standing.next_item),
        # After the pass that completed the course: its certificate, or what that still needs.
        panels=(
            completed_course_panels(signed_in_user(), ref.course.id)
            if page.passed and completed_at is not None
            else []
        ),
    )


@blueprint.get(f"{ATTEMPT_URL}/review")
@login_required
def review(course_id: str, item: str, number: int) -> ResponseReturnValue:
    """Before grading: which questions are answered, which are not; "Submit" or "Go back"."""
    ref = services.find_quiz(current_catalog(), course_id, item)
    page = services.attempt_page(get_session(), signed_in_user(), ref, number, current_language())
    if isinstance(page, services.AttemptResult):
        return redirect(_attempt_url(ref, number), 303)  # submitted since: its result
    return render_template("quizzes/review.html", **_page(ref), attempt=page)


@blueprint.post(ATTEMPT_URL)
@login_required
def submit(course_id: str, item: str, number: int) -> ResponseReturnValue:
    """Save the attempt's answers (to finish later, to review them, or before showing the
    page in another language), or, once the learner confirmed, submit them to be graded."""
    ref = services.find_quiz(current_catalog(), course_id, item)
    form = {key: request.form.getlist(key) for key in request.form}
    action = request.form.get("action")
    # Only the buttons under the summary (the review page, or the same dialog on the attempt's
    # page) send "grade": any other submission is saved and shows that summary first.
    if action != "grade":
        return _save(ref, number, form, action)
    try:
        submission = run_in_transaction(
            lambda s: services.submit_attempt(s, signed_in_user(), ref, number, form)
        )
    except services.AttemptAlreadySubmitted as error:
        flash(str(error.message), "error")
        return redirect(_attempt_url(ref, number), 303)
    if submission.course_completed:
        flash(_("Congratulations: you passed this quiz and completed the course!"), "success")
    elif submission.grade.passed:
        flash(_("You passed this quiz."), "success")
    else:
        flash(_("Your answers are submitted and graded."), "info")
    return redirect(_attempt_url(ref, number), 303)


def _save(
    ref: services.QuizRef, number: int, form: services.FormValues, action: str | None
) -> ResponseReturnValue:
    language = switch_requested()

    def save(session: Session) -> None:
        user = signed_in_user()
        services.save_answers(session, user, ref, number, form)
        if language is not None:
            set_language(user, language)

    try:
        run_in_transaction(save)
    except services.AttemptAlreadySubmitted as error:
        flash(str(error.message), "error")
        return redirect(_attempt_url(ref, number), 303)
    if language is not None:
        return remember_language(redirect(_attempt_url(ref, number), 303), language)
    if action == "save":
        flash(_("Your answers are saved. Come back to this attempt whenever you like."))
        return redirect(url_for(".quiz", course_id=ref.course.id, item=ref.item.key), 303)
    return redirect(
        url_for(".review", course_id=ref.course.id, item=ref.item.key, number=number), 303
    )


def _page(ref: services.QuizRef) -> dict[str, object]:
    """What every quiz page shows around its content: the course, the quiz, their language."""
    language = current_language()
    shown = ref.course.language_for(language)
    return {
        "ref": ref,
        "course": pages.catalog_entry(current_catalog(), ref.course, language),
        "quiz_title": ref.quiz.title.get(shown, ref.course.default_language),
        "content_language": shown,
    }


def _attempt_url(ref: services.QuizRef, number: int) -> str:
    return url_for(".attempt", course_id=ref.course.id, item=ref.item.key, number=number)
