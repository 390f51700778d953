"""The `lms` command: users, setup, database and content checks, on real SQLite files."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from flask import Flask
from sqlalchemy import inspect, select

from lms import schema
from lms.accounts.categories import Role
from lms.accounts.models import User
from lms.cli import cli
from lms.db import database, get_session

from .conftest import FIXTURE_CONTENT, MakeApp
from .helpers import submit_form

COURSE = "courses/partnership-essentials"


def users_in(app: Flask) -> list[User]:
    with app.app_context():
        found = list(get_session().scalars(select(User)))
        get_session().expunge_all()
        return found


def printed_password(output: str) -> str:
    found = re.search(r"Password:\s+(\S+)", output)
    assert found, output
    return found.group(1)


def test_users_create_prints_a_generated_password_and_stores_only_its_hash(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        cli, ["users", "create", "--email", "Staff@Example.org", "--role", "staff"]
    )

    assert result.exit_code == 0, result.output
    password = printed_password(result.stdout)
    [user] = users_in(app)
    assert user.email == "staff@example.org"
    assert user.role is Role.STAFF
    assert user.password_hash is not None
    assert password not in user.password_hash
    assert user.password_hash.startswith("$argon2id$")
    assert PasswordHasher().verify(user.password_hash, password)


def test_users_create_with_a_given_password_prints_none(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        cli, ["users", "create", "--email", "a@example.org", "--password", "given-passw0rd"]
    )

    assert result.exit_code == 0, result.output
    assert "Password" not in result.stdout
    [user] = users_in(app)
    assert user.role is Role.LEARNER
    assert user.password_hash != "given-passw0rd"
    assert PasswordHasher().verify(user.password_hash or "", "given-passw0rd")


def test_users_create_refuses_a_taken_email(app: Flask) -> None:
    runner = app.test_cli_runner()
    runner.invoke(cli, ["users", "create", "--email", "a@example.org"])

    result = runner.invoke(cli, ["users", "create", "--email", "A@example.org"])

    assert result.exit_code == 1
    assert "already exists" in result.output
    assert len(users_in(app)) == 1


def test_users_create_refuses_an_unknown_role(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        cli, ["users", "create", "--email", "a@example.org", "--role", "owner"]
    )
    assert result.exit_code == 2
    assert users_in(app) == []


def test_setup_migrates_an_empty_database_and_creates_one_admin_once(make_app: MakeApp) -> None:
    app = make_app(with_schema=False)
    runner = app.test_cli_runner()

    result = runner.invoke(cli, ["setup"])

    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:5000/accounts/sign-in" in result.stdout
    assert "admin@localhost" in result.stdout
    password = printed_password(result.stdout)
    [admin] = users_in(app)
    assert (admin.email, admin.role) == ("admin@localhost", Role.ADMIN)
    assert PasswordHasher().verify(admin.password_hash or "", password)
    url = str(database(app).engine.url)
    assert schema.current_revision(url) == schema.head_revision(url)

    # The printed sign-in works.
    client = app.test_client()
    response = submit_form(
        client, "/accounts/sign-in", {"email": "admin@localhost", "password": password}
    )
    assert response.status_code == 302

    again = runner.invoke(cli, ["setup"])
    assert again.exit_code == 0, again.output
    assert "Password" not in again.stdout
    assert len(users_in(app)) == 1


def test_db_upgrade_and_downgrade(make_app: MakeApp) -> None:
    app = make_app(with_schema=False)
    runner = app.test_cli_runner()
    engine = database(app).engine
    head = schema.head_revision(str(engine.url))

    result = runner.invoke(cli, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert f"Database at revision {head}." in result.stdout
    assert "users" in inspect(engine).get_table_names()

    result = runner.invoke(cli, ["db", "downgrade", "base"])
    assert result.exit_code == 0, result.output
    assert "Database at revision base." in result.stdout
    assert "users" not in inspect(engine).get_table_names()


def test_courses_check_passes_on_valid_content(app: Flask) -> None:
    result = app.test_cli_runner().invoke(cli, ["courses", "check", str(FIXTURE_CONTENT)])

    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "0 error(s), 0 warning(s)" in result.stderr


@pytest.fixture
def content_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture content, made the current directory as an author's checkout."""
    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CONTENT, root)
    monkeypatch.chdir(root)
    return root


def test_courses_check_fails_on_an_error_and_names_the_file(app: Flask, content_copy: Path) -> None:
    course_yaml = content_copy / COURSE / "course.yaml"
    course_yaml.write_text(
        course_yaml.read_text(encoding="utf-8").replace(
            "estimated_minutes: 25", "estimated_minutes: a while"
        ),
        encoding="utf-8",
    )

    result = app.test_cli_runner().invoke(cli, ["courses", "check", str(content_copy)])

    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines
    assert all(re.match(rf"{COURSE}/course\.yaml:\d+(:\d+)?: error: ", line) for line in lines)
    assert f"{len(lines)} error(s)" in result.stderr


def test_courses_check_passes_with_warnings_only(app: Flask, content_copy: Path) -> None:
    for suffix, title in ((".md", "Extra"), (".fr.md", "Extra")):
        (content_copy / COURSE / f"extra{suffix}").write_text(
            f"---\ntitle: {title}\n---\nNot in the outline.\n", encoding="utf-8"
        )

    result = app.test_cli_runner().invoke(cli, ["courses", "check", str(content_copy)])

    assert result.exit_code == 0, result.output
    assert re.search(rf"^{COURSE}/course\.yaml:\d+(:\d+)?: warning: .*extra", result.stdout, re.M)
    assert "0 error(s), 1 warning(s)" in result.stderr


def test_courses_check_defaults_to_the_configured_content_root(
    app: Flask, content_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (content_copy / COURSE / "course.yaml").write_text("id: [not, an, id]\n", encoding="utf-8")
    monkeypatch.setenv("LMS_CONTENT_DIR", str(content_copy))

    result = app.test_cli_runner().invoke(cli, ["courses", "check"])

    assert result.exit_code == 1, result.output
    assert f"{COURSE}/course.yaml:1" in result.stdout


def test_courses_check_rates_placeholder_text_by_the_environment(
    app: Flask, content_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    definition = content_copy / "certificates" / "partnership-essentials.yaml"
    definition.write_text(
        definition.read_text(encoding="utf-8").replace('"Parcours"', '"Organisme à configurer"'),
        encoding="utf-8",
    )
    place = r"^certificates/partnership-essentials\.yaml:5:\d+: {}: placeholder text 'a configurer'"

    result = app.test_cli_runner().invoke(cli, ["courses", "check", str(content_copy)])
    assert result.exit_code == 0, result.output
    assert re.search(place.format("warning"), result.stdout, re.M)

    monkeypatch.setenv("LMS_ENV", "production")
    monkeypatch.setenv("LMS_SECRET_KEY", "a-production-secret-for-this-test")
    result = app.test_cli_runner().invoke(cli, ["courses", "check", str(content_copy)])
    assert result.exit_code == 1, result.output
    assert re.search(place.format("error"), result.stdout, re.M)


def test_courses_check_warns_where_a_lesson_uses_a_variant_the_glossary_avoids(
    app: Flask, content_copy: Path
) -> None:
    (content_copy / "courses" / "glossary.yaml").write_text(
        '- use: {fr: "participation symbolique", en: "tokenism"}\n'
        '  avoid: {fr: ["participation de façade"]}\n',
        encoding="utf-8",
    )
    lesson = content_copy / COURSE / "welcome.fr.md"
    lesson.write_text(
        lesson.read_text(encoding="utf-8") + "\nGare à la participation de façade.\n",
        encoding="utf-8",
    )

    result = app.test_cli_runner().invoke(cli, ["courses", "check", str(content_copy)])

    assert result.exit_code == 0, result.output  # a warning: the check still passes
    assert re.search(
        rf"^{COURSE}/welcome\.fr\.md:\d+:\d+: warning: « participation de façade »: "
        "the glossary uses « participation symbolique »$",
        result.stdout,
        re.MULTILINE,
    ), result.stdout
