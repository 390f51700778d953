"""Privacy's commands: ``lms privacy purge`` deletes accounts inactive beyond retention."""

from __future__ import annotations

import click
from flask.cli import AppGroup, with_appcontext

from lms.config import current_settings
from lms.db import get_session
from lms.privacy import services

privacy = AppGroup("privacy", help="Personal data: retention of inactive accounts.")


@privacy.command("purge")
@click.option("--dry-run", is_flag=True, help="List what would be deleted; change nothing.")
@with_appcontext
def purge(dry_run: bool) -> None:
    """Delete accounts inactive for LMS_RETENTION_YEARS years (last seen, or created)."""
    years = current_settings().retention_years
    if years == 0:
        click.echo("LMS_RETENTION_YEARS is 0: accounts are kept however long inactive.")
        return
    session = get_session()
    result = services.purge_inactive(session, years, dry_run=dry_run)
    since = result.cutoff.date().isoformat()
    ids = _listed(result.user_ids) or "none"
    if dry_run:
        click.echo(
            f"Dry run: {len(result.user_ids)} account(s) not seen since {since} "
            f"would be deleted (ids: {ids}). Nothing was changed."
        )
    else:
        session.commit()
        click.echo(
            f"Deleted {len(result.user_ids)} account(s) not seen since {since} (ids: {ids})."
        )
    if result.skipped_ids:
        verb = "Would keep" if dry_run else "Kept"
        click.echo(
            f"{verb} {len(result.skipped_ids)} inactive last administrator(s) "
            f"(ids: {_listed(result.skipped_ids)}): make someone else an administrator first."
        )


def _listed(ids: tuple[int, ...]) -> str:
    return ", ".join(str(i) for i in ids)
