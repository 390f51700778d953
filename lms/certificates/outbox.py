"""Mails that leave once the transaction that wrote their cause commits, and never otherwise.

A certificate is issued deep inside a learner's request (a lesson completed, a quiz passed),
whose view commits, and may run the whole request again when it lost a race: the mail
cannot be sent where the certificate is made. It waits here, tied to the session's
transaction, until the outermost transaction commits; a rollback of that transaction, or of
the savepoint the mail was queued in, drops it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

from lms.mail import Mail, send_mail_soon

_KEY = "lms.certificates.outbox"


@dataclass(frozen=True)
class _Queued:
    mail: Mail
    transaction: SessionTransaction
    """The innermost transaction when queued: the mail goes if it, and its parents, commit."""


def send_after_commit(session: Session, mail: Mail) -> None:
    """Send ``mail`` (from a thread) once ``session``'s transaction commits."""
    transaction = session.get_nested_transaction() or session.get_transaction()
    if transaction is None:
        raise RuntimeError("send_after_commit needs a transaction in progress")
    _queue(session).append(_Queued(mail, transaction))


def pending(session: Session) -> list[Mail]:
    """The mails waiting for ``session`` to commit."""
    return [queued.mail for queued in _queue(session)]


def _queue(session: Session) -> list[_Queued]:
    queue: list[_Queued] = session.info.setdefault(_KEY, [])
    return queue


def _after_commit(session: Session) -> None:
    # Also called when a savepoint is released: only the outermost commit makes it final.
    if session.in_nested_transaction():
        return
    mails = [queued.mail for queued in session.info.pop(_KEY, [])]
    if mails:
        send_mail_soon(mails)


def _after_soft_rollback(session: Session, previous: SessionTransaction) -> None:
    queue = session.info.get(_KEY)
    if queue:
        queue[:] = [q for q in queue if not _within(q.transaction, previous)]


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    # The outermost transaction is over (committed and sent, rolled back, or the session
    # closed without either): nothing may wait for a later one.
    if transaction.parent is None:
        session.info.pop(_KEY, None)


def _within(transaction: SessionTransaction | None, ancestor: SessionTransaction) -> bool:
    while transaction is not None:
        if transaction is ancestor:
            return True
        transaction = transaction.parent
    return False


def init_sessions(sessions: sessionmaker[Session]) -> None:
    """Watch the transactions of the sessions ``sessions`` makes."""
    if event.contains(sessions, "after_commit", _after_commit):
        return
    event.listen(sessions, "after_commit", _after_commit)
    event.listen(sessions, "after_soft_rollback", _after_soft_rollback)
    event.listen(sessions, "after_transaction_end", _after_transaction_end)
