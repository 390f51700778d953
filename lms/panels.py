"""The learner's dashboard is learning's page, with panels the features above it add.

Learning cannot import those features (they are layered above it), so the app factory
hands it their panels in one explicit list (``lms.create_app``): a reader of either side
finds the other.
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

EXTENSION_KEY = "lms.dashboard_panels"


def init_app(app: Flask, panels: Sequence[DashboardPanel]) -> None:
    app.extensions[EXTENSION_KEY] = tuple(panels)


def dashboard_panels(user: User) -> list[Markup]:
    """Each feature's panel for ``user``, in the order the app factory lists them."""
    panels: tuple[DashboardPanel, ...] = current_app.extensions[EXTENSION_KEY]
    return [panel(user) for panel in panels]
