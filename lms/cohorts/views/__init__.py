"""Staff's cohort pages, one blueprint over three modules: the cohorts themselves (list, making
and changing them, dashboard, exports), their members, and reminders; and a member's program
on their own dashboard."""

from __future__ import annotations

from lms.cohorts.views import cohorts, members, reminders
from lms.cohorts.views.blueprint import blueprint
from lms.cohorts.views.program import program_panel

__all__ = ["blueprint", "cohorts", "members", "program_panel", "reminders"]
