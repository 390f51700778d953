"""Durations as video platforms write them in their attendance reports (Zoom's minutes, Teams'
``1h 4m 55s``, a clock's ``01:04:55``), read into whole minutes; pure."""

from __future__ import annotations

import re

_CLOCK = re.compile(r"(?:(\d{1,3}):)?(\d{1,2}):(\d{2})\Z")
_UNITS = re.compile(
    r"(?:(?P<h>\d{1,3})\s*h(?:r|rs|ours?|eures?)?)?\s*"
    r"(?:(?P<m>\d{1,4})\s*m(?:in|ins|inutes?)?)?\s*"
    r"(?:(?P<s>\d{1,5})\s*s(?:ec|ecs|econdes?|econds?)?)?\Z",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\d{1,5}(?:[.,]\d+)?\Z")


def parse_duration(text: str) -> int | None:
    """Whole minutes in a duration as the platforms write it: ``66`` (Zoom), ``1h 4m 55s``
    or ``1 h 4 min 55 s`` (Teams), ``01:04:55``; None if it is none of these."""
    text = text.strip()
    if _NUMBER.match(text):
        return int(float(text.replace(",", ".")))
    clock = _CLOCK.match(text)
    if clock:
        hours, mins, secs = (int(part or 0) for part in clock.groups())
        # ``04:30`` is minutes and seconds; with hours before them, minutes stop at 59.
        if secs >= 60 or (clock.group(1) is not None and mins >= 60):
            return None
        return hours * 60 + mins + secs // 60
    units = _UNITS.match(text.replace("\u00a0", " "))
    if units and any(units.groupdict().values()):
        hours, mins, secs = (int(units[name] or 0) for name in ("h", "m", "s"))
        return hours * 60 + mins + secs // 60
    return None
