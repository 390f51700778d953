"""Session times: typed in the session's zone, kept in UTC, said in the reader's language."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from lms.live.times import TimeDoesNotExist, default_minimum_minutes, to_utc, when


def test_a_local_time_becomes_utc_with_the_zone_offset_of_its_day() -> None:
    summer = to_utc(date(2026, 7, 2), time(13, 0), "America/Montreal")
    winter = to_utc(date(2026, 12, 2), time(13, 0), "America/Montreal")
    paris = to_utc(date(2026, 12, 2), time(13, 0), "Europe/Paris")

    assert summer == datetime(2026, 7, 2, 17, 0, tzinfo=UTC)
    assert winter == datetime(2026, 12, 2, 18, 0, tzinfo=UTC)
    assert paris == datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def test_a_time_the_clocks_skip_is_refused() -> None:
    with pytest.raises(TimeDoesNotExist):
        to_utc(date(2026, 3, 8), time(2, 30), "America/Montreal")


def test_a_time_the_clocks_repeat_is_its_first_occurrence() -> None:
    assert to_utc(date(2026, 11, 1), time(1, 30), "America/Montreal") == datetime(
        2026, 11, 1, 5, 30, tzinfo=UTC
    )


def test_a_session_is_said_in_its_zone_in_each_language() -> None:
    start = datetime(2026, 10, 15, 17, 0, tzinfo=UTC)
    end = datetime(2026, 10, 15, 18, 30, tzinfo=UTC)

    french = when(start, end, "America/Montreal", "fr")
    english = when(start, end, "America/Montreal", "en")

    assert french.day == "jeudi 15 octobre 2026"
    assert french.hours == "13 h 00 – 14 h 30 HAE"
    assert english.day == "Thursday, October 15, 2026"
    assert english.hours.startswith("1:00")
    assert english.zone == "Eastern Time"


def test_a_session_over_midnight_names_the_day_it_ends() -> None:
    start = datetime(2026, 10, 16, 3, 0, tzinfo=UTC)  # 23:00 in Montreal
    end = datetime(2026, 10, 16, 5, 0, tzinfo=UTC)

    assert "16 octobre 2026" in when(start, end, "America/Montreal", "fr").hours


def test_three_quarters_of_a_session_count_as_present_by_default() -> None:
    start = datetime(2026, 10, 15, 17, 0, tzinfo=UTC)

    assert default_minimum_minutes(start, datetime(2026, 10, 15, 18, 0, tzinfo=UTC)) == 45


def test_a_session_over_two_days_says_both_days_in_full() -> None:
    start = datetime(2027, 3, 18, 13, 0, tzinfo=UTC)  # 9:00 in Montreal
    end = datetime(2027, 3, 19, 16, 0, tzinfo=UTC)

    french = when(start, end, "America/Montreal", "fr")
    english = when(start, end, "America/Montreal", "en")

    assert french.text == "jeudi 18 mars 2027, 09 h 00 – vendredi 19 mars 2027, 12 h 00 HAE"
    assert english.day == "Thursday, March 18, 2027"
    assert "Friday, March 19, 2027, 12:00" in english.hours


def test_a_session_across_the_change_of_clocks_says_each_times_zone() -> None:
    start = datetime(2026, 10, 31, 13, 0, tzinfo=UTC)  # Saturday 9:00, daylight time
    end = datetime(2026, 11, 1, 17, 0, tzinfo=UTC)  # Sunday 12:00, standard time

    assert when(start, end, "America/Montreal", "fr").text == (
        "samedi 31 octobre 2026, 09 h 00 HAE – dimanche 1 novembre 2026, 12 h 00 HNE"
    )
