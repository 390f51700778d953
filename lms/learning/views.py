"""Learning's pages: catalogue, course outline, lessons and their files, the dashboard."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, send_from_directory, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.routing import BaseConverter

from lms.accounts.access import signed_in_user
from lms.catalog import current_catalog
from lms.content import ItemKind, OutlineItem
from lms.db import get_session, run_in_transaction
from lms.i18n import LANGUAGE_NAMES, current_language
from lms.learning import pages, progress, services
from lms.learning.forms import CompleteLessonForm
from lms.learning.progress import ItemProgress, ItemState
from lms.panels import completed_course_panels, dashboard_panels

blueprint = Blueprint("learning", __name__, template_folder="templates")

ASSET_MAX_AGE = 3600
"""Seconds a browser may reuse a lesson file unasked; short, since authors edit files in place
and their URLs do not change. After that the ETag makes a check cheap."""

SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
"""An SVG opened on its own is a document of this site: it may not run scripts."""


class LessonKeyConverter(BaseConverter):
    """A lesson's outline key. Never a quiz's (``final.quiz``): those URLs are the quizzes'."""

    regex = r"[A-Za-z0-9_-]+"


@blueprint.record_once
def _register_converter(state: BlueprintSetupState) -> None:
    # Runs before the routes below are added, which need the converter to exist.
    state.app.url_map.converters["lesson"] = LessonKeyConverter


@blueprint.app_context_processor
def _language_names() -> dict[str, object]:
    # App-wide, not just this blueprint's: the locked page also shows for the quizzes' views.
    return {"language_names": LANGUAGE_NAMES}


@blueprint.app_template_global()
def item_url(course_id: str, item: OutlineItem | ItemProgress | pages.ItemEntry) -> str:
    """The page of an outline item: the lesson's here, the quiz's in the quizzes blueprint."""
    if item.kind is ItemKind.QUIZ:
        return url_for("quizzes.quiz", course_id=course_id, item=item.key)
    return url_for("learning.lesson", course_id=course_id, item=item.key)


def locked_page(error: services.CourseLocked) -> ResponseReturnValue:
    """The page naming the courses to complete first, wherever an item of a locked course is
    asked (lessons, quizzes): listed in the app factory's error pages."""
    catalog, language = current_catalog(), current_language()
    course = pages.catalog_entry(catalog, error.course, language)
    missing = [link for link in course.prerequisites if link.course_id in error.missing]
    return render_template("errors/locked.html", course=course, missing=missing), 403


@blueprint.get("/")
def index() -> ResponseReturnValue:
    """The offer, to a visitor: the courses, for whom, the path, the program certificate. A
    signed-in learner has it all on their dashboard."""
    if current_user.is_authenticated:
        return redirect(url_for("learning.dashboard"))
    catalog, language = current_catalog(), current_language()
    return render_template(
        "learning/home.html",
        entries=pages.catalog_entries(catalog, language),
        programs=pages.program_offers(catalog, language),
    )


@blueprint.get("/courses")
def catalog() -> ResponseReturnValue:
    catalog = current_catalog()
    progress_map = (
        services.progress_by_course(get_session(), signed_in_user(), catalog)
        if current_user.is_authenticated
        else None
    )
    entries = pages.catalog_entries(catalog, current_language(), progress_map)
    return render_template("learning/catalog.html", entries=entries)


@blueprint.get("/courses/<course_id>")
def course(course_id: str) -> ResponseReturnValue:
    catalog, language = current_catalog(), current_language()
    course = services.find_course(catalog, course_id)
    learner_progress, completed_at = None, None
    if current_user.is_authenticated:
        learner_progress, completed_at = services.course_standing(
            get_session(), signed_in_user(), course
        )
    return render_template(
        "learning/course.html",
        course=pages.catalog_entry(catalog, course, language, learner_progress),
        sections=pages.outline(course, language, learner_progress),
        first_item=next(course.items()),  # the loader refuses a course with an empty outline
        completed_at=completed_at,
        panels=(
            completed_course_panels(signed_in_user(), course.id) if completed_at is not None else []
        ),
    )


@blueprint.get("/courses/<course_id>/<lesson:item>")
@login_required
def lesson(course_id: str, item: str) -> ResponseReturnValue:
    catalog, language = current_catalog(), current_language()
    course = services.find_course(catalog, course_id)
    # Opening the lesson records the learner's place: a write, from a page.
    learner_progress = run_in_transaction(
        lambda session: services.open_lesson(session, signed_in_user(), course, item)
    )
    page = pages.lesson_page(course, item, language, learner_progress)
    return render_template(
        "learning/lesson.html",
        course=pages.catalog_entry(catalog, course, language, learner_progress),
        page=page,
        # A lesson already completed has nothing to submit: no form (and no token) to make.
        form=CompleteLessonForm() if page.state is not ItemState.DONE else None,
    )


@blueprint.post("/courses/<course_id>/<lesson:item>/complete")
@login_required
def complete_lesson(course_id: str, item: str) -> ResponseReturnValue:
    if not CompleteLessonForm().validate_on_submit():
        abort(400)
    course = services.find_course(current_catalog(), course_id)
    course_completed = run_in_transaction(
        lambda session: services.complete_lesson(session, signed_in_user(), course, item)
    )
    if course_completed:
        flash(_("Congratulations: you have completed this course!"), "success")
        return redirect(url_for("learning.course", course_id=course.id))
    flash(_("Lesson marked as complete."), "success")
    _before, after = progress.adjacent_items(course, item)
    if after is None:
        return redirect(url_for("learning.course", course_id=course.id))
    return redirect(item_url(course.id, after))


@blueprint.get("/courses/<course_id>/assets/<path:path>")
def asset(course_id: str, path: str) -> ResponseReturnValue:
    course = services.find_course(current_catalog(), course_id)
    services.require_asset(course, path)
    response = send_from_directory(course.folder.resolve(), path, max_age=ASSET_MAX_AGE)
    response.headers["X-Content-Type-Options"] = "nosniff"
    if path.lower().endswith(".svg"):
        response.headers["Content-Security-Policy"] = SVG_POLICY
    return response


@blueprint.get("/dashboard")
@login_required
def dashboard() -> ResponseReturnValue:
    user = signed_in_user()
    board = services.dashboard(get_session(), user, current_catalog(), current_language())
    top, bottom = dashboard_panels(user)
    return render_template("learning/dashboard.html", board=board, top=top, bottom=bottom)
