"""Days as people mean them (in the site's time zone) turned into UTC instants, and back; pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo


@dataclass(frozen=True)
class Period:
    """From the start of ``start`` to the end of ``end`` (both included); None is open-ended."""

    start: date | None = None
    end: date | None = None

    def bounds(self, zone: tzinfo) -> tuple[datetime | None, datetime | None]:
        """UTC instants: the first of the period, and the first after it."""
        since = _midnight(self.start, zone) if self.start is not None else None
        until = _midnight(self.end + timedelta(days=1), zone) if self.end is not None else None
        return since, until


def local_date(moment: datetime, zone: tzinfo) -> date:
    """The day ``moment`` falls on in ``zone``: a completion at 23:30 in Montreal is that day's."""
    return moment.astimezone(zone).date()


def _midnight(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)
