"""Background jobs: the queue each environment gets, a job queued on a real SQLite queue and
run by its consumer's code in an app context of its own, and invitations made in bulk equal
to those made one at a time."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from flask import Flask
from huey import MemoryHuey, RedisHuey, SqliteHuey

from lms import jobs
from lms.accounts import links
from lms.accounts.queries import AccountKey
from lms.config import load_settings
from lms.db import get_session
from lms.mail import Mail
from tests.web.conftest import MakeApp

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
