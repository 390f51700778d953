"""The mails of live sessions, each in its reader's language, with the session's time in
its own zone and where it happens: a seat, a place on the waiting list, moving up from it,
a change, a cancellation, the reminders the day and the hour before."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l

from lms.i18n import language_or_default
from lms.live.times import when
from lms.mail import Mail, external_url, render_mail

if TYPE_CHECKING:
    from lms.accounts.models import User
    from lms.live.models import LiveSession

TEMPLATES = "live/email"

SessionMail = Callable[["User", "LiveSession"], Mail]
"""A mail about a session to one person."""

__all__ = ["Mail", "SessionMail"]


def _mail(
    template: str,
    user: User,
    live: LiveSession,
    subject: str,
    *,
    with_link: bool = True,
    **extra: Any,
) -> Mail:
    """``template``'s mail to ``user`` about ``live``, in their language (``subject`` too: a
    lazy string, translated by ``render_mail``). The video call's link goes to those who
    hold a seat only (``with_link``)."""
    language = language_or_default(user.language)
    title = live.title(language)
    return render_mail(
        f"{TEMPLATES}/{template}",
        to=user.email,
        language=language,
        subject=subject,
        title=title,
        when=when(live.starts_at, live.ends_at, live.time_zone, language),
        video_url=live.video_url if with_link else None,
        place=live.place,
        page_link=external_url("live.session_page", slug=live.slug),
        calendar_link=external_url("live.session_calendar", slug=live.slug),
        **extra,
    )


def _title(user: User, live: LiveSession) -> str:
    return live.title(language_or_default(user.language))


def registered_mail(user: User, live: LiveSession) -> Mail:
    return _mail(
        "registered", user, live, _l("You are registered: %(title)s", title=_title(user, live))
    )


def waiting_mail(user: User, live: LiveSession) -> Mail:
    subject = _l("On the waiting list: %(title)s", title=_title(user, live))
    return _mail("waiting", user, live, subject, with_link=False)


def moved_up_mail(user: User, live: LiveSession) -> Mail:
    return _mail("moved_up", user, live, _l("A seat is yours: %(title)s", title=_title(user, live)))


def changed_mail(user: User, live: LiveSession) -> Mail:
    return _mail("changed", user, live, _l("Changed: %(title)s", title=_title(user, live)))


def cancelled_mail(user: User, live: LiveSession, reason: str) -> Mail:
    subject = _l("Cancelled: %(title)s", title=_title(user, live))
    return _mail("cancelled", user, live, subject, with_link=False, reason=reason)


def reminder_mail(user: User, live: LiveSession, *, hours: int) -> Mail:
    if hours >= 24:
        return _mail(
            "reminder", user, live, _l("Tomorrow: %(title)s", title=_title(user, live)), hours=hours
        )
    return _mail(
        "reminder", user, live, _l("In an hour: %(title)s", title=_title(user, live)), hours=hours
    )
