"""The mails cohorts send: reminders to members who are behind, in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from lms.accounts.tokens import MAX_AGE, Purpose
from lms.mail import Mail, external_url, render_mail

TEMPLATES = "cohorts/email"


@dataclass(frozen=True)
class ReminderItem:
    """One cohort a learner is behind in."""

    cohort: str
    due_date: date
    courses_left: tuple[str, ...]
    """Titles of the required courses not completed, in the reader's language."""


def reminder_mail(
    *,
    to: str,
    language: str,
    name: str,
    items: tuple[ReminderItem, ...],
    invitation_token: str | None,
) -> Mail:
    """What is left to do and by when; with an invitation link if no password was set yet."""
    return render_mail(
        f"{TEMPLATES}/reminder",
        to=to,
        language=language,
        subject=_l("Reminder: your Parcours training is due soon"),
        name=name,
        items=items,
        dashboard_link=external_url("learning.dashboard"),
        invitation_link=(
            external_url("links.accept_invitation", token=invitation_token)
            if invitation_token is not None
            else None
        ),
        days=MAX_AGE[Purpose.ACCEPT_INVITATION].days,
    )
