"""Quiz pages: start or resume an attempt, save or submit it, see the result."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from typing import TypeVar

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from werkzeug.routing import BaseConverter

from lms.catalog import current_catalog
from lms.db import get_session
from lms.i18n import current_language
from lms.learning import pages
from lms.quizzes import services

blueprint = Blueprint("quizzes", __name__, template_folder="templates")

T = TypeVar("T")

WRITE_TRIES = 8
"""How often a write that lost a race is run: enough for the winner's few milliseconds."""
FIRST_PAUSE = 0.005
"""Seconds before the second try, doubled before each further one: 0.6 s in all at most."""
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
    session = get_session()
    overview = services.open_quiz(session, current_user, ref)
    session.commit()
    return render_template("quizzes/quiz.html", **_page(ref), overview=overview)


@blueprint.post("/courses/<course_id>/<quiz:item>/attempts")
@login_required
def start(course_id: str, item: str) -> ResponseReturnValue:
    """Start an attempt, or resume the unfinished one: a second click never makes two."""
    ref = services.find_quiz(current_catalog(), course_id, item)
    number = _commit(lambda session: services.start_attempt(session, current_user, ref).number)
    return redirect(_attempt_url(ref, number), 303)


@blueprint.get(ATTEMPT_URL)
@login_required
def attempt(course_id: str, item: str, number: int) -> ResponseReturnValue:
    ref = services.find_quiz(current_catalog(), course_id, item)
    page = services.attempt_page(get_session(), current_user, ref, number, current_language())
    if isinstance(page, services.AttemptForm):
        return render_template("quizzes/attempt.html", **_page(ref), attempt=page)
    return render_template("quizzes/result.html", **_page(ref), result=page)


@blueprint.post(ATTEMPT_URL)
@login_required
def submit(course_id: str, item: str, number: int) -> ResponseReturnValue:
    """Submit the attempt's answers to be graded, or save them to finish later."""
    ref = services.find_quiz(current_catalog(), course_id, item)
    form = {key: request.form.getlist(key) for key in request.form}
    try:
        if request.form.get("action") == "save":
            _commit(lambda s: services.save_answers(s, current_user, ref, number, form))
            flash(_("Your answers are saved. Come back to this attempt whenever you like."))
            return redirect(url_for(".quiz", course_id=ref.course.id, item=ref.item.key), 303)
        submission = _commit(lambda s: services.submit_attempt(s, current_user, ref, number, form))
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


def _commit(work: Callable[[Session], T]) -> T:
    """Run ``work`` and commit; run it again if a concurrent request wrote first.

    Two tabs can start or submit the same attempt at the same instant. SQLite then refuses
    the second writer ("database is locked") without waiting, as its snapshot predates the
    first one's write; PostgreSQL may report a serialization failure. Run again on a fresh
    snapshot once the first one has committed, the rules see its write: a start resumes the
    attempt it created, a second submission is refused as already submitted.
    """
    session = get_session()
    tries = 1
    while True:
        try:
            result = work(session)
            session.commit()
        except OperationalError as error:
            session.rollback()
            if tries >= WRITE_TRIES or not _lost_a_race(error):
                raise
            time.sleep(FIRST_PAUSE * 2 ** (tries - 1))
            tries += 1
        except BaseException:
            session.rollback()
            raise
        else:
            return result


_SQLITE_BUSY_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
_POSTGRESQL_RACE_STATES = frozenset({"40001", "40P01"})
"""Serialization failure and deadlock detected: "run the transaction again"."""


def _lost_a_race(error: OperationalError) -> bool:
    """Whether the database refused a write only because another transaction wrote first."""
    original = error.orig
    sqlite_code = getattr(original, "sqlite_errorcode", None)
    if isinstance(sqlite_code, int):
        # Extended codes (SQLITE_BUSY_SNAPSHOT) keep the primary code in their low byte.
        return sqlite_code & 0xFF in _SQLITE_BUSY_CODES
    state = getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)
    return state in _POSTGRESQL_RACE_STATES
