"""Kill -9 between the commit and the send loses no mail: ``lms mail send`` delivers it once.

A real gunicorn server takes a sign-up; its mail is committed with the account, and the
server starts sending it to an SMTP server that never answers (its greeting stalls). The
server is then killed with SIGKILL, workers and all. Nothing was sent, nothing was claimed:
``lms mail send``, run as a separate process against a working SMTP server, sends it, once.
``lms worker`` does the same as mail becomes due, and stops cleanly on SIGTERM.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from lms import schema
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
    wait_until_ready,
)
from tests.support.smtp import Mailbox

from .account_helpers import sign_up_data

pytestmark = pytest.mark.skipif(not gunicorn_available(), reason="gunicorn is not installed")

EMAIL = "survivor@example.org"


@pytest.fixture
def stalled_smtp() -> Iterator[socket.socket]:
    """A port that takes connections and never greets: a sender waits there until killed."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener


def _environ(url: str, smtp_port: int, tmp_path: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "LMS_ENV": "testing",
        "LMS_DATABASE_URL": url,
        "LMS_CONTENT_DIR": str(FIXTURE_CONTENT),
        "LMS_INSTANCE_DIR": str(tmp_path / "instance"),
        "LMS_SMTP_HOST": "127.0.0.1",
        "LMS_SMTP_PORT": str(smtp_port),
        "LMS_SMTP_STARTTLS": "false",
    }


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


def test_a_server_killed_before_sending_loses_no_mail(
    databases: Databases, tmp_path: Path, stalled_smtp: socket.socket, mailbox: Mailbox
) -> None:
    url = databases.url("crash")
    schema.upgrade(url, "head")
    port = free_port()
    environ = _environ(url, stalled_smtp.getsockname()[1], tmp_path)
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONFIG), "wsgi:app"],
            cwd=PROJECT,
            env={**environ, "LMS_BIND": f"127.0.0.1:{port}", "LMS_WORKERS": "1"},
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: SIGKILL reaches the workers too
        )
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        wait_until_ready(server)
        assert _sign_up(server) == 302, server.output()
        stalled_smtp.settimeout(10)
        waiting, _address = stalled_smtp.accept()  # the worker is sending: it waits here
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        waiting.close()
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    (queued,) = _queued(url)
    assert queued.recipient == EMAIL
    assert queued.sent_at is None
    assert queued.claimed_at is None  # killed before the claim: sure not to have been sent

    working = {**environ, "LMS_SMTP_PORT": str(mailbox.port)}
    send = [str(Path(sys.executable).parent / "lms"), "mail", "send"]
    first = subprocess.run(send, cwd=PROJECT, env=working, capture_output=True, text=True)
    second = subprocess.run(send, cwd=PROJECT, env=working, capture_output=True, text=True)

    assert first.returncode == 0, first.stderr
    assert "1 sent, 0 to retry later, 0 failed." in first.stdout
    assert "0 sent, 0 to retry later, 0 failed." in second.stdout
    (mail,) = mailbox.to(EMAIL)
    assert "confirm" in mail["Subject"].lower()


def test_lms_worker_sends_mail_as_it_comes_and_stops_on_sigterm(
    databases: Databases, tmp_path: Path, mailbox: Mailbox
) -> None:
    url = databases.url("worker")
    schema.upgrade(url, "head")
    environ = {**_environ(url, mailbox.port, tmp_path), "LMS_ENV": "development"}
    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "lms"), "worker", "--interval", "0.2"],
        cwd=PROJECT,
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        engine = create_db_engine(url, poolclass=NullPool)
        with Session(engine) as session:
            # Queued by another process that died before sending: the worker finds it.
            session.add(QueuedMail(recipient=EMAIL, subject="Hello", text="Hello\n"))
            session.commit()
        engine.dispose()
        deadline = time.monotonic() + 20
        while not mailbox.to(EMAIL) and time.monotonic() < deadline:
            time.sleep(0.1)
        worker.send_signal(signal.SIGTERM)
        output, errors = worker.communicate(timeout=20)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=10)

    assert len(mailbox.to(EMAIL)) == 1
    assert worker.returncode == 0, errors
    assert "1 sent, 0 to retry later, 0 failed." in output
    assert output.rstrip().endswith("Stopped.")
