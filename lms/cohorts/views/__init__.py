"""Staff's cohort pages, one blueprint over four modules: the cohorts themselves (list, making
and changing them, dashboard, exports), roster imports, their members, and reminders; and a
member's program on their own dashboard."""

from __future__ import annotations

from lms.cohorts.views import cohorts, imports, members, reminders
from lms.cohorts.views.blueprint import blueprint
from lms.cohorts.views.program import program_panel

__all__ = ["blueprint", "cohorts", "imports", "members", "program_panel", "reminders"]
