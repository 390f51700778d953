"""Live sessions' command: ``lms sessions remind``, the reminders' chore without ``lms worker``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from lms.db import get_session, utcnow
from lms.live import reminders

sessions = AppGroup("sessions", help="Live sessions: their reminders.")


@sessions.command("remind")
def remind() -> None:
    """Queue the reminders due now (the day and the hour before each session), each once,
    then stop; the outbox sends them. ``lms worker`` does it every five minutes; this is for
    cron, or for sending at once."""
    session = get_session()
    count = reminders.send_due_reminders(session, utcnow())
    session.commit()
    click.echo(f"{count} reminder(s) queued.")
