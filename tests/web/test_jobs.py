"""Background jobs: the queue each environment gets, a job queued on a real SQLite queue and
run by its consumer's code in an app context of its own, and invitations made in bulk equal
to those made one at a time."""

from __future__ import annotations

import os
import re
import signal
import time
from dataclasses import replace
from pathlib import Path

import pytest
from flask import Flask
from huey import MemoryHuey, RedisHuey, SqliteHuey

from lms import jobs
from lms.accounts import links
from lms.accounts.queries import AccountKey
from lms.certificates.badges import generate_signing_key
from lms.cohorts import import_jobs, imports, services
from lms.cohorts.models import RosterImport
from lms.cohorts.roster import parse_roster
from lms.config import load_settings
from lms.db import database, get_session
from lms.mail import Mail
from tests.support.servers import free_port, lms_worker
from tests.support.smtp import Mailbox
from tests.web.conftest import MakeApp
from tests.web.staff_helpers import STAFF_CONTENT, add_cohort, staff_app

TOKEN = re.compile(r"/invitation/[^\s\"<]+")


def test_each_environment_gets_its_queue(tmp_path: Path) -> None:
    testing = load_settings({}, {"env": "testing"})
    production = load_settings(
        {}, {"env": "production", "secret_key": "k" * 32, "instance_dir": tmp_path}
    )
    shared = load_settings(
        {},
        {
            "env": "production",
            "secret_key": "k" * 32,
            "instance_dir": tmp_path,
            "redis_url": "redis://127.0.0.1:6379/0",
        },
    )

    assert isinstance(jobs.make_queue(testing), MemoryHuey)
    assert jobs.make_queue(testing).immediate
    queue = jobs.make_queue(production)
    assert isinstance(queue, SqliteHuey)
    assert not queue.immediate
    assert (tmp_path / "jobs.sqlite3").exists()
    assert isinstance(jobs.make_queue(shared), RedisHuey)


def test_a_job_on_a_real_queue_waits_for_a_consumer_and_runs_in_its_own_context(
    make_app: MakeApp, tmp_path: Path
) -> None:
    app = make_app()
    queue = SqliteHuey("test", filename=str(tmp_path / "queue.sqlite3"))
    app.extensions[jobs.EXTENSION_KEY] = jobs.Jobs(queue)
    seen: list[tuple[int, bool]] = []

    def job(row_id: int) -> None:
        # A session of the job's own, not the one of whoever queued it.
        seen.append((row_id, get_session() is not queued_session))

    jobs.register(app, "test.job", job)
    with app.app_context():
        queued_session = get_session()
        jobs.enqueue("test.job", 7)
        assert seen == []
        assert queue.pending_count() == 1

    task = queue.dequeue()
    queue.execute(task)

    assert seen == [(7, True)]


def test_a_job_whose_queue_is_down_runs_at_once(make_app: MakeApp) -> None:
    app = make_app()
    # Nothing listens there: Redis is down.
    app.extensions[jobs.EXTENSION_KEY] = jobs.Jobs(
        RedisHuey("test", url=f"redis://127.0.0.1:{free_port()}/0")
    )
    seen: list[str] = []
    jobs.register(app, "test.job", seen.append)

    with app.app_context():
        jobs.enqueue("test.job", "ran")

    assert seen == ["ran"]


@pytest.mark.parametrize("language", ["fr", "en", None])
def test_invitations_made_in_bulk_are_those_made_one_at_a_time(
    make_app: MakeApp, language: str | None
) -> None:
    app: Flask = make_app()
    people = [
        (AccountKey(1, "zoe@example.org", None, language, None, False), 'Zoé <b>&</b> "Co"'),
        (AccountKey(2, "luc@example.org", None, language, "Luc T.", False), ""),
    ]
    with app.test_request_context():
        bulk = list(links.invitation_mails(people, secret_key="s" * 32, cohort="FRQ <2026>"))
        single = [
            links.invitation_mail(account, secret_key="s" * 32, name=name, cohort="FRQ <2026>")
            for account, name in people
        ]

    # Equal but for the tokens' timestamps, which a second passing between the two changes.
    assert [_untimed(mail) for mail in bulk] == [_untimed(mail) for mail in single]
    assert "Zoé &lt;b&gt;&amp;&lt;/b&gt; &#34;Co&#34;" in (bulk[0].html or "")
    assert 'Zoé <b>&</b> "Co"' in bulk[0].text


def _untimed(mail: Mail) -> Mail:
    def strip(text: str) -> str:
        return TOKEN.sub("TOKEN", text)

    return replace(mail, text=strip(mail.text), html=strip(mail.html or ""))


def test_lms_worker_imports_a_queued_roster_sends_its_invitations_and_stops_on_sigterm(
    make_app: MakeApp, tmp_path: Path, mailbox: Mailbox
) -> None:
    instance = tmp_path / "instance"
    app = staff_app(make_app, instance_dir=instance, **mailbox.settings)
    cohort_id = add_cohort(app)
    # Queued as a production server queues it: on the SQLite queue of the instance folder.
    queue = SqliteHuey(jobs.QUEUE_NAME, filename=str(instance / "jobs.sqlite3"))
    app.extensions[jobs.EXTENSION_KEY] = jobs.Jobs(queue)
    import_jobs.init_app(app)
    text = "Email,First name,Last name,Sector,Fellowship number\nada@example.org,Ada,L,FRQS,1\n"
    with app.app_context():
        session = get_session()
        job = imports.queue_import(
            session,
            services.find_cohort(session, cohort_id),
            filename="roster.csv",
            rows=parse_roster(text.encode(), "roster.csv").rows,
            actor=None,
        )
        session.commit()
        jobs.enqueue(import_jobs.JOB_NAME, job.id)
        url = str(database(app).engine.url.render_as_string(hide_password=False))
    key = tmp_path / "badge-signing-key.pem"
    generate_signing_key(key, key_size=2048)
    environ = {
        "PATH": os.environ.get("PATH", ""),
        "LMS_ENV": "production",
        "LMS_SECRET_KEY": "k" * 64,
        "LMS_SIGNING_KEY_FILE": str(key),
        "LMS_WORKERS": "1",
        "LMS_DATABASE_URL": url,
        "LMS_CONTENT_DIR": str(STAFF_CONTENT),
        "LMS_INSTANCE_DIR": str(instance),
        **{f"LMS_{key.upper()}": str(value) for key, value in mailbox.settings.items()},
    }
    with lms_worker(environ) as consumer:
        deadline = time.monotonic() + 30
        while not mailbox.to("ada@example.org") and time.monotonic() < deadline:
            time.sleep(0.2)  # polling another process, not waiting out a race
        consumer.send_signal(signal.SIGTERM)
        _output, errors = consumer.communicate(timeout=30)

    assert _status(app, job.id) == "done", errors
    assert consumer.returncode == 0, errors
    (invitation,) = mailbox.to("ada@example.org")  # the import's commit queued its sending
    assert "invit" in invitation["Subject"].lower()


def _status(app: Flask, import_id: int) -> str | None:
    with app.app_context():
        found = get_session().get(RosterImport, import_id)
        return found.status if found is not None else None
