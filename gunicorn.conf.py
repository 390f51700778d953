"""Gunicorn settings for production: ``gunicorn -c gunicorn.conf.py wsgi:app``.

Read from the environment, like the app's own settings:

- ``LMS_BIND`` (default ``127.0.0.1:8000``): address and port, or ``unix:/path``; put a
  reverse proxy (TLS) in front.
- ``LMS_WORKERS`` (default: 2 per CPU core, plus 1): worker processes. Each holds its own
  pool of database connections, so keep workers x servers under PostgreSQL's
  ``max_connections``.
- ``LMS_TIMEOUT`` (default 60): seconds before a silent worker is restarted; issuing a
  certificate renders its PDFs, which takes well under a second.
- ``LMS_MAX_REQUESTS`` (default 0, never): requests after which a worker is replaced by a
  fresh one (forked from the master's loaded app), give or take a tenth; set it only to
  contain a memory leak.

Several servers can run this behind one load balancer, on one PostgreSQL database
(``LMS_DATABASE_URL``) and, for rate limits, one Redis (``LMS_REDIS_URL``): nothing is kept
on a server's disk.
"""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path
from typing import Any

from flask import Flask

from lms import preload
from lms.catalog import catalog_store

bind = [os.environ.get("LMS_BIND", "127.0.0.1:8000")]
workers = int(os.environ.get("LMS_WORKERS", "0")) or multiprocessing.cpu_count() * 2 + 1
# Synchronous workers: requests are short and bound by the database; a slow client is the
# reverse proxy's to buffer.
worker_class = "sync"
timeout = int(os.environ.get("LMS_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Workers are not recycled unless asked: a new worker is forked from the loaded app, but its
# first requests copy what they touch of the shared memory.
max_requests = int(os.environ.get("LMS_MAX_REQUESTS", "0"))
max_requests_jitter = max_requests // 10

# Preloaded: the master builds the app and reads the catalogue once, and the workers it forks
# share that memory (copy-on-write) instead of each loading its own copy (lms/preload.py).
# What must be a process's own is made after the fork: each worker's database connections
# (SQLAlchemy's pools are not fork-safe; the master opens none) and, with content reload on,
# its file watcher. A HUP starts new workers from the master's app: it re-reads changed
# course files first (on_reload), but new code needs a restart.
preload_app = True


def _app(server: Any) -> Flask | None:
    """The app the master loaded (gunicorn's arbiter holds it), if it is a Flask app."""
    loaded = server.app.wsgi()
    return loaded if isinstance(loaded, Flask) else None


def when_ready(server: Any) -> None:
    # Before the first fork: what workers would each build on first use, built once here.
    if (app := _app(server)) is not None:
        preload.warm(app)


def pre_fork(server: Any, worker: Any) -> None:
    preload.before_fork()


def post_fork(server: Any, worker: Any) -> None:
    if (app := _app(server)) is not None:
        preload.after_fork(app)


def on_reload(server: Any) -> None:
    # A HUP: the workers about to start are forked from the master's app; give them the
    # course files as they are now (their last good version where they have errors).
    if (app := _app(server)) is not None:
        catalog_store(app).refresh()


# Logs to standard error, for the service manager or container to collect. No access log
# of gunicorn's: its request line carries query strings (a staff search for an address) and
# link tokens (/accounts/reset/<token>). The app writes one line per request instead
# (lms.logs: the path without its query, a token's path as its route, the request id).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LMS_LOG_LEVEL", "info").lower()

# Workers' heartbeat files in memory rather than on the server's disk, where there is one.
SHARED_MEMORY = "/dev/shm"  # noqa: S108  (gunicorn's own heartbeat files, not data)
if Path(SHARED_MEMORY).is_dir():
    worker_tmp_dir = SHARED_MEMORY

# The reverse proxy's X-Forwarded-Proto is trusted from these addresses only; the app reads
# the client's address from X-Forwarded-For when LMS_TRUSTED_PROXIES says how many proxies.
forwarded_allow_ips = os.environ.get("LMS_FORWARDED_ALLOW_IPS", "127.0.0.1")
