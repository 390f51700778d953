"""The outbox's command: ``lms mail send``, to send what is due now, without ``lms worker``."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from lms.config import current_settings
from lms.db import database
from lms.outbox.delivery import Counts
from lms.outbox.sending import send_due

mail = AppGroup("mail", help="Send the mails waiting in the outbox.")


def _summary(counts: Counts) -> str:
    return f"{counts.sent} sent, {counts.retrying} to retry later, {counts.failed} failed."


@mail.command("send")
def mail_send() -> None:
    """Send every mail that is due (new, or whose retry time has come), then stop.

    ``lms worker`` does it every minute; this is for sending at once, or from cron.
    """
    click.echo(_summary(send_due(database().sessions, current_settings())))
