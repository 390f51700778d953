"""When a session happens: times typed in its time zone turned into UTC and back, and said
in the reader's language; pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, get_timezone_name

DEFAULT_ZONE = "America/Montreal"
"""Quebec's time: where most sessions of the program happen."""

ZONES = (
    "America/Montreal",
    "America/Toronto",
    "America/Halifax",
    "America/Moncton",
    "America/St_Johns",
    "America/Winnipeg",
    "America/Regina",
    "America/Edmonton",
    "America/Vancouver",
    "Europe/Paris",
    "Europe/Brussels",
    "UTC",
)
"""The zones staff may schedule in: Canada's, and the francophone partners' in Europe."""

LOCALES = {"fr": "fr_CA", "en": "en_CA"}


class TimeDoesNotExist(ValueError):
    """The local time falls in the hour skipped when clocks go forward (2:30 in March)."""


def to_utc(day: date, clock: time, zone_name: str) -> datetime:
    """The UTC instant of ``clock`` on ``day`` in ``zone_name``.

    A time the clocks skip is refused rather than moved by an hour without a word; a time
    they repeat (in November) is its first occurrence, daylight time.
    """
    zone = ZoneInfo(zone_name)
    local = datetime.combine(day, clock, tzinfo=zone)
    moment = local.astimezone(UTC)
    if moment.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise TimeDoesNotExist(f"{day} {clock} does not exist in {zone_name}")
    return moment


def in_zone(moment: datetime, zone_name: str) -> datetime:
    return moment.astimezone(ZoneInfo(zone_name))


@dataclass(frozen=True)
class When:
    """A session's day and hours as its page says them, in its own time zone."""

    day: str
    """``jeudi 15 octobre 2026``."""
    hours: str
    """``13 h 00 – 14 h 30 HAE``; the end's day too when it ends on another day
    (``9 h 00 – vendredi 16 octobre 2026, 12 h 00 HAE``), and each time's zone abbreviation
    when the clocks change between them."""
    zone: str
    """The zone's name for people: ``heure de l’Est``."""

    @property
    def text(self) -> str:
        return f"{self.day}, {self.hours}"


def when(starts_at: datetime, ends_at: datetime, zone_name: str, language: str) -> When:
    """``starts_at`` to ``ends_at`` said in ``language``, in the session's zone."""
    locale = LOCALES.get(language, LOCALES["fr"])
    zone = ZoneInfo(zone_name)
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    start_text = format_time(start, "short", locale=locale)
    end_text = format_time(end, "short", locale=locale)
    if end.date() != start.date():
        # The day said as the start's is (``full``), so that a reader sees two days.
        end_text = f"{format_date(end, 'full', locale=locale)}, {end_text}"
    start_zone = get_timezone_name(start, "short", locale=locale)
    end_zone = get_timezone_name(end, "short", locale=locale)
    if start_zone != end_zone:
        # Summer time ended (or began) during the session: each time says its own.
        start_text = f"{start_text} {start_zone}"
    return When(
        day=format_date(start, "full", locale=locale),
        hours=f"{start_text} – {end_text} {end_zone}",
        zone=get_timezone_name(zone, "long", locale=locale),
    )


def minutes_between(starts_at: datetime, ends_at: datetime) -> int:
    return int((ends_at - starts_at) / timedelta(minutes=1))


def default_minimum_minutes(starts_at: datetime, ends_at: datetime) -> int:
    """Minutes attended that count as present, unless staff say otherwise: three quarters
    of the session (a learner who came late or left early for a call still counts)."""
    return max(1, minutes_between(starts_at, ends_at) * 3 // 4)
