"""Sessions turned into calendar events with their links: one session's ``.ics`` and a
learner's feed (``lms.live.ical`` writes them)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from urllib.parse import urlsplit

from flask_babel import force_locale
from flask_babel import gettext as _

from lms.config import current_settings
from lms.live.ical import CalendarEvent, calendar
from lms.live.models import LiveSession
from lms.mail import external_url


def event_of(live: LiveSession, language: str) -> CalendarEvent:
    """``live`` as an event in ``language``: its page and call link in the description, the
    place (or the call) as its location."""
    page = external_url("live.session_page", slug=live.slug)
    host = urlsplit(current_settings().base_url).hostname or "parcours"
    with force_locale(language):
        lines = [live.description(language).strip()]
        if live.video_url:
            lines.append(_("Video call: %(link)s", link=live.video_url))
        if live.place:
            lines.append(_("Place: %(place)s", place=live.place))
        lines.append(_("The session’s page: %(link)s", link=page))
    return CalendarEvent(
        uid=f"live-session-{live.id}@{host}",
        starts_at=live.starts_at,
        ends_at=live.ends_at,
        summary=live.title(language),
        description="\n\n".join(line for line in lines if line),
        location=live.place or live.video_url,
        url=live.video_url or page,
        cancelled=live.cancelled_at is not None,
        sequence=live.sequence,
    )


def session_file(live: LiveSession, language: str, *, now: datetime) -> bytes:
    return calendar([event_of(live, language)], now=now)


def feed_file(sessions: Iterable[LiveSession], language: str, *, now: datetime) -> bytes:
    with force_locale(language):
        name = _("Parcours: my live sessions")
    return calendar((event_of(live, language) for live in sessions), now=now, name=name)
