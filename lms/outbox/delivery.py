"""Draining the outbox: claim each due mail, send it over SMTP, record what happened.

Each step commits on its own, in sessions of its own, so that a crash at any point leaves
a true record:

- Mails are *claimed* (``claimed_at``, committed), ``CLAIM_GROUP`` at a time, on an open
  SMTP connection just before their DATA, and marked *sent* once the server accepted them.
  A crash between the two leaves them claimed: they may have been delivered. We never send
  such a mail again on our own (a duplicated reset link or certificate mail is worse than
  staff seeing "interrupted, may have been delivered" and pressing "try again now"): after
  ``CLAIM_LEASE`` it counts as failed.
- A crash before the claim (between the commit and the send, even with the SMTP server
  stalled) loses nothing: the mail is still waiting, and the next drain sends it.
- Two drainers (web processes, ``lms worker``, ``lms mail send``) cannot both claim one mail:
  the claim reads ``claimed_at IS NULL`` rows ``FOR UPDATE SKIP LOCKED`` on PostgreSQL (a
  row another drainer is claiming at that instant is left to it), and holds the write lock
  on SQLite.
- A refused try counts an attempt and waits ``BASE_DELAY * 2**(attempts - 1)`` (at most
  ``MAX_DELAY``); after ``MAX_ATTEMPTS`` the mail is failed, shown to staff.

Logs say how many mails and what kind of error, never a recipient or a body: bodies hold
reset and invitation tokens.
"""

from __future__ import annotations

import logging
import smtplib
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from lms.config import Settings
from lms.db import rows_changed, utcnow
from lms.mail import Mail, build_message, log_unsent, smtp_connection
from lms.outbox.models import ERROR_LENGTH, QueuedMail

BASE_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(hours=6)
MAX_ATTEMPTS = 8
"""1 + 2 + 4 + ... + 64 minutes: a server down for about two hours still gets its mail."""
CLAIM_LEASE = timedelta(minutes=10)
"""Far longer than one message's SMTP conversation (``SMTP_TIMEOUT_SECONDS`` per step)."""
BATCH = 200
CLAIM_GROUP = 10
"""Mails claimed, then marked sent, together: a tenth of the commits of one at a time, and
at most this many "interrupted" mails when a drainer dies in the middle of a group."""
MARK_TRIES = 5
MARK_PAUSE = 0.5
"""Seconds before the second try at marking a mail sent, doubled each time after."""
KEEP_SENT = timedelta(days=30)
"""Sent mails are kept a month (for staff's questions), then deleted: they hold links."""

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Counts:
    """What one drain did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.sent + other.sent, self.retrying + other.retrying, self.failed + other.failed
        )


def backoff(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed try."""
    doubled: timedelta = BASE_DELAY * (2 ** max(attempts - 1, 0))
    return min(doubled, MAX_DELAY)


def drain(
    sessions: sessionmaker[Session],
    settings: Settings,
    *,
    ids: list[int] | None = None,
    now: datetime | None = None,
) -> Counts:
    """Send the due mails (only those of ``ids``, if given), up to ``BATCH``; what happened."""
    moment = now or utcnow()
    expired = 0
    if ids is None:
        # The housekeeping of scheduled drains: a request's own mails need none of it.
        _forget_old_sent(sessions, moment)
        expired = _fail_stale_claims(sessions, moment)
    due = _due_ids(sessions, moment, ids)
    if not due:
        return Counts(failed=expired)
    if not settings.mail_is_sent:
        return _log_instead(sessions, settings, due, moment) + Counts(failed=expired)
    try:
        with smtp_connection(settings) as smtp:
            counts = _send_each(sessions, settings, smtp, due, moment)
    except (smtplib.SMTPException, OSError) as error:
        # The server could not be reached, or dropped us: every mail not yet tried waits.
        counts = _record_failures(sessions, due, error, moment)
        logger.warning(
            "Could not reach the SMTP server (%s); %d mail(s) wait for a retry",
            type(error).__name__,
            len(due),
        )
    return counts + Counts(failed=expired)


def _due_ids(sessions: sessionmaker[Session], now: datetime, ids: list[int] | None) -> list[int]:
    query = (
        select(QueuedMail.id)
        .where(
            QueuedMail.sent_at.is_(None),
            QueuedMail.failed_at.is_(None),
            QueuedMail.claimed_at.is_(None),
            QueuedMail.next_attempt_at <= now,
        )
        .order_by(QueuedMail.id)
        .limit(BATCH)
    )
    if ids is not None:
        query = query.where(QueuedMail.id.in_(ids))
    with sessions() as session:
        return list(session.scalars(query))


@dataclass(frozen=True)
class _Claimed:
    id: int
    mail: Mail
    message_id: str


def _claim(sessions: sessionmaker[Session], ids: list[int], now: datetime) -> list[_Claimed]:
    """Take those of ``ids`` no other drainer has, in one committed transaction; their mails.

    On PostgreSQL, ``SKIP LOCKED`` passes over rows another drainer is claiming at this
    instant (it will have them); on SQLite this transaction holds the write lock.
    """
    with sessions() as session, session.begin():
        rows = list(
            session.scalars(
                select(QueuedMail)
                .where(
                    QueuedMail.id.in_(ids),
                    QueuedMail.claimed_at.is_(None),
                    QueuedMail.sent_at.is_(None),
                    QueuedMail.failed_at.is_(None),
                )
                .order_by(QueuedMail.id)
                .with_for_update(skip_locked=True)
            )
        )
        for row in rows:
            row.claimed_at = now
        return [
            _Claimed(
                row.id,
                Mail(
                    row.recipient,
                    row.subject,
                    row.text,
                    row.html,
                    row.language,
                    tuple((name, value) for name, value in row.headers or ()),
                ),
                f"parcours.{row.id}.{row.token}",
            )
            for row in rows
        ]


def _send_each(
    sessions: sessionmaker[Session],
    settings: Settings,
    smtp: smtplib.SMTP,
    due: list[int],
    now: datetime,
) -> Counts:
    counts = Counts()
    for start in range(0, len(due), CLAIM_GROUP):
        group = _claim(sessions, due[start : start + CLAIM_GROUP], now)
        sent: list[int] = []
        try:
            for claimed in group:
                counts += _send_one(sessions, settings, smtp, claimed, now, sent)
        except (smtplib.SMTPException, OSError) as error:
            # The connection broke: what it had not sent, and the rest, wait for a retry.
            _mark_sent(sessions, sent)
            mine = [c.id for c in group if c.id not in sent]
            rest = mine + due[start + CLAIM_GROUP :]
            return (
                counts
                + Counts(sent=len(sent))
                + _record_failures(sessions, rest, error, now, ours=mine)
            )
        _mark_sent(sessions, sent)
        counts += Counts(sent=len(sent))
    return counts


def _send_one(
    sessions: sessionmaker[Session],
    settings: Settings,
    smtp: smtplib.SMTP,
    claimed: _Claimed,
    now: datetime,
    sent: list[int],
) -> Counts:
    """Send one claimed mail; a refusal is recorded at once, an acceptance added to ``sent``
    (marked with its group's). A broken connection is raised to the caller."""
    try:
        smtp.send_message(build_message(claimed.mail, settings, claimed.message_id))
    except smtplib.SMTPRecipientsRefused as error:
        # The address itself is refused: trying again would not help.
        return _record_failures(
            sessions, [claimed.id], error, now, ours=[claimed.id], permanent=True
        )
    except smtplib.SMTPResponseException as error:
        return _record_failures(sessions, [claimed.id], error, now, ours=[claimed.id])
    sent.append(claimed.id)
    return Counts()


def _mark_sent(sessions: sessionmaker[Session], ids: list[int]) -> None:
    """Record that the server accepted ``ids``, trying hard: a mark lost to a busy database
    would leave delivered mails looking "interrupted, may have been delivered"."""
    if not ids:
        return
    for attempt in range(MARK_TRIES):
        try:
            with sessions() as session, session.begin():
                session.execute(
                    update(QueuedMail)
                    .where(QueuedMail.id.in_(ids))
                    .values(sent_at=utcnow(), attempts=QueuedMail.attempts + 1, last_error=None)
                    .execution_options(synchronize_session=False)
                )
            return
        except OperationalError:
            if attempt == MARK_TRIES - 1:
                raise
            time.sleep(MARK_PAUSE * 2**attempt)


def _record_failures(
    sessions: sessionmaker[Session],
    ids: list[int],
    error: BaseException,
    now: datetime,
    *,
    ours: list[int] | None = None,
    permanent: bool = False,
) -> Counts:
    """Count a failed try of each of ``ids``: those unclaimed, and ``ours``, which we claimed
    (another drainer's claims are its own business)."""
    counts = Counts()
    description = describe(error)
    with sessions() as session, session.begin():
        rows = session.scalars(
            select(QueuedMail).where(
                QueuedMail.id.in_(ids),
                QueuedMail.sent_at.is_(None),
                QueuedMail.failed_at.is_(None),
                or_(QueuedMail.claimed_at.is_(None), QueuedMail.id.in_(ours or [])),
            )
        )
        for row in rows:
            row.attempts += 1
            row.claimed_at = None
            row.last_error = description
            if permanent or row.attempts >= MAX_ATTEMPTS:
                row.failed_at = now
                counts += Counts(failed=1)
            else:
                row.next_attempt_at = now + backoff(row.attempts)
                counts += Counts(retrying=1)
    return counts


def describe(error: BaseException) -> str:
    """What went wrong, for staff: the server's reply, or the network's error."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        replies = [
            f"{code} {text.decode(errors='replace')}" for code, text in error.recipients.values()
        ]
        text = "; ".join(replies) or "recipient refused"
    elif isinstance(error, smtplib.SMTPResponseException):
        reply = error.smtp_error
        said = reply.decode(errors="replace") if isinstance(reply, bytes) else str(reply)
        text = f"{error.smtp_code} {said}"
    else:
        text = f"{type(error).__name__}: {error}"
    return text[:ERROR_LENGTH]


def _forget_old_sent(sessions: sessionmaker[Session], now: datetime) -> None:
    with sessions() as session, session.begin():
        session.execute(
            delete(QueuedMail)
            .where(QueuedMail.sent_at < now - KEEP_SENT)
            .execution_options(synchronize_session=False)
        )


def _fail_stale_claims(sessions: sessionmaker[Session], now: datetime) -> int:
    """Fail the mails claimed by a drainer that died while sending them (see the module)."""
    with sessions() as session, session.begin():
        stale = rows_changed(
            session,
            update(QueuedMail)
            .where(
                QueuedMail.claimed_at < now - CLAIM_LEASE,
                QueuedMail.sent_at.is_(None),
                QueuedMail.failed_at.is_(None),
            )
            .values(failed_at=now, last_error=None)
            .execution_options(synchronize_session=False),
        )
    if stale:
        logger.warning("%d mail(s) were interrupted while being sent: see /admin/mail", stale)
    return stale


def _log_instead(
    sessions: sessionmaker[Session], settings: Settings, due: list[int], now: datetime
) -> Counts:
    """Without ``LMS_SMTP_HOST``: write each mail to the log, and count it as sent."""
    claimed = _claim(sessions, due, now)
    for each in claimed:
        log_unsent(build_message(each.mail, settings, each.message_id), settings)
    _mark_sent(sessions, [each.id for each in claimed])
    return Counts(sent=len(claimed))
