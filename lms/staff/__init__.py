"""Staff: cohorts, rosters, reports, exports, reminders, audit."""
