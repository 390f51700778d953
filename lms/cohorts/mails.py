"""The mails cohorts send: reminders to members who are behind, in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l

from lms.accounts.tokens import MAX_AGE, Purpose
from lms.live.times import when
from lms.mail import Mail, external_url, render_mail

if TYPE_CHECKING:
    from lms.live.models import LiveSession

TEMPLATES = "cohorts/email"


@dataclass(frozen=True)
class ReminderItem:
    """One cohort a learner is behind in."""

    cohort: str
    due_date: date
    courses_left: tuple[str, ...]
    """Titles of the required courses not completed, in the reader's language."""
    sessions_missing: int = 0
    """Live sessions still to attend for the certificate."""
    sessions: tuple[SessionLine, ...] = ()
    """The sessions to come that count, not attended yet."""


@dataclass(frozen=True)
class SessionLine:
    """A live session a reminder names: its title and when, in the reader's language."""

    title: str
    when: str
    link: str


def session_line(live: LiveSession, language: str) -> SessionLine:
    return SessionLine(
        title=live.title(language),
        when=when(live.starts_at, live.ends_at, live.time_zone, language).text,
        link=external_url("live.session_page", slug=live.slug),
    )


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
