"""Panels that features layered above learning add to learning's and quizzes' pages.

Learning and quizzes cannot import those features (certificates), so the app factory hands
their panels over in explicit lists (``lms.create_app``): a reader of either side finds the
other. Two places take panels: the learner's dashboard, and what a learner who completed a
course is told of it (the course's page, the result of the quiz that completed it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from flask import Flask, current_app
from markupsafe import Markup

if TYPE_CHECKING:
    from lms.accounts.models import User

DashboardPanel = Callable[["User"], Markup]
"""A feature's section of the dashboard for a learner, as HTML."""

CompletedCoursePanel = Callable[["User", str], Markup]
"""A feature's word to a learner who completed the course (its id), as HTML: e.g. their
certificate, or what it still requires."""

DASHBOARD_KEY = "lms.dashboard_panels"
COMPLETED_COURSE_KEY = "lms.completed_course_panels"


def init_app(
    app: Flask,
    dashboard: Sequence[DashboardPanel],
    completed_course: Sequence[CompletedCoursePanel],
) -> None:
    app.extensions[DASHBOARD_KEY] = tuple(dashboard)
    app.extensions[COMPLETED_COURSE_KEY] = tuple(completed_course)


def dashboard_panels(user: User) -> list[Markup]:
    """Each feature's panel for ``user``, in the order the app factory lists them."""
    panels: tuple[DashboardPanel, ...] = current_app.extensions[DASHBOARD_KEY]
    return [panel(user) for panel in panels]


def completed_course_panels(user: User, course_id: str) -> list[Markup]:
    """Each feature's word to ``user``, who completed ``course_id``, in the factory's order."""
    panels: tuple[CompletedCoursePanel, ...] = current_app.extensions[COMPLETED_COURSE_KEY]
    return [panel(user, course_id) for panel in panels]
