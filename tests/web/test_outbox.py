"""The outbox: mail queued with its cause, sent after the commit, retried, never sent twice."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import select, update

from lms.cli import cli
from lms.db import database, get_session, utcnow
from lms.mail import Mail
from lms.outbox import delivery, queries, sending, services
from lms.outbox.delivery import BASE_DELAY, CLAIM_LEASE, MAX_ATTEMPTS, Counts, backoff, drain
from lms.outbox.models import QueuedMail
from tests.support.smtp import REFUSED_DOMAIN, Mailbox, free_port, html_of, text_of

from .conftest import MakeApp
from .test_mail import MAIL

SECOND = Mail(to="grace@example.org", subject="Deux", text="Second\n")


def queue(app: Flask, *mails: Mail, commit: bool = True) -> list[int]:
    with app.app_context():
        session = get_session()
        ids = services.enqueue(session, list(mails))
        if commit:
            session.commit()
    return ids


def row(app: Flask, mail_id: int) -> QueuedMail:
    with app.app_context():
        found = get_session().get(QueuedMail, mail_id)
        assert found is not None
        return found


def drain_at(app: Flask, now: datetime) -> Counts:
    return drain(database(app).sessions, app.extensions["lms.settings"], now=now)


@pytest.fixture
def mail_app(make_app: MakeApp, mailbox: Mailbox) -> Flask:
    return make_app(**mailbox.settings, mail_from="Parcours <robot@example.org>")


def test_a_committed_mail_leaves_at_once_and_is_marked_sent(
    mail_app: Flask, mailbox: Mailbox
) -> None:
    first_id, second_id = queue(mail_app, MAIL, SECOND)

    first, other = mailbox.messages
    assert first["To"] == "ada@example.org"
    assert text_of(first) == MAIL.text
    assert "lien</a>" in html_of(first)
    assert (
        first["Message-ID"] == f"<parcours.{first_id}.{row(mail_app, first_id).token}@example.org>"
    )
    assert other["Subject"] == "Deux"
    assert row(mail_app, first_id).sent_at is not None
    assert row(mail_app, second_id).attempts == 1
    assert drain_at(mail_app, utcnow()) == Counts()  # nothing left: never twice


def test_a_mail_whose_transaction_rolls_back_is_neither_kept_nor_sent(
    mail_app: Flask, mailbox: Mailbox
) -> None:
    with mail_app.app_context():
        session = get_session()
        services.enqueue(session, MAIL)
        session.rollback()
        assert services.queued_in(session) == []
        assert queries.count_unsent(session) == 0
    assert mailbox.messages == []


def test_an_unreachable_server_leaves_the_mail_waiting_with_a_backoff(
    make_app: MakeApp, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app(smtp_host="127.0.0.1", smtp_port=free_port(), smtp_starttls=False)
    (mail_id,) = queue(app, MAIL)

    waiting = row(app, mail_id)
    assert waiting.sent_at is None
    assert waiting.failed_at is None
    assert waiting.claimed_at is None
    assert waiting.attempts == 1
    assert waiting.next_attempt_at - waiting.created_at >= BASE_DELAY - timedelta(seconds=1)
    assert waiting.last_error
    assert "ConnectionRefusedError" in waiting.last_error
    assert "Could not reach the SMTP server" in caplog.text
    # Counts and kinds of errors only: the log holds neither the address nor the body.
    assert "ada@example.org" not in caplog.text
    assert "parcours.example.org/x" not in caplog.text


def test_a_refusing_server_is_retried_with_backoff_and_delivers_once(
    mail_app: Flask, mailbox: Mailbox
) -> None:
    mailbox.refuse(2)
    (mail_id,) = queue(mail_app, MAIL)  # the try after the commit: refused (451)
    first = row(mail_app, mail_id)
    assert (first.attempts, first.last_error) == (1, "451 4.3.0 Try again later")
    assert first.next_attempt_at > first.created_at

    assert drain_at(mail_app, utcnow()) == Counts()  # not due yet
    second_try = first.next_attempt_at
    assert drain_at(mail_app, second_try) == Counts(retrying=1)  # refused again
    assert row(mail_app, mail_id).next_attempt_at == second_try + backoff(2)
    assert drain_at(mail_app, second_try + backoff(1)) == Counts()  # waits twice as long now
    assert drain_at(mail_app, second_try + backoff(2)) == Counts(sent=1)
    assert drain_at(mail_app, second_try + timedelta(days=1)) == Counts()

    assert len(mailbox.to("ada@example.org")) == 1
    assert row(mail_app, mail_id).attempts == 3


def test_the_backoff_doubles_up_to_a_ceiling() -> None:
    assert [backoff(n) for n in (1, 2, 3)] == [BASE_DELAY, 2 * BASE_DELAY, 4 * BASE_DELAY]
    assert backoff(30) == delivery.MAX_DELAY


def test_after_the_last_attempt_the_mail_is_failed_until_retried(
    mail_app: Flask, mailbox: Mailbox
) -> None:
    mailbox.refuse(MAX_ATTEMPTS)
    (mail_id,) = queue(mail_app, MAIL)
    moment = utcnow()
    for _ in range(MAX_ATTEMPTS - 1):
        moment += delivery.MAX_DELAY
        drain_at(mail_app, moment)
    failed = row(mail_app, mail_id)
    assert failed.attempts == MAX_ATTEMPTS
    assert failed.failed_at is not None
    assert drain_at(mail_app, moment + timedelta(days=1)) == Counts()

    with mail_app.app_context():
        session = get_session()
        services.retry_now(session, mail_id)
        session.commit()

    assert row(mail_app, mail_id).sent_at is not None
    assert len(mailbox.to("ada@example.org")) == 1


def test_a_mail_refused_for_its_address_fails_at_once(mail_app: Flask, mailbox: Mailbox) -> None:
    (mail_id,) = queue(mail_app, Mail(to=f"nobody@{REFUSED_DOMAIN}", subject="S", text="T"))
    refused = row(mail_app, mail_id)
    assert refused.failed_at is not None
    assert refused.last_error
    assert refused.last_error.startswith("5")


def test_a_claim_is_taken_once(mail_app: Flask) -> None:
    with mail_app.app_context():
        session = get_session()
        (mail_id,) = services.enqueue(session, SECOND)
        # Not through the after-commit thread: the claim is what this test is about.
        services.queued_in(session).clear()
        session.commit()
    sessions = database(mail_app).sessions
    assert [claimed.id for claimed in delivery._claim(sessions, [mail_id], utcnow())] == [mail_id]
    assert delivery._claim(sessions, [mail_id], utcnow()) == []


def test_a_stale_claim_is_failed_and_never_sent_again_on_its_own(
    mail_app: Flask, mailbox: Mailbox
) -> None:
    """A drainer died between claiming and marking sent: the server may have the mail."""
    with mail_app.app_context():
        session = get_session()
        (mail_id,) = services.enqueue(session, MAIL)
        services.queued_in(session).clear()
        session.commit()
        claimed = utcnow() - CLAIM_LEASE - timedelta(seconds=1)
        session.execute(update(QueuedMail).values(claimed_at=claimed))
        session.commit()

    assert drain_at(mail_app, utcnow()) == Counts(failed=1)
    interrupted = row(mail_app, mail_id)
    assert interrupted.failed_at is not None
    assert interrupted.claimed_at is not None
    assert mailbox.messages == []
    with mail_app.app_context():
        (listed,) = queries.unsent_mails(get_session())
        assert listed.failed_at is not None
        assert listed.claimed_at is not None


def test_lms_mail_send_drains_what_is_due_and_prints_counts(
    make_app: MakeApp, mailbox: Mailbox
) -> None:
    down = make_app(smtp_host="127.0.0.1", smtp_port=free_port(), smtp_starttls=False)
    queue(down, MAIL, SECOND)  # the server was down: both wait
    with down.app_context():
        session = get_session()
        session.execute(update(QueuedMail).values(next_attempt_at=utcnow()))
        session.commit()
    url = down.extensions["lms.settings"].database_url
    up = make_app(database_url=url, with_schema=False, **mailbox.settings)

    result = up.test_cli_runner().invoke(cli, ["mail", "send"])
    again = up.test_cli_runner().invoke(cli, ["mail", "send"])

    assert result.exit_code == 0, result.output
    assert "2 sent, 0 to retry later, 0 failed." in result.output
    assert "0 sent, 0 to retry later, 0 failed." in again.output
    assert sorted(m["To"] for m in mailbox.messages) == ["ada@example.org", "grace@example.org"]


def test_without_a_server_mails_are_logged_and_count_as_sent(
    make_app: MakeApp, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="lms.mail")
    app = make_app()
    (mail_id,) = queue(app, MAIL)
    assert "Mail not sent (LMS_SMTP_HOST is empty)" in caplog.text
    assert "To: ada@example.org" in caplog.text
    assert row(app, mail_id).sent_at is not None


def test_old_sent_mails_are_forgotten(mail_app: Flask) -> None:
    (mail_id,) = queue(mail_app, MAIL)
    drain_at(mail_app, utcnow() + delivery.KEEP_SENT + timedelta(days=1))
    with mail_app.app_context():
        assert get_session().scalar(select(QueuedMail).where(QueuedMail.id == mail_id)) is None


def test_a_refusal_in_a_group_leaves_the_others_sent(mail_app: Flask, mailbox: Mailbox) -> None:
    mailbox.refuse(1)
    third = Mail(to="alan@example.org", subject="Trois", text="Third\n")
    refused, *others = queue(mail_app, MAIL, SECOND, third)

    assert row(mail_app, refused).sent_at is None
    assert row(mail_app, refused).claimed_at is None  # released, for its retry
    assert all(row(mail_app, other).sent_at is not None for other in others)
    assert sorted(m["To"] for m in mailbox.messages) == ["alan@example.org", "grace@example.org"]


def test_more_mails_than_a_batch_all_leave_after_the_commit(
    mail_app: Flask, mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(delivery, "BATCH", 2)
    monkeypatch.setattr(sending, "BATCH", 2)
    mails = [Mail(to=f"p{n}@example.org", subject="S", text="T\n") for n in range(5)]
    queue(mail_app, *mails)
    assert len(mailbox.messages) == 5
