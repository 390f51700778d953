"""Authors' quiz item analysis: which questions learners miss, over a chosen period."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from lms.catalog import current_catalog
from lms.content import ItemKind
from lms.db import get_session
from lms.quizzes import services as quizzes
from lms.staff import reporting
from lms.staff.access import STAFF_ROLES, restrict
from lms.staff.forms import PeriodForm
from lms.staff.periods import Period

blueprint = Blueprint(
    "staff_quizzes", __name__, url_prefix="/staff/quizzes", template_folder="templates"
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
    return render_template("staff/quizzes.html", courses=[c for c in courses if c[1]])


@blueprint.get("/<course_id>/<item>")
def analysis(course_id: str, item: str) -> ResponseReturnValue:
    ref = quizzes.find_quiz(current_catalog(), course_id, item)
    form = PeriodForm(request.args)
    valid = form.validate()
    period = Period(form.start.data, form.end.data)
    stats = reporting.quiz_analysis(get_session(), ref, period) if valid else []
    page = render_template("staff/quiz_analysis.html", ref=ref, stats=stats, form=form)
    return page, 200 if valid else 400
