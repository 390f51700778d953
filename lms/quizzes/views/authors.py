"""Authors' quiz item analysis: which questions learners miss, over a chosen period."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from lms.accounts.access import STAFF_ROLES, restrict
from lms.catalog import current_catalog
from lms.config import current_settings
from lms.content import ItemKind
from lms.db import get_session
from lms.forms import PeriodForm
from lms.periods import Period
from lms.quizzes import item_analysis, services

blueprint = Blueprint(
    "quiz_analysis", __name__, url_prefix="/staff/quizzes", template_folder="../templates"
)
restrict(blueprint, STAFF_ROLES)


@blueprint.get("/")
def index() -> ResponseReturnValue:
    """Every quiz of the catalogue, by course."""
    catalog = current_catalog()
    courses = [
        (course, [item for item in course.items() if item.kind is ItemKind.QUIZ])
        for course in catalog.courses.values()
    ]
    return render_template("quizzes/analysis_index.html", courses=[c for c in courses if c[1]])


@blueprint.get("/<course_id>/<item>")
def analysis(course_id: str, item: str) -> ResponseReturnValue:
    ref = services.find_quiz(current_catalog(), course_id, item)
    form = PeriodForm(request.args)
    valid = form.validate()
    period = Period(form.start.data, form.end.data)
    stats = (
        services.item_statistics(get_session(), ref, period, current_settings().zone)
        if valid
        else []
    )
    objectives = {o.id: o.text for lesson in ref.course.lessons.values() for o in lesson.objectives}
    groups = (
        item_analysis.by_objective(stats, {q.id: q.objective for q in ref.quiz.questions})
        if objectives
        else []
    )
    page = render_template(
        "quizzes/analysis.html",
        ref=ref,
        stats=stats,
        form=form,
        by_objective=groups,
        objectives=objectives,
    )
    return page, 200 if valid else 400
