"""Administration's commands: ``lms users set-role``."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from lms.accounts import queries as accounts
from lms.accounts.categories import Role
from lms.accounts.services import LastAdministrator
from lms.admin import services
from lms.db import get_session


@click.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice([r.value for r in Role]))
@with_appcontext
def set_role(email: str, role: str) -> None:
    """Give the account of EMAIL the role ROLE (learner, staff or admin)."""
    session = get_session()
    user = accounts.find_user_by_email(session, email)
    if user is None:
        raise click.ClickException(f"There is no account with the email {email!r}.")
    try:
        changed = services.set_role(session, user, Role(role), actor=None)
    except LastAdministrator:
        raise click.ClickException(
            f"{user.email} is the last administrator: make someone else one first."
        ) from None
    session.commit()
    click.echo(f"{user.email} is now {role}." if changed else f"{user.email} was already {role}.")
