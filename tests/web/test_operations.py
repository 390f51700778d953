"""Operations: /healthz, request ids and JSON logs without personal data, `lms db backup`,
the README's configuration table, and error pages in both languages."""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

import pytest
from flask import Flask, abort
from flask.testing import FlaskClient
from sqlalchemy.exc import OperationalError

from lms.cli import cli
from lms.config import _VARIABLES, Environment, Settings
from lms.db import database
from lms.logs import JsonFormatter, RequestIdFilter
from lms.security import CONTENT_SECURITY_POLICY

from .conftest import MadeUser, MakeApp
from .helpers import submit_form

README = Path(__file__).resolve().parents[2] / "README.md"


def test_healthz_says_ok_with_the_catalogue_counts(client: FlaskClient) -> None:
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["catalogue"]["courses"] >= 1
    assert body["catalogue"]["errors"] == 0
    assert set(body) == {"status", "database", "catalogue", "rate_limits"}
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_is_503_when_the_database_does_not_answer(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy.orm import Session

    def broken(*_args: object, **_kwargs: object) -> None:
        raise OperationalError("SELECT 1", {}, Exception("database is down"))

    monkeypatch.setattr(Session, "execute", broken)
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.get_json()["database"] == "error"
    assert response.get_json()["status"] == "error"


def test_healthz_is_never_rate_limited(client: FlaskClient) -> None:
    assert all(client.get("/healthz").status_code == 200 for _ in range(60))


def test_each_request_gets_an_id_echoed_and_a_well_formed_one_is_kept(
    client: FlaskClient,
) -> None:
    made = client.get("/courses").headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert client.get("/courses").headers["X-Request-ID"] != made

    kept = client.get("/courses", headers={"X-Request-ID": "lb-1234abcd"})
    assert kept.headers["X-Request-ID"] == "lb-1234abcd"

    forged = client.get("/courses", headers={"X-Request-ID": "x {evil} " + "y" * 300})
    assert re.fullmatch(r"[0-9a-f]{32}", forged.headers["X-Request-ID"])


def test_request_log_lines_have_no_email_name_nor_query(
    client: FlaskClient, make_user: Callable[..., MadeUser], caplog: pytest.LogCaptureFixture
) -> None:
    user = make_user(email="marie.curie@example.org")
    submit_form(client, "/accounts/sign-in", {"email": user.email, "password": user.password})

    caplog.clear()
    with caplog.at_level(logging.INFO, logger="lms"):
        response = client.get("/accounts/profile?q=marie.curie@example.org")
        client.get("/accounts/reset/a-secret-token-from-a-mail")

    access = [r for r in caplog.records if r.name == "lms.access"]
    assert len(access) == 2
    first = access[0]
    assert first.__dict__["request_id"] == response.headers["X-Request-ID"]
    assert first.__dict__["method"] == "GET"
    assert first.__dict__["path"] == "/accounts/profile"
    assert first.__dict__["status"] == 200
    assert first.__dict__["duration_ms"] >= 0
    assert access[1].__dict__["path"] == "/accounts/reset/<token>"

    formatter = JsonFormatter()
    lines = [formatter.format(record) for record in caplog.records]
    for line in lines:
        assert "marie" not in line.lower()
        assert "curie" not in line.lower()
        assert "a-secret-token" not in line
    entry = json.loads(formatter.format(first))
    assert entry["logger"] == "lms.access"
    assert entry["path"] == "/accounts/profile"
    assert entry["request_id"] == response.headers["X-Request-ID"]


def test_log_lines_written_during_a_request_carry_its_id(app: Flask) -> None:
    record = logging.makeLogRecord({"msg": "hello"})
    with app.test_request_context("/"):
        from flask import g

        g.request_id = "abcdef123456"
        RequestIdFilter().filter(record)
    assert record.__dict__["request_id"] == "abcdef123456"
    entry = json.loads(JsonFormatter().format(record))
    assert entry["request_id"] == "abcdef123456"
    assert entry["message"] == "hello"


def test_log_format_defaults_to_json_in_production_and_text_elsewhere() -> None:
    assert Settings(log_format="").logs_as_json is False
    assert Settings(log_format="json").logs_as_json is True
    production = {"env": Environment.PRODUCTION, "secret_key": "k" * 32}
    assert Settings(**production).logs_as_json is True  # type: ignore[arg-type]
    assert Settings(**production, log_format="text").logs_as_json is False  # type: ignore[arg-type]


@pytest.mark.sqlite_only("`lms db backup` copies a SQLite file; on PostgreSQL it points to pg_dump")
def test_db_backup_copies_the_database_and_never_overwrites(
    app: Flask, make_user: Callable[..., MadeUser], tmp_path: Path
) -> None:
    make_user(email="kept@example.org")
    target = tmp_path / "backup.db"

    result = app.test_cli_runner().invoke(cli, ["db", "backup", str(target)])

    assert result.exit_code == 0, result.output
    with sqlite3.connect(target) as copy:
        emails = [row[0] for row in copy.execute("SELECT email FROM users")]
    assert emails == ["kept@example.org"]

    again = app.test_cli_runner().invoke(cli, ["db", "backup", str(target)])
    assert again.exit_code == 1
    assert "already exists" in again.output


def test_db_backup_on_postgresql_prints_the_pg_dump_way(make_app: MakeApp) -> None:
    from lms.backup import NotSQLite, backup_sqlite

    with pytest.raises(NotSQLite):
        backup_sqlite("postgresql+psycopg://lms@db/lms", Path("/tmp/never-written.db"))


@pytest.mark.parametrize(("durable", "synchronous"), [(False, 1), (True, 2)])
def test_sqlite_syncs_the_disk_at_each_commit_only_when_asked(
    make_app: MakeApp, durable: bool, synchronous: int
) -> None:
    app = make_app(sqlite_durable=durable)
    if database(app).engine.dialect.name != "sqlite":
        pytest.skip("a SQLite setting")
    with database(app).engine.connect() as connection:
        # 1 is NORMAL (synced at checkpoints, safe with WAL), 2 is FULL (at each commit).
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == synchronous
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def _readme_variables() -> set[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `LMS_")]
    return {name for row in rows for name in re.findall(r"`(LMS_[A-Z0-9_]+)`", row.split("|")[1])}


def test_the_readme_configuration_table_lists_every_variable() -> None:
    read = {variable for variable, _parse in _VARIABLES.values()}
    assert {f.name for f in fields(Settings)} == set(_VARIABLES)
    documented = _readme_variables()
    assert read - documented == set(), "variables read by lms/config.py missing from the README"
    assert documented - read == set(), "README variables that lms/config.py does not read"


STATUSES = {
    404: ("Page introuvable", "Page not found"),
    403: ("Accès refusé", "Access denied"),
    405: ("Méthode non permise", "Method not allowed"),
    429: ("Trop de tentatives", "Too many attempts"),
    500: ("Un problème est survenu", "Something went wrong"),
}


@pytest.mark.parametrize("status", sorted(STATUSES))
def test_error_pages_in_french_and_english(make_app: MakeApp, status: int) -> None:
    app = make_app()
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.route("/fails", methods=["GET"])
    def fails() -> str:
        if status == 500:
            raise RuntimeError("an internal detail")
        if status != 405:
            abort(status)
        return "never"

    client = app.test_client()
    method = "POST" if status == 405 else "GET"
    for language, title in zip(("fr", "en"), STATUSES[status], strict=True):
        response = client.open("/fails", method=method, headers={"Accept-Language": language})
        page = response.get_data(as_text=True)
        assert response.status_code == status
        assert f'<html lang="{language}">' in page
        assert "an internal detail" not in page
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert f"<h1>{title}</h1>" in page, (language, page[:2000])
