"""The outbox's commands: ``lms mail send`` (once, from cron) and ``lms worker`` (always)."""

from __future__ import annotations

import signal
import threading

import click
from flask.cli import AppGroup, with_appcontext

from lms.config import current_settings
from lms.db import database
from lms.outbox.delivery import BATCH, Counts, drain

WORKER_INTERVAL_SECONDS = 5.0
"""How often ``lms worker`` looks for due mail: each look is one indexed query."""

mail = AppGroup("mail", help="Send the mails waiting in the outbox.")


def _summary(counts: Counts) -> str:
    return f"{counts.sent} sent, {counts.retrying} to retry later, {counts.failed} failed."


@mail.command("send")
def mail_send() -> None:
    """Send every mail that is due (new, or whose retry time has come), then stop.

    Run it every minute (cron, a systemd timer), or run ``lms worker`` instead.
    """
    click.echo(_summary(_drain_all()))


def _drain_all() -> Counts:
    total = Counts()
    while True:
        counts = drain(database().sessions, current_settings())
        total += counts
        # Only a full batch may leave more behind it; one that sent nothing would loop.
        if counts.sent == 0 or counts.sent + counts.retrying + counts.failed < BATCH:
            return total


@click.command("worker")
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=WORKER_INTERVAL_SECONDS,
    show_default=True,
    help="Seconds between two looks at the outbox.",
)
@with_appcontext
def worker(interval: float) -> None:
    """Send mail as it becomes due, until stopped (SIGTERM or Ctrl-C)."""
    stopping = threading.Event()
    # SIGTERM (systemd, docker stop) ends the loop between two drains, never in the middle
    # of a mail's SMTP conversation, which would leave it "interrupted, may have been sent".
    signal.signal(signal.SIGTERM, lambda _signal, _frame: stopping.set())
    click.echo(f"Sending mail from the outbox every {interval:g} s; Ctrl-C to stop.")
    try:
        while not stopping.is_set():
            counts = _drain_all()
            if counts != Counts():
                click.echo(_summary(counts))
            stopping.wait(interval)
    except KeyboardInterrupt:
        pass
    click.echo("Stopped.")
