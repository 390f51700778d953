"""Mail leaves through the job queue once the transaction that queued it commits.

A commit that queued mail queues one run of the ``outbox.send`` chore (``lms.jobs``), which
``lms worker`` runs at once and every minute besides, for retries and for whatever a crash
or an unreachable queue left. So a response never waits for SMTP (nor tells, by its time,
whether a mail was queued), and nothing committed is lost: the outbox table keeps it until
it is sent. Under ``LMS_ENV=development`` or ``testing`` the chore runs in the process that
commits, as it commits. A command that reports what it sent sends it itself (``send_now``).
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from lms import jobs
from lms.config import Settings, current_settings
from lms.db import database
from lms.outbox.delivery import BATCH, Counts, drain
from lms.outbox.queries import count_sent
from lms.outbox.services import QUEUED_KEY

CHORE = "outbox.send"
EVERY_MINUTES = 1


def send_due(sessions: sessionmaker[Session], settings: Settings) -> Counts:
    """Send every mail that is due, a batch at a time, until none is left; what happened."""
    total = Counts()
    while True:
        counts = drain(sessions, settings)
        total += counts
        # Only a full batch may leave more behind it; one that sent nothing would loop.
        if counts.sent == 0 or counts.sent + counts.retrying + counts.failed < BATCH:
            return total


def send_now(session: Session, ids: list[int]) -> int:
    """Send the committed mails ``ids`` from this process; how many of them are sent."""
    sessions, settings = database().sessions, current_settings()
    for start in range(0, len(ids), BATCH):
        drain(sessions, settings, ids=ids[start : start + BATCH])
    return count_sent(session, ids)


def init_app(app: Flask, settings: Settings) -> None:
    """Register the chore, and queue a run of it after each commit that queued mail."""
    sessions = database(app).sessions
    jobs.register_chore(
        app, CHORE, lambda: send_due(sessions, settings), every_minutes=EVERY_MINUTES
    )

    def after_commit(session: Session) -> None:
        # Also called when a savepoint is released: only the outermost commit makes it final.
        if session.in_nested_transaction():
            return
        if session.info.pop(QUEUED_KEY, None):
            jobs.run_soon(CHORE, app)

    def after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
        # Rolled back (or closed uncommitted): those rows are gone, and their ids with them.
        if transaction.parent is None:
            session.info.pop(QUEUED_KEY, None)

    event.listen(sessions, "after_commit", after_commit)
    event.listen(sessions, "after_transaction_end", after_transaction_end)
