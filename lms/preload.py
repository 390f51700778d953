"""The app loaded once in a server's master process and shared by the workers it forks.

gunicorn (``gunicorn.conf.py``, ``preload_app``) builds the app and reads the catalogue in
its master, then forks its workers, which share those pages of memory until they write to
them (copy-on-write). Two things follow. What the workers would otherwise each build on
their first requests (mappers, compiled templates, translations) is built in the master
first, so that it is shared too: ``warm``. And what must belong to one process (database
connections, file watchers) is made anew in each worker: ``after_fork``.
"""

from __future__ import annotations

import gc
import logging

from babel import Locale
from flask import Flask
from flask_babel import force_locale, get_translations
from sqlalchemy.orm import configure_mappers

from lms.catalog import catalog_store
from lms.content import SUPPORTED_LANGUAGES
from lms.db import database
from lms.extensions import limiter

TEMPLATE_SUFFIXES = (".html", ".txt")


def warm(app: Flask) -> None:
    """Build in this (the master) process what requests would build in each worker."""
    # SQLAlchemy configures the mappers on the first query of each process otherwise.
    configure_mappers()
    # Jinja compiles a template on its first render, into its environment's cache.
    environment = app.jinja_env
    for name in environment.list_templates(filter_func=_is_template):
        environment.get_template(name)
    # Flask-Babel reads a language's catalogue on its first use; babel its CLDR data.
    with app.test_request_context():
        for language in SUPPORTED_LANGUAGES:
            Locale.parse(language)
            with force_locale(language):
                get_translations()
    _serve_public_pages(app)


WARMING_PATHS = ("/", "/courses", "/accounts/sign-in", "/accounts/sign-up", "/healthz")
"""Pages anyone may ask for, served once in each language before the fork."""


def _serve_public_pages(app: Flask) -> None:
    # Serving pages runs the code every request runs (routing, sessions, templates, the
    # database's statements), which the interpreter then rewrites in place (Python 3.11's
    # specialised bytecode) and libraries complete on first use (the URL map's matcher,
    # compiled SQL): done here, it is shared by the workers instead of copied into each.
    # The connection this leaves in the pool is never a worker's (after_fork).
    client = app.test_client()
    # Requests nobody made: no log lines (an error here shows again on a real request), and
    # no rate-limit counts (nor a connection to their store, which is the workers' to open).
    logging.disable(logging.CRITICAL)
    limits_on, limiter.enabled = limiter.enabled, False
    try:
        for language in SUPPORTED_LANGUAGES:
            for path in (*WARMING_PATHS, *_course_paths(app)):
                client.get(path, headers={"Accept-Language": language})
    finally:
        limiter.enabled = limits_on
        logging.disable(logging.NOTSET)


def _course_paths(app: Flask) -> list[str]:
    with app.app_context():
        return [f"/courses/{course_id}" for course_id in catalog_store(app).catalog.courses]


def _is_template(name: str) -> bool:
    return name.endswith(TEMPLATE_SUFFIXES)


def before_fork() -> None:
    """Keep the garbage collector of each worker off the objects the master made: a
    collection writes to each object it looks at, which would copy its page. (Those objects
    are then freed by their reference counts alone: a cycle among them stays, such as a
    course the content reload replaced, at most once per course.)"""
    gc.freeze()


def after_fork(app: Flask) -> None:
    """Give this new worker process its own database connections and file watcher.

    A pooled connection copied from the parent would be one socket (or SQLite file handle)
    used by two processes at once. The pool is emptied without closing what it held, which
    would close it for the parent too; the master opens none, so there is nothing to leak.
    """
    database(app).engine.dispose(close=False)
    catalog_store(app).after_fork()
