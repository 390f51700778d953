"""Cohorts' commands, for operators and scheduled jobs: cohorts, rosters, reports, reminders."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import click
from flask.cli import AppGroup
from flask_babel import force_locale

from lms.catalog import current_catalog
from lms.cohorts import imports, services
from lms.cohorts.dashboard import ReportQuery
from lms.cohorts.exports import CsvDialect
from lms.cohorts.models import Cohort
from lms.cohorts.reminders import SkipReason
from lms.cohorts.roster import MAX_FILE_BYTES, parse_roster
from lms.cohorts.wording import problem_text
from lms.config import current_settings
from lms.content import SUPPORTED_LANGUAGES
from lms.db import get_session, utcnow
from lms.errors import DomainError
from lms.outbox.sending import send_now
from lms.outbox.services import enqueue, queued_in

LANGUAGE_OPTION = click.option(
    "--language",
    type=click.Choice(SUPPORTED_LANGUAGES),
    help="Language of the messages and headers. Default: LMS_DEFAULT_LANGUAGE.",
)


@contextmanager
def _in_language(language: str | None) -> Iterator[str]:
    chosen = language or current_settings().default_language
    with force_locale(chosen):
        yield chosen


def _cohort(reference: str) -> Cohort:
    try:
        return services.find_cohort_by_reference(get_session(), reference)
    except services.CohortNotFound:
        raise click.ClickException(
            f"There is no cohort named (or numbered) {reference!r}."
        ) from None


cohorts = AppGroup("cohorts", help="Create cohorts and import their rosters.")


@cohorts.command("create")
@click.argument("name")
@click.option("--certificate", "certificate_id", required=True, help="The certificate's id.")
@click.option("--due", type=click.DateTime(formats=["%Y-%m-%d"]), help="Due date, YYYY-MM-DD.")
def cohorts_create(name: str, certificate_id: str, due: datetime | None) -> None:
    """Create the cohort NAME working toward a certificate."""
    session = get_session()
    try:
        cohort = services.create_cohort(
            session,
            current_catalog(),
            name=name,
            certificate_id=certificate_id,
            due_date=due.date() if due is not None else None,
            actor=None,
        )
    except DomainError as error:
        raise click.ClickException(str(error.message)) from None
    session.commit()
    click.echo(f"Created cohort {cohort.id}: {cohort.name}.")


@cohorts.command("import")
@click.argument("reference", metavar="COHORT")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@LANGUAGE_OPTION
def cohorts_import(reference: str, file: Path, language: str | None) -> None:
    """Import the roster FILE (CSV or XLSX) into COHORT (its name or number).

    The whole file is checked first: with any problem, each is printed as FILE:LINE: message,
    nothing is imported and the command exits with 1.
    """
    cohort = _cohort(reference)
    with file.open("rb") as opened:
        # One byte past the limit: enough for parse_roster to refuse a larger file unread.
        roster = parse_roster(opened.read(MAX_FILE_BYTES + 1), file.name)
    with _in_language(language):
        if not roster.ok:
            for problem in roster.problems:
                click.echo(f"{file}:{problem.line}: {problem_text(problem)}", err=True)
            raise click.ClickException(
                f"{len(roster.problems)} problem(s) in {file}: nothing was imported."
            )
        session = get_session()
        result = imports.import_roster(
            session, cohort, roster, actor=None, secret_key=current_settings().secret_key
        )
        queued = list(queued_in(session))
        session.commit()
        sent = send_now(session, queued)
    click.echo(
        f"Imported into {cohort.name}: {result.added} added ({result.linked} with an account, "
        f"{result.invited} invited), {result.updated} updated; {sent} invitation(s) sent."
    )


report = AppGroup("report", help="Write reports, e.g. for scheduled jobs.")


@report.command("cohort")
@click.argument("reference", metavar="COHORT")
@click.option(
    "--format", "kind", type=click.Choice(["csv", "xlsx"]), default="csv", show_default=True
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="The file to write.",
)
@click.option("--status", help="Only members in this status (e.g. overdue, completed).")
@click.option("--sector", help="Only members of this FRQ sector (health, society_culture...).")
@LANGUAGE_OPTION
@click.option(
    "--csv-dialect",
    type=click.Choice([d.value for d in CsvDialect]),
    help="CSV for Excel in French (fr: semicolons, decimal commas) or in English (en: commas, "
    "decimal points). Default: the language of the headers, as the download does.",
)
def report_cohort(
    reference: str,
    kind: str,
    output: Path,
    status: str | None,
    sector: str | None,
    language: str | None,
    csv_dialect: str | None,
) -> None:
    """Write COHORT's dashboard (every member) as CSV or XLSX, the same as its download."""
    cohort = _cohort(reference)
    query = ReportQuery.from_args({"status": status or "", "sector": sector or ""})
    if (status and query.status is None) or (sector and query.sector is None):
        raise click.ClickException("Unknown --status or --sector value.")
    session = get_session()
    with _in_language(language) as chosen:
        export = services.export_report(
            session,
            current_catalog(),
            cohort,
            query,
            kind=kind,
            language=chosen,
            csv_dialect=CsvDialect(csv_dialect) if csv_dialect else CsvDialect.for_language(chosen),
            zone=current_settings().zone,
            now=utcnow(),
            actor=None,
        )
    output.write_bytes(export.content)
    session.commit()
    click.echo(f"Wrote {export.rows} member(s) of {cohort.name} to {output}.")


reminder_commands = AppGroup("reminders", help="Remind cohort members who are behind.")


@reminder_commands.command("send")
@click.option("--cohort", "reference", metavar="COHORT", help="Only this cohort.")
@click.option("--dry-run", is_flag=True, help="Print who would get a reminder; send nothing.")
def reminders_send(reference: str | None, dry_run: bool) -> None:
    """Mail members who have not completed, as their due date nears or is past.

    Uses LMS_REMINDER_WINDOW_DAYS and LMS_REMINDER_INTERVAL_DAYS; each learner gets one
    mail, in their language, and none again within the interval.
    """
    session, catalog, settings, now = get_session(), current_catalog(), current_settings(), utcnow()
    cohort = _cohort(reference) if reference else None
    plan = services.reminder_plan(session, catalog, settings, now=now, cohort=cohort)
    planned = plan.reminders
    for reminder in planned:
        behind = "; ".join(
            f"{b.cohort} (due {b.due_date.isoformat()}): {', '.join(b.courses_left) or '-'}"
            for b in reminder.cohorts
        )
        click.echo(f"{reminder.email}: {behind}")
    for skipped in plan.skipped:
        # Said, so that an operator sees why someone behind got nothing.
        why = "invited" if skipped.reason is SkipReason.INVITED else "reminded"
        click.echo(f"{skipped.email}: skipped, {why} {skipped.since.isoformat(timespec='minutes')}")
    if dry_run:
        click.echo(f"Dry run: {len(planned)} reminder(s) would be sent; nothing was sent.")
        return
    mails = services.record_reminders(
        session, catalog, planned, actor=None, now=now, secret_key=settings.secret_key
    )
    queued = enqueue(session, mails)
    session.commit()
    sent = send_now(session, queued)
    click.echo(f"Sent {sent} of {len(mails)} reminder(s).")
