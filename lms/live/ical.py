"""The iCalendar format (RFC 5545), pure: events in, the bytes of a ``.ics`` file out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

MEDIA_TYPE = "text/calendar"
PRODUCT_ID = "-//Parcours//Live sessions//FR"
LINE_OCTETS = 75
"""RFC 5545 §3.1: lines longer than this (without the line break) are folded."""


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    """Stable across downloads and feeds, so that calendars update the event, not add one."""
    starts_at: datetime
    ends_at: datetime
    summary: str
    description: str
    location: str | None
    url: str | None
    cancelled: bool = False
    sequence: int = 0
    """Raised each time the session changes (RFC 5545 §3.8.7.4), so that an imported copy
    is replaced by a later download."""


def escape_text(value: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11): backslashes, semicolons, commas and line breaks
    escaped; other control characters, which no property may hold, dropped."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(c for c in value if c == "\n" or (c >= " " and c != "\x7f"))
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def utc_stamp(moment: datetime) -> str:
    """A DATE-TIME in UTC (``20261015T170000Z``), the form every client reads alike."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """``line`` folded into lines of at most 75 octets, continuations starting with a space,
    never splitting a UTF-8 character."""
    encoded = line.encode("utf-8")
    if len(encoded) <= LINE_OCTETS:
        return line
    parts: list[str] = []
    current = ""
    size = 0
    limit = LINE_OCTETS
    for character in line:
        width = len(character.encode("utf-8"))
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
            limit = LINE_OCTETS - 1  # the leading space takes one octet
        current += character
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _uri(value: str) -> str:
    """A URI value: not escaped as text, but never with a line break (it would end the line)."""
    return "".join(c for c in value if c >= " " and c != "\x7f")


def _event_lines(event: CalendarEvent, stamp: str) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{_uri(event.uid)}",
        f"DTSTAMP:{stamp}",
        f"DTSTART:{utc_stamp(event.starts_at)}",
        f"DTEND:{utc_stamp(event.ends_at)}",
        f"SEQUENCE:{event.sequence}",
        f"SUMMARY:{escape_text(event.summary)}",
        f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}",
    ]
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.url:
        lines.append(f"URL:{_uri(event.url)}")
    lines.append("END:VEVENT")
    return lines


def calendar(events: Iterable[CalendarEvent], *, now: datetime, name: str | None = None) -> bytes:
    """A VCALENDAR of ``events`` (stamped ``now``), as the bytes to send: UTF-8, CRLF."""
    stamp = utc_stamp(now)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    if name:
        # Not in RFC 5545, but what calendar apps show as a subscribed calendar's name.
        lines.append(f"X-WR-CALNAME:{escape_text(name)}")
    for event in events:
        lines.extend(_event_lines(event, stamp))
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")
