"""Live sessions: webinars and workshops, registration and waiting lists, calendars,
reminders, attendance, and the sessions certificates require."""
