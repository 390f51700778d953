"""Web-tier fixtures: an app on a real database (SQLite or PostgreSQL), client, users, login."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from lms import create_app
from lms.accounts import services as accounts
from lms.accounts.categories import Role
from lms.db import database, get_session
from tests.support.apps import FIXTURE_CONTENT, compile_translations, share_compiled_templates
from tests.support.databases import SERVER_VARIABLE, Databases, create_schema
from tests.support.smtp import Mailbox

from .helpers import PASSWORD, stored_hash, submit_form


@pytest.fixture(scope="session", autouse=True)
def _compiled_translations() -> None:
    compile_translations()


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings from the developer's or CI's shell must not leak into tests."""
    import os

    for name in list(os.environ):
        if name.startswith("LMS_") and name != SERVER_VARIABLE:
            monkeypatch.delenv(name)


class MakeApp(Protocol):
    def __call__(self, *, with_schema: bool = True, **overrides: Any) -> Flask: ...


@pytest.fixture
def make_app(databases: Databases, tmp_path: Path) -> Iterator[MakeApp]:
    """Apps on their own databases (SQLite files in tmp_path, or PostgreSQL databases: see
    ``tests/support/databases.py``); ``with_schema=False`` leaves the database empty.

    Apps given one ``database_url`` (``databases.url("race")``) share that database. The
    apps of one test share an instance folder (kept course versions), as a restart would.
    """
    apps: list[Flask] = []

    def make(*, with_schema: bool = True, **overrides: Any) -> Flask:
        settings: dict[str, Any] = {
            "env": "testing",
            "content_dir": FIXTURE_CONTENT,
            "content_reload": False,
            "instance_dir": tmp_path / "instance",
        }
        settings.update(overrides)
        if "database_url" in settings:
            if with_schema:
                create_schema(settings["database_url"])
        else:
            settings["database_url"] = databases.url(f"app{len(apps)}", with_schema=with_schema)
        app = share_compiled_templates(create_app(settings))
        apps.append(app)
        return app

    yield make
    for app in apps:
        database(app).engine.dispose()


@pytest.fixture
def app(make_app: MakeApp) -> Flask:
    return make_app()


@pytest.fixture
def mail_app(make_app: MakeApp, mailbox: Mailbox) -> Flask:
    """An app that sends its mail to ``mailbox``; a test module can make it ``app``."""
    return make_app(**mailbox.settings)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@dataclass(frozen=True)
class MadeUser:
    id: int
    email: str
    password: str | None
    role: Role


@pytest.fixture
def make_user(app: Flask) -> Callable[..., MadeUser]:
    """Create and commit a user; returns its id, email and plain password.

    Nothing is hashed: the user gets the hash of ``password`` made once for the whole run
    (``stored_hash``), or none with ``password=None`` (an account no one signs in to).
    """
    count = 0

    def make(
        email: str | None = None,
        password: str | None = PASSWORD,
        role: Role = Role.LEARNER,
        language: str | None = None,
    ) -> MadeUser:
        nonlocal count
        count += 1
        with app.app_context():
            session = get_session()
            user = accounts.create_user(
                session, email or f"user{count}@example.org", None, role, language
            )
            user.password_hash = None if password is None else stored_hash(password)
            session.commit()
            return MadeUser(user.id, user.email, password, user.role)

    return make


@pytest.fixture
def login(client: FlaskClient) -> Callable[..., TestResponse]:
    """Sign ``client`` in through the sign-in form: ``login(email, password=PASSWORD)``."""

    def sign_in(email: str, password: str = PASSWORD) -> TestResponse:
        return submit_form(client, "/accounts/sign-in", {"email": email, "password": password})

    return sign_in
