"""Cohorts: groups followed together, their rosters, dashboard, chart, exports and reminders."""
