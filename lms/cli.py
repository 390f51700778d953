"""The ``lms`` command: Flask's commands plus database, users, content checks and setup."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import FlaskGroup
from sqlalchemy import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from lms import backup, create_app, jobs, schema
from lms.accounts import queries as account_queries
from lms.accounts import second_factor
from lms.accounts import services as accounts
from lms.accounts.categories import Role
from lms.admin import cli as admin_cli
from lms.catalog import CACHE_DIR
from lms.certificates.cli import certificates
from lms.cohorts import cli as cohorts_cli
from lms.config import ConfigurationError, current_settings, load_settings
from lms.content import ContentLoad, load_content
from lms.content.glossary import GLOSSARY_FILE, glossary_problems, read_glossary
from lms.content.loader import COURSES_DIR, enclosing_root
from lms.content.problems import Problem, Severity
from lms.content.yamlnodes import Report
from lms.db import create_db_engine, get_session
from lms.live import queries as live_queries
from lms.live.cli import sessions as live_sessions
from lms.outbox import cli as outbox_cli
from lms.privacy.cli import privacy

SETUP_ADMIN_EMAIL = "admin@localhost"


@click.group(cls=FlaskGroup, create_app=create_app, load_dotenv=False)
def cli() -> None:
    """Parcours: course engine with certification."""


@cli.group()
def db() -> None:
    """Apply or undo database migrations."""


@db.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Migrate the database up to REVISION (default: the latest)."""
    url = current_settings().database_url
    schema.upgrade(url, revision)
    click.echo(f"Database at revision {schema.current_revision(url)}.")


@db.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Migrate the database down to REVISION (``-1`` for one step, ``base`` for empty)."""
    url = current_settings().database_url
    schema.downgrade(url, revision)
    click.echo(f"Database at revision {schema.current_revision(url) or 'base'}.")


@db.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def db_backup(file: Path) -> None:
    """Copy the SQLite database to FILE while the site runs (never over an existing file)."""
    url = current_settings().database_url
    try:
        backup.backup_sqlite(url, file)
    except backup.NotSQLite:
        click.echo(
            "This database is not SQLite. Back PostgreSQL up with its own tool, e.g.:\n"
            f'  pg_dump --format=custom --file={file} "$DATABASE_URL"\n'
            "(with the LMS_DATABASE_URL address written as postgresql://..., without +psycopg).",
            err=True,
        )
        sys.exit(2)
    except backup.BackupRefused as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    click.echo(f"Database copied to {file}.")


@cli.group()
def users() -> None:
    """Manage user accounts."""


@users.command("create")
@click.option("--email", required=True, help="The sign-in address.")
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    default=Role.LEARNER.value,
    show_default=True,
)
@click.option("--password", help="Default: a random password, printed once.")
def users_create(email: str, role: str, password: str | None) -> None:
    """Create a user account."""
    generated = password is None
    chosen = accounts.generate_password() if password is None else password
    session = get_session()
    try:
        # Made by the operator, who vouches for the address: no confirmation mail to wait for.
        user = accounts.create_user(session, email, chosen, Role(role), email_confirmed=True)
    except accounts.EmailAlreadyRegistered:
        raise click.ClickException(f"A user with the email {email!r} already exists.") from None
    session.commit()
    click.echo(f"Created {user.role} {user.email}.")
    if generated:
        click.echo(f"Password: {chosen}")


@users.command("remove-2fa")
@click.argument("email")
def users_remove_2fa(email: str) -> None:
    """Turn off EMAIL's two-step verification, for a person who lost their phone and their
    recovery codes (check first that it is them). Kept in the audit trail."""
    session = get_session()
    user = account_queries.find_user_by_email(session, email)
    if user is None or not user.has_second_factor:
        raise click.ClickException(f"No account of {email!r} has two-step verification on.")
    second_factor.remove(session, user)
    session.commit()
    click.echo(f"Two-step verification is off for {user.email}; they sign in with their password.")


users.add_command(admin_cli.set_role)
cli.add_command(cohorts_cli.cohorts)
cli.add_command(cohorts_cli.report)
cli.add_command(cohorts_cli.reminder_commands)


@cli.group()
def courses() -> None:
    """Check course content."""


@courses.command("check", with_appcontext=False)
@click.argument("root", required=False, type=click.Path(file_okay=False, path_type=Path))
def courses_check(root: Path | None) -> None:
    """Check every course and certificate under ROOT.

    ROOT defaults to the current folder when it (or a folder above it) holds courses/ or
    certificates/, else to the configured content root (LMS_CONTENT_DIR). Prints each
    problem as ``path:line[:column]: severity: message`` and exits 1 if any is an error.
    Placeholder text in a certificate definition ("à configurer", "example.org") is an
    error when LMS_ENV is production, a warning otherwise. The live sessions a definition
    requires (``requires_sessions``) are looked up in the site's database (LMS_DATABASE_URL):
    an id or tag no session has is an error.
    """
    # No app here: loading it would read (and log) the same content a second time.
    settings = load_settings()
    content_root, why = _root_to_check(root, settings.content_dir)
    if not content_root.is_dir():
        raise click.ClickException(f"{content_root} is not a folder.")
    # Said first, and always: a check of the wrong folder must never pass for an all-clear.
    click.echo(f"Checking {content_root.resolve()} ({why}).", err=True)
    # The server's folder of kept reads: files unchanged since any read are not parsed again.
    loaded = load_content(content_root, cache_dir=settings.instance_dir / CACHE_DIR)
    # Placeholder text only stops a production server; elsewhere it is a reminder.
    problems = loaded.problems_in(production=settings.is_production)
    problems = (*problems, *_glossary_problems(content_root / COURSES_DIR))
    problems = (*problems, *_session_problems(loaded, settings.database_url))
    for problem in sorted(problems):
        click.echo(problem.format())
    errors = sum(1 for p in problems if p.is_error)
    warnings = len(problems) - errors
    click.echo(
        f"{len(loaded.catalog.courses)} course(s), {len(loaded.catalog.certificates)} "
        f"certificate(s) checked: {errors} error(s), {warnings} warning(s).",
        err=True,
    )
    sys.exit(1 if errors else 0)


def _glossary_problems(courses: Path) -> list[Problem]:
    """The glossary's own problems, then a warning at each variant it says to avoid."""
    report = Report(courses / GLOSSARY_FILE)
    variants = read_glossary(courses, report)
    return [*report.problems, *glossary_problems(courses, variants)]


def _session_problems(loaded: ContentLoad, database_url: str) -> list[Problem]:
    """An error at each session id or tag a definition requires that no session scheduled in
    the database has (sessions are made in the app, not in files); a warning at the first
    when the database cannot tell."""
    references = loaded.session_references
    if not references:
        return []
    url = make_url(database_url)
    missing_file = url.get_backend_name() == "sqlite" and not Path(url.database or "").is_file()
    unknown: list[Problem] | None = None
    if not missing_file:
        engine = create_db_engine(database_url, poolclass=NullPool)
        try:
            with Session(engine) as session:
                unknown = live_queries.unknown_session_problems(session, references)
        except SQLAlchemyError:
            unknown = None
        finally:
            engine.dispose()
    if unknown is None:
        first = references[0]
        message = (
            "'requires_sessions' not checked: the site's database (LMS_DATABASE_URL) has no "
            "live sessions to compare with; run `lms db upgrade`, or point LMS_DATABASE_URL at it"
        )
        return [Problem(first.path, first.line, first.column, Severity.WARNING, message)]
    return unknown


def _root_to_check(given: Path | None, configured: Path) -> tuple[Path, str]:
    """The content root to check, and why that one."""
    if given is not None:
        return given, "the folder given"
    here = enclosing_root(Path.cwd())
    if here is not None:
        return here, "the content folder you are in"
    return configured, "the configured content root, LMS_CONTENT_DIR"


@cli.command("setup")
@click.option(
    "--url", default="http://127.0.0.1:5000", show_default=True, help="Where the site will be."
)
def setup(url: str) -> None:
    """Prepare a fresh install: migrate the database and create a first admin if none exists."""
    settings = current_settings()
    schema.upgrade(settings.database_url)
    session = get_session()
    if account_queries.admin_exists(session):
        click.echo("Database up to date; an administrator already exists.")
        return
    password = accounts.generate_password()
    try:
        accounts.create_user(session, SETUP_ADMIN_EMAIL, password, Role.ADMIN, email_confirmed=True)
    except accounts.EmailAlreadyRegistered:
        raise click.ClickException(
            f"{SETUP_ADMIN_EMAIL} exists but is not an administrator; create one with "
            "`lms users create --role admin`."
        ) from None
    session.commit()
    click.echo("Parcours is ready. Sign in with (shown only this once):")
    click.echo(f"  URL:      {url.rstrip('/')}/accounts/sign-in")
    click.echo(f"  Email:    {SETUP_ADMIN_EMAIL}")
    click.echo(f"  Password: {password}")


cli.add_command(certificates)
cli.add_command(privacy)
cli.add_command(outbox_cli.mail)
cli.add_command(live_sessions)
cli.add_command(jobs.worker)


def main() -> None:
    try:
        cli.main(prog_name="lms")
    except ConfigurationError as error:
        # A settings mistake is the operator's to fix: say what it is, without a traceback.
        click.echo(f"Error: {error}", err=True)
        sys.exit(2)
