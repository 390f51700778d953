"""Microsoft Teams' older attendance list, a log of joins and leaves ("Joined", "Left", « A
rejoint », « A quitté ») with their timestamps: its words and times read, and the minutes
each person spent between a join and the leave after it; pure."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from datetime import datetime, timedelta


class Action(enum.Enum):
    JOINED = "joined"
    LEFT = "left"


ACTION_WORDS = {
    # Compared as ``attendance_report.header_key`` leaves them: no accents, case or spaces.
    "joined": Action.JOINED,
    "joinedbefore": Action.JOINED,
    "arejoint": Action.JOINED,
    "arejointavant": Action.JOINED,
    "rejoint": Action.JOINED,
    "left": Action.LEFT,
    "aquitte": Action.LEFT,
    "quitte": Action.LEFT,
}
""""Joined before": already there when the list began (Teams writes the list's start)."""

_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})[ T,]+"
    r"(?P<h>\d{1,2})(?::|\s*h\s*)(?P<mi>\d{2})(?::(?P<s>\d{2}))?\Z"
)
_SLASHED = re.compile(
    r"(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}),?\s+"
    r"(?P<h>\d{1,2})(?::|\s*h\s*)(?P<mi>\d{2})(?::(?P<s>\d{2}))?"
    r"\s*(?P<ampm>[AaPp]\.?\s?[Mm]\.?)?\Z"
)


def parse_timestamp(text: str) -> datetime | None:
    """A timestamp as Teams writes it in each language: ``10/15/2026, 1:03:00 PM`` (the
    month first, on a 12-hour clock, in English), ``15/10/2026 13:03:00`` (the day first,
    in French), ``2026-10-15 13:03:00`` or ``2026-10-15 13 h 03``; None if none of these."""
    text = " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())
    found = _ISO.match(text)
    if found:
        year, month, day = int(found["y"]), int(found["mo"]), int(found["d"])
        hour = int(found["h"])
    else:
        found = _SLASHED.match(text)
        if found is None:
            return None
        year, first, second = int(found["y"]), int(found["a"]), int(found["b"])
        hour = int(found["h"])
        if found["ampm"]:
            # The 12-hour clock is the United States' way, and so is the month first.
            month, day = first, second
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if found["ampm"][0] in "Pp" else 0)
        else:
            day, month = first, second
    try:
        return datetime(year, month, day, hour, int(found["mi"]), int(found["s"] or 0))
    except ValueError:
        return None


def minutes_present(events: Iterable[tuple[Action, datetime]], *, ended: datetime | None) -> int:
    """Whole minutes between each join and the leave after it, added up; someone still there
    at the end of the list counts until ``ended`` (the meeting's end). A second join while
    present (two devices) changes nothing: the time is counted once."""
    total = timedelta()
    since: datetime | None = None
    for action, moment in sorted(events, key=lambda event: event[1]):
        if action is Action.JOINED:
            since = since or moment
        elif since is not None:
            total += moment - since
            since = None
    if since is not None and ended is not None and ended > since:
        total += ended - since
    return int(total / timedelta(minutes=1))
