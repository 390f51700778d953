"""Mail leaves as soon as the transaction that queued it commits, and the outbox keeps it if not.

The mails a commit made durable are sent from a thread, so that a response does not wait
for SMTP (nor tells, by its time, whether a mail was queued: a reset asked for an unknown
address queues nothing); a command that reports what it sent waits for it
(``wait_for_mail``, then ``lms.outbox.queries.count_sent``). Whatever is not sent then (a
crash, a server down) is sent by ``lms mail send`` or ``lms worker``.
"""

from __future__ import annotations

import logging
import threading

from flask import Flask
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from lms.config import Settings
from lms.db import database
from lms.outbox.delivery import BATCH, drain
from lms.outbox.services import QUEUED_KEY

logger = logging.getLogger(__name__)

_pending: set[threading.Thread] = set()
_pending_lock = threading.Lock()


def send_soon(sessions: sessionmaker[Session], settings: Settings, ids: list[int]) -> None:
    """Send the mails ``ids`` from a thread. Not a daemon: a stopping worker still sends them
    (and if it is killed first, they wait in the outbox)."""
    thread = threading.Thread(
        target=_drain_in_background, args=(sessions, settings, ids), name="lms-mail"
    )
    with _pending_lock:
        _pending.add(thread)
    thread.start()


def wait_for_mail(timeout: float | None = None) -> None:
    """Wait until the mails given to ``send_soon`` are sent (or failed); for commands, tests."""
    with _pending_lock:
        threads = list(_pending)
    for thread in threads:
        thread.join(timeout)


def _drain_in_background(
    sessions: sessionmaker[Session], settings: Settings, ids: list[int]
) -> None:
    try:
        # A drain takes at most a batch: a roster's thousands of invitations take several.
        for start in range(0, len(ids), BATCH):
            drain(sessions, settings, ids=ids[start : start + BATCH])
    except Exception:
        # Nobody is left to raise to in this thread; the mails wait for the next drain.
        logger.exception("Unexpected failure while sending %d mail(s)", len(ids))
    finally:
        with _pending_lock:
            _pending.discard(threading.current_thread())


def init_app(app: Flask, settings: Settings) -> None:
    """Send, after each commit of the app's sessions, the mails that commit queued."""
    sessions = database(app).sessions

    def after_commit(session: Session) -> None:
        # Also called when a savepoint is released: only the outermost commit makes it final.
        if session.in_nested_transaction():
            return
        ids: list[int] = session.info.pop(QUEUED_KEY, [])
        if not ids:
            return
        send_soon(sessions, settings, ids)

    def after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
        # Rolled back (or closed uncommitted): those rows are gone, and their ids with them.
        if transaction.parent is None:
            session.info.pop(QUEUED_KEY, None)

    event.listen(sessions, "after_commit", after_commit)
    event.listen(sessions, "after_transaction_end", after_transaction_end)
