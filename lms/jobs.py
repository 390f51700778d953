"""Background jobs: one Huey queue per app, chosen by its settings, and ``lms jobs run``.

Work that may outlast a request (a roster of 20,000 lines) is queued here and run by a
consumer, each job in an app context of its own. Where the queue lives:

- ``LMS_REDIS_URL`` set (several servers): Redis, so that any server's consumer takes it;
- otherwise (the embedded default, one server): a SQLite file in the instance folder;
- in testing and development: no queue, each job runs at once in the process that queues it
  (Huey's immediate mode), so that tests and ``lms run`` need no consumer.

Progress is the job's own business, kept in the database (see ``lms.cohorts.imports``), so
that a page shows it from any server and after a reload.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey

from lms.config import Environment, Settings, current_settings

if TYPE_CHECKING:
    from huey import TaskWrapper

EXTENSION_KEY = "lms.jobs"
QUEUE_NAME = "parcours"

Job = Callable[[int], None]
"""A job takes the id of the row that says what to do and where its progress goes."""


@dataclass
class Jobs:
    """An app's queue and the jobs registered on it, by name."""

    huey: Huey
    tasks: dict[str, TaskWrapper[[int]]] = field(default_factory=dict)


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


def register(app: Flask, name: str, job: Job) -> None:
    """Make ``job`` runnable on ``app``'s queue as ``name``, in an app context of ``app``
    (a session of its own, even when immediate mode runs it inside a request)."""

    def run(row_id: int) -> None:
        with app.app_context():
            job(row_id)

    jobs(app).tasks[name] = jobs(app).huey.task(name=name)(run)


def enqueue(name: str, row_id: int) -> None:
    """Queue the job ``name`` for ``row_id``; call it once the row is committed."""
    jobs().tasks[name](row_id)


commands = AppGroup("jobs", help="Run background jobs (roster imports).")


@commands.command("run")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True)
def run_jobs(workers: int) -> None:
    """Run queued jobs as they come, until stopped (Ctrl-C, or SIGTERM after the current ones).

    Needed in production only: elsewhere jobs run as they are queued.
    """
    queue = jobs().huey
    if queue.immediate:
        raise click.ClickException(
            f"LMS_ENV={current_settings().env.value} runs jobs as they are queued: "
            "there is nothing to run here."
        )
    click.echo(f"Running jobs with {workers} worker(s); Ctrl-C to stop.")
    queue.create_consumer(workers=workers, worker_type="thread").run()
