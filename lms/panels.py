"""Panels that features layered above learning add to learning's and quizzes' pages.

Learning and quizzes cannot import those features (certificates), so the app factory hands
their panels over in explicit lists (``lms.create_app``): a reader of either side finds the
other. Panels go to the learner's dashboard (at its top, where their program shows, or at its
bottom, where their certificates do), to their profile (what a change there means for their
certificates), and to what a learner who completed a course is told of it (the course's page,
the result of the quiz that completed it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from flask import Flask, current_app, render_template
from markupsafe import Markup

if TYPE_CHECKING:
    from lms.accounts.models import User

DashboardPanel = Callable[["User"], Markup]
"""A feature's section of a learner's page (their dashboard, their profile), as HTML."""

CompletedCoursePanel = Callable[["User", str], Markup]
"""A feature's word to a learner who completed the course (its id), as HTML: e.g. their
certificate, or what it still requires."""

DASHBOARD_TOP_KEY = "lms.dashboard_top_panels"
DASHBOARD_BOTTOM_KEY = "lms.dashboard_bottom_panels"
COMPLETED_COURSE_KEY = "lms.completed_course_panels"
PROFILE_KEY = "lms.profile_panels"


def init_app(
    app: Flask,
    *,
    dashboard_top: Sequence[DashboardPanel],
    dashboard_bottom: Sequence[DashboardPanel],
    completed_course: Sequence[CompletedCoursePanel],
    profile: Sequence[DashboardPanel],
) -> None:
    app.extensions[DASHBOARD_TOP_KEY] = tuple(dashboard_top)
    app.extensions[PROFILE_KEY] = tuple(profile)
    app.extensions[DASHBOARD_BOTTOM_KEY] = tuple(dashboard_bottom)
    app.extensions[COMPLETED_COURSE_KEY] = tuple(completed_course)


def dashboard_panels(user: User) -> tuple[list[Markup], list[Markup]]:
    """Each feature's panels for ``user``: those above the courses, then those below them,
    each in the order the app factory lists them."""
    top: tuple[DashboardPanel, ...] = current_app.extensions[DASHBOARD_TOP_KEY]
    bottom: tuple[DashboardPanel, ...] = current_app.extensions[DASHBOARD_BOTTOM_KEY]
    return [panel(user) for panel in top], [panel(user) for panel in bottom]


def profile_panels(user: User) -> list[Markup]:
    """Each feature's panel on ``user``'s profile page, in the factory's order."""
    panels: tuple[DashboardPanel, ...] = current_app.extensions[PROFILE_KEY]
    return [panel(user) for panel in panels]


def completed_course_panels(user: User, course_id: str) -> list[Markup]:
    """Each feature's word to ``user``, who completed ``course_id``, in the factory's order."""
    panels: tuple[CompletedCoursePanel, ...] = current_app.extensions[COMPLETED_COURSE_KEY]
    return [panel(user, course_id) for panel in panels]


def render_panel(template: str, **context: object) -> Markup:
    """A panel's HTML from its template, ready to insert into the page it joins."""
    # Safe: the template escapes every value it is given, as every page's template does.
    return Markup(render_template(template, **context))  # noqa: S704
