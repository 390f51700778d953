"""Background jobs: one Huey queue per app, chosen by its settings, and ``lms worker``.

Work that may outlast a request (a roster of 20,000 lines, the mails a commit queued) is
queued here and run by a consumer, each job in an app context of its own; chores (sending
the mail that is due for a retry) also run on a schedule. Where the queue lives:

- ``LMS_REDIS_URL`` set (several servers): Redis, so that any server's consumer takes it;
- otherwise (the embedded default, one server): a SQLite file in the instance folder;
- in testing and development: no queue, each job runs at once in the process that queues it
  (Huey's immediate mode), so that tests and ``lms run`` need no consumer; chores then run
  only when asked for (``run_soon``).

Progress is the job's own business, kept in the database (see ``lms.cohorts.imports``), so
that a page shows it from any server and after a reload.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey, crontab

from lms.config import Environment, Settings, current_settings

if TYPE_CHECKING:
    from huey import TaskWrapper

EXTENSION_KEY = "lms.jobs"
RETRY_DELAY_SECONDS = 60
QUEUE_NAME = "parcours"

Job = Callable[..., None]
"""A job takes what it needs to find its work: the id of the row that says what to do and
where its progress goes, or a request's few values (never a secret in clear: the queue is
stored)."""

Chore = Callable[[], object]
"""A chore needs no argument: it finds its work (the mails that are due) itself."""

logger = logging.getLogger(__name__)


@dataclass
class Jobs:
    """An app's queue and the jobs registered on it, by name."""

    huey: Huey
    tasks: dict[str, TaskWrapper[...]] = field(default_factory=dict)
    chores: dict[str, TaskWrapper[[]]] = field(default_factory=dict)


def make_queue(settings: Settings) -> Huey:
    """The queue ``settings`` ask for (see the module's docstring)."""
    if settings.env in (Environment.TESTING, Environment.DEVELOPMENT):
        return MemoryHuey(QUEUE_NAME, immediate=True)
    if settings.redis_url:
        return RedisHuey(QUEUE_NAME, url=settings.redis_url)
    settings.instance_dir.mkdir(parents=True, exist_ok=True)
    return SqliteHuey(QUEUE_NAME, filename=str(settings.instance_dir / "jobs.sqlite3"))


def init_app(app: Flask, settings: Settings) -> None:
    app.extensions[EXTENSION_KEY] = Jobs(make_queue(settings))


def jobs(app: Flask | None = None) -> Jobs:
    found: Jobs = (app or current_app).extensions[EXTENSION_KEY]
    return found


def register(app: Flask, name: str, job: Job, *, retries: int = 0) -> None:
    """Make ``job`` runnable on ``app``'s queue as ``name``, in an app context of ``app``
    (a session of its own, even when immediate mode runs it inside a request).

    A job that fails is run again up to ``retries`` times, a minute apart, by ``lms worker``
    (not in immediate mode): for work that a database outage must not lose.
    """

    def run(*args: object) -> None:
        with app.app_context():
            job(*args)

    task = jobs(app).huey.task(name=name, retries=retries, retry_delay=RETRY_DELAY_SECONDS)
    jobs(app).tasks[name] = task(run)


def register_chore(app: Flask, name: str, chore: Chore, *, every_minutes: int) -> None:
    """Run ``chore`` every ``every_minutes`` minutes in ``lms worker``, and whenever
    ``run_soon(name)`` asks, in an app context of ``app``."""

    def run() -> None:
        with app.app_context():
            chore()

    schedule = crontab(minute=f"*/{every_minutes}")
    jobs(app).chores[name] = jobs(app).huey.periodic_task(schedule, name=name)(run)


def enqueue(name: str, *args: object) -> None:
    """Queue the job ``name`` with ``args`` (a row's id: once the row is committed)."""
    _queue_or_run(name, jobs().tasks[name], *args)


def run_soon(name: str, app: Flask | None = None) -> None:
    """Queue one run of the chore ``name`` now."""
    _queue_or_run(name, jobs(app).chores[name])


def _queue_or_run(name: str, task: TaskWrapper[...], *args: object) -> None:
    """Queue ``task``. A queue that cannot be reached (Redis down) does not fail the caller:
    the task runs here and now instead, as in development, and the site keeps working."""
    try:
        task(*args)
    except Exception as error:  # Redis' and SQLite's errors share no base class
        logger.warning("Could not queue %s (%s); running it now", name, type(error).__name__)
        task.func(*args)


@click.command("worker")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True)
@with_appcontext
def worker(workers: int) -> None:
    """Run background jobs as they are queued (roster imports, mail), and the chores on
    their schedule, until stopped (Ctrl-C, or SIGTERM once the jobs running have finished).

    Needed in production only: elsewhere jobs run as they are queued.
    """
    queue = jobs().huey
    if queue.immediate:
        raise click.ClickException(
            f"LMS_ENV={current_settings().env.value} runs jobs as they are queued: "
            "there is no worker to run here."
        )
    click.echo(f"Running jobs with {workers} worker(s); Ctrl-C to stop.")
    # A run of each chore at once, not at the next minute: catch up on what waited.
    for name in jobs().chores:
        run_soon(name)
    # SIGTERM (systemd, docker stop) lets a mail's SMTP conversation end: stopped in the
    # middle, it would show as "interrupted, may have been sent" instead of sent.
    queue.create_consumer(workers=workers, worker_type="thread", graceful_signal="TERM").run()
    click.echo("Stopped.")
