"""Kill -9 anywhere loses no mail and sends none twice.

A real gunicorn server, as in production, takes a sign-up: it queues the job that creates
the account and its mail, for ``lms worker``. The server is then killed with SIGKILL, workers
and all; ``lms worker``, started afterwards, creates the account and sends the mail, once,
and stops cleanly on SIGTERM. A mail committed by a process that died before sending it is
sent by the next worker as it starts; a worker killed in the middle of the SMTP conversation
leaves the mail claimed: it is never sent again on its own (it shows as interrupted).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from lms import schema
from lms.certificates.badges import generate_signing_key
from lms.db import create_db_engine
from lms.outbox.models import QueuedMail
from tests.support.apps import FIXTURE_CONTENT, PROJECT
from tests.support.databases import Databases
from tests.support.servers import (
    GUNICORN_CONFIG,
    Client,
    Server,
    free_port,
    gunicorn_available,
    lms_worker,
    wait_until_ready,
)
from tests.support.smtp import Mailbox

from .account_helpers import sign_up_data

pytestmark = pytest.mark.skipif(not gunicorn_available(), reason="gunicorn is not installed")

EMAIL = "survivor@example.org"


class _SilentAfterData:
    """An SMTP server that accepts a message's envelope and body, then never answers: the
    sender waits for the verdict on a mail it has claimed, until it is killed."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.body_received = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        connection, _address = self.listener.accept()
        with connection, connection.makefile("rb") as lines:
            connection.sendall(b"220 silent.example.org ESMTP\r\n")
            in_body = False
            for line in lines:
                if in_body:
                    if line == b".\r\n":
                        self.body_received.set()  # and no answer, ever
                        connection.recv(1)  # until the sender is gone
                        return
                elif line.upper().startswith(b"DATA"):
                    in_body = True
                    connection.sendall(b"354 go ahead\r\n")
                else:
                    connection.sendall(b"250 ok\r\n")


@pytest.fixture
def silent_smtp() -> Iterator[_SilentAfterData]:
    server = _SilentAfterData()
    yield server
    server.listener.close()


def _environ(url: str, smtp_port: int, tmp_path: Path) -> dict[str, str]:
    key = tmp_path / "badge-signing-key.pem"
    if not key.exists():
        generate_signing_key(key, key_size=2048)
    return {
        "PATH": os.environ.get("PATH", ""),
        "LMS_ENV": "production",
        "LMS_SECRET_KEY": "s" * 64,
        "LMS_SIGNING_KEY_FILE": str(key),
        "LMS_DATABASE_URL": url,
        "LMS_CONTENT_DIR": str(FIXTURE_CONTENT),
        "LMS_INSTANCE_DIR": str(tmp_path / "instance"),
        "LMS_WORKERS": "1",
        "LMS_SMTP_HOST": "127.0.0.1",
        "LMS_SMTP_PORT": str(smtp_port),
        "LMS_SMTP_STARTTLS": "false",
    }


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _mail_send(environ: dict[str, str]) -> str:
    command = [str(Path(sys.executable).parent / "lms"), "mail", "send"]
    done = subprocess.run(command, cwd=PROJECT, env=environ, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _sign_up(server: Server) -> int:
    client = Client()
    token = client.csrf_token(server.url, "/accounts/sign-up")
    form = {**sign_up_data(EMAIL, language="en"), "csrf_token": token}
    return client.post(server.url, "/accounts/sign-up", form).status


def _queued(url: str) -> list[QueuedMail]:
    engine = create_db_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            return list(connection.execute(select(QueuedMail)).all())  # type: ignore[arg-type]
    finally:
        engine.dispose()


def test_a_server_killed_after_taking_a_sign_up_loses_no_mail(
    databases: Databases, tmp_path: Path, mailbox: Mailbox
) -> None:
    url = databases.url("crash")
    schema.upgrade(url, "head")
    port = free_port()
    environ = _environ(url, mailbox.port, tmp_path)
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONFIG), "wsgi:app"],
            cwd=PROJECT,
            env={**environ, "LMS_BIND": f"127.0.0.1:{port}"},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: SIGKILL reaches the workers too
        )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        wait_until_ready(server)
        assert _sign_up(server) == 302, server.output()
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        _stop(process)

    # The web server only queued the job that decides (lms.accounts.request_jobs).
    assert _queued(url) == []
    assert mailbox.to(EMAIL) == []

    with lms_worker(environ) as worker:
        deadline = time.monotonic() + 30
        while not mailbox.to(EMAIL) and time.monotonic() < deadline:
            time.sleep(0.1)  # polling another process, not waiting out a race
        worker.send_signal(signal.SIGTERM)
        output, errors = worker.communicate(timeout=30)

    assert worker.returncode == 0, errors
    assert output.rstrip().endswith("Stopped.")
    (mail,) = mailbox.to(EMAIL)
    assert "confirm" in mail["Subject"].lower()
    assert "0 sent, 0 to retry later, 0 failed." in _mail_send(environ)
    assert len(mailbox.to(EMAIL)) == 1


def test_a_worker_killed_while_sending_never_sends_twice(
    databases: Databases, tmp_path: Path, silent_smtp: _SilentAfterData, mailbox: Mailbox
) -> None:
    url = databases.url("stalled")
    schema.upgrade(url, "head")
    engine = create_db_engine(url, poolclass=NullPool)
    with Session(engine) as session:
        session.add(QueuedMail(recipient=EMAIL, subject="Hello", text="Hello\n"))
        session.commit()
    engine.dispose()
    environ = _environ(url, silent_smtp.port, tmp_path)
    with lms_worker(environ):
        # The worker catches up on what waits as it starts: it sends this mail at once.
        assert silent_smtp.body_received.wait(timeout=30)

    (queued,) = _queued(url)
    assert queued.sent_at is None
    assert queued.claimed_at is not None  # claimed, maybe sent: not to be sent again
    working = {**environ, "LMS_SMTP_PORT": str(mailbox.port)}
    assert "0 sent, 0 to retry later, 0 failed." in _mail_send(working)
    assert mailbox.to(EMAIL) == []
