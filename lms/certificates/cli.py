"""``lms certificates ...``: the signing key, previews, expiry reminders, catching up."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import click
from flask.cli import AppGroup

from lms.accounts import queries as accounts
from lms.catalog import current_catalog, held_back_certificates
from lms.certificates import issuing, renewal
from lms.certificates.artifacts import duration_minutes, local_day
from lms.certificates.badges import KEY_SIZE, generate_signing_key
from lms.certificates.keys import DEVELOPMENT_KEY_FILE
from lms.certificates.pdf import document_for, mode_for, render_certificate_pdf
from lms.config import current_settings, load_settings
from lms.content import SUPPORTED_LANGUAGES, Catalog, load_content
from lms.db import get_session, utcnow
from lms.learning import queries as learning
from lms.learning import services as learning_services
from lms.outbox.sending import send_now
from lms.outbox.services import enqueue

PREVIEW_CODE = "PRC-0000-0000-0000-0000"
"""Printed on previews: a code no certificate can have been given by chance."""

certificates = AppGroup("certificates", help="Certificates: signing key, previews, reminders.")


@certificates.command("keygen", with_appcontext=False)
@click.argument("path", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--bits", default=KEY_SIZE, show_default=True, help="RSA modulus size.")
def keygen(path: Path | None, bits: int) -> None:
    """Create the RSA key that signs Open Badges, at PATH (default: LMS_SIGNING_KEY_FILE).

    Never overwrites a key: badges already issued would no longer verify.
    """
    settings = load_settings()
    target = path or settings.signing_key_file or DEVELOPMENT_KEY_FILE
    if bits < 2048:
        raise click.BadParameter("RS256 needs 2048 bits or more.", param_hint="--bits")
    try:
        generate_signing_key(target, key_size=bits)
    except FileExistsError:
        raise click.ClickException(
            f"{target} exists already: Parcours never replaces a signing key, since the badges "
            "it signed would no longer verify."
        ) from None
    click.echo(f"Created a {bits}-bit signing key in {target} (readable by its owner only).")
    click.echo(f"Keep a backup of it, and set LMS_SIGNING_KEY_FILE={target.resolve()}")


@certificates.command("preview", with_appcontext=False)
@click.argument("definition_id")
@click.option("--name", required=True, help="The holder's name to print.")
@click.option(
    "--lang",
    type=click.Choice(SUPPORTED_LANGUAGES),
    help="The learner's language (default: LMS_DEFAULT_LANGUAGE); bilingual ones print both.",
)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
def preview(definition_id: str, name: str, lang: str | None, output: Path) -> None:
    """Render the certificate DEFINITION_ID for NAME into a PDF file, as it would be issued.

    Reads the content root's files as they are now (no app, no database), so authors see
    their edits at once. The code printed is a placeholder.
    """
    settings = load_settings()
    catalog = load_content(settings.content_dir).catalog
    definition = catalog.certificates.get(definition_id)
    if definition is None:
        known = ", ".join(sorted(catalog.certificates)) or "none"
        raise click.ClickException(
            f"No valid certificate definition {definition_id!r} in {settings.content_dir} "
            f"(known: {known}); `lms courses check` lists the problems."
        )
    today = local_day(utcnow(), settings.zone)
    expires = (
        today + timedelta(days=definition.valid_for_days) if definition.valid_for_days else None
    )
    document = document_for(
        definition,
        holder_name=name,
        issued_on=today,
        expires_on=expires,
        code=PREVIEW_CODE,
        # Built by hand: with no app there is no URL map, and this is /verify/<code>.
        verify_url=f"{settings.base_url}/verify/{PREVIEW_CODE}",
        mode=mode_for(definition, lang or settings.default_language),
        duration_minutes=duration_minutes(catalog, definition.requires),
    )
    output.write_bytes(render_certificate_pdf(document))
    click.echo(f"Wrote {output} ({document.mode.value}).")


@certificates.command("remind-expiring")
@click.option(
    "--within-days",
    type=click.IntRange(min=1),
    help="Remind of certificates expiring within this many days (default: "
    "LMS_CERTIFICATE_RENEWAL_DAYS).",
)
@click.option(
    "--dry-run", is_flag=True, help="List who would be reminded; send and record nothing."
)
def remind_expiring(within_days: int | None, dry_run: bool) -> None:
    """Mail each learner whose certificate expires soon, once per certificate."""
    days = within_days or current_settings().certificate_renewal_days
    session = get_session()
    if dry_run:
        found = renewal.expiring_certificates(session, within_days=days)
        for certificate in found:
            expires = certificate.expires_at
            day = local_day(expires, current_settings().zone) if expires else None
            click.echo(f"{certificate.code}  {certificate.user.email}  expires {day}")
        click.echo(f"{len(found)} learner(s) would be reminded.")
        session.rollback()
        return
    mails = renewal.remind_expiring(session, within_days=days)
    # Queued with their record: a failure to send leaves them in the outbox, never sends two.
    queued = enqueue(session, mails)
    session.commit()
    sent = send_now(session, queued)
    click.echo(f"{sent} of {len(mails)} reminder(s) sent.")


@certificates.command("issue-due")
def issue_due() -> None:
    """Complete the courses whose every step is done, and issue every certificate learners
    have earned but not received.

    For a completion lost to two last steps at once (before they waited for each other),
    definitions added after learners completed their courses, a learner who has since
    added their name or confirmed their address, or an issue that failed: it is safe to run
    at any time.
    """
    session = get_session()
    catalog, held_back = current_catalog(), held_back_certificates()
    for definition_id, placeholder in held_back.items():
        click.echo(
            f"Not issuing '{definition_id}': {placeholder.path}:{placeholder.line} has "
            f"placeholder text '{placeholder.phrase}'.",
            err=True,
        )
    issued = _complete_finished_courses(catalog)
    for user in accounts.users_by_id(
        session, learning.learners_with_a_completed_course(session)
    ).values():
        issued += len(issuing.issue_due_certificates(session, user, catalog, held_back=held_back))
        session.commit()  # one learner at a time: their mail is queued with theirs
    click.echo(f"{issued} certificate(s) issued.")


def _complete_finished_courses(catalog: Catalog) -> int:
    """Complete each enrolment whose every step is done but whose completion was never
    recorded, saying which; the number of certificates those completions issued."""
    session = get_session()
    outlines = {
        course.id: [item.key for item in course.items()] for course in catalog.courses.values()
    }
    found = learning.uncompleted_with_every_item_done(session, outlines)
    users = accounts.users_by_id(session, {user_id for user_id, _course_id in found})
    completed = issued = 0
    for user_id, course_id in found:
        user, course = users.get(user_id), catalog.courses[course_id]
        if user is None or not learning_services.complete_if_every_item_done(session, user, course):
            session.rollback()
            continue  # completed meanwhile, by the learner's own request
        certificates_issued = issuing.issued_on_completion(session)
        session.commit()  # one at a time: the learner's lock is held until here
        completed += 1
        issued += len(certificates_issued)
        codes = "".join(f", issued {c.definition_id} ({c.code})" for c in certificates_issued)
        click.echo(
            f"Completed {course_id} for user {user_id}: every step was done, but the "
            f"completion was not recorded{codes}."
        )
    if completed:
        click.echo(f"{completed} course completion(s) repaired.")
    return issued
