"""Teams' older attendance list: its timestamps in each language, and the minutes between
each join and the leave after it."""

from __future__ import annotations

from datetime import datetime

import pytest

from lms.live.attendance_log import Action, minutes_present, parse_timestamp

JOINED, LEFT = Action.JOINED, Action.LEFT


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("10/15/2026, 1:03:00 PM", datetime(2026, 10, 15, 13, 3)),
        ("10/15/2026, 12:05:09 AM", datetime(2026, 10, 15, 0, 5, 9)),
        ("10/15/2026 12:05 PM", datetime(2026, 10, 15, 12, 5)),
        ("1/2/2026, 9:00:00 a.m.", datetime(2026, 1, 2, 9, 0)),
        ("15/10/2026 13:03:00", datetime(2026, 10, 15, 13, 3)),
        ("02/01/2026 09:00", datetime(2026, 1, 2, 9, 0)),
        ("2026-10-15 13:03:00", datetime(2026, 10, 15, 13, 3)),
        ("2026-10-15T13:03:00", datetime(2026, 10, 15, 13, 3)),
        ("2026-10-15 13 h 03", datetime(2026, 10, 15, 13, 3)),
        ("15/10/2026\u00a013:03:00", datetime(2026, 10, 15, 13, 3)),
    ],
)
def test_timestamps_as_teams_writes_them(text: str, moment: datetime) -> None:
    assert parse_timestamp(text) == moment


@pytest.mark.parametrize(
    "text",
    ["", "soon", "13:03", "10/15/2026 13:03:00", "2026-02-30 10:00", "10/15/2026 13:00 PM",
     "2026-10-15 25:00"],
)  # fmt: skip
def test_what_is_no_timestamp(text: str) -> None:
    assert parse_timestamp(text) is None


def at(hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(2026, 10, 15, hour, minute, second)


def test_each_join_counts_until_the_leave_after_it() -> None:
    events = [(JOINED, at(13, 0)), (LEFT, at(13, 40, 59)), (JOINED, at(13, 50)), (LEFT, at(14, 10))]

    assert minutes_present(events, ended=at(15, 0)) == 60


def test_someone_who_never_left_counts_until_the_end() -> None:
    assert minutes_present([(JOINED, at(13, 0))], ended=at(14, 31, 40)) == 91
    assert minutes_present([(JOINED, at(13, 0))], ended=None) == 0


def test_a_second_join_while_present_is_not_counted_twice() -> None:
    events = [(JOINED, at(13, 0)), (JOINED, at(13, 10)), (LEFT, at(13, 30)), (LEFT, at(13, 35))]

    assert minutes_present(events, ended=at(14, 0)) == 30


def test_events_out_of_order_are_put_in_order() -> None:
    assert minutes_present([(LEFT, at(13, 45)), (JOINED, at(13, 0))], ended=at(14, 0)) == 45
