"""Sessions as iCalendar: what RFC 5545 asks (UTC times, escaping, folding, CRLF), read back
by the icalendar library as calendar apps would."""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar

from lms.live.ical import CalendarEvent, calendar, escape_text, fold

NOW = datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
EVENT = CalendarEvent(
    uid="live-session-7@parcours.example.org",
    starts_at=datetime(2026, 10, 15, 17, 0, tzinfo=UTC),
    ends_at=datetime(2026, 10, 15, 18, 30, tzinfo=UTC),
    summary="Webinaire : partenariat, « patients » et chercheurs; 2e volet",
    description="Ligne 1\nLigne 2, avec une virgule; un point-virgule \\ une barre.\r\n"
    + "Très long texte accentué é " * 12,
    location="Salle 1.23, Pavillon Jeanne-Mance\nMontréal",
    url="https://parcours.example.org/sessions/webinaire-frq",
    sequence=2,
)


def test_a_session_reads_back_with_every_property() -> None:
    data = calendar([EVENT], now=NOW, name="Parcours : mes séances")

    parsed = icalendar.Calendar.from_ical(data)
    (event,) = parsed.walk("VEVENT")
    assert parsed["VERSION"] == "2.0"
    assert str(parsed["PRODID"]).startswith("-//Parcours")
    assert str(parsed["X-WR-CALNAME"]) == "Parcours : mes séances"
    assert str(event["UID"]) == EVENT.uid
    assert event.decoded("DTSTAMP") == NOW
    assert event.decoded("DTSTART") == EVENT.starts_at
    assert event.decoded("DTEND") == EVENT.ends_at
    assert str(event["SUMMARY"]) == EVENT.summary
    assert str(event["DESCRIPTION"]) == EVENT.description.replace("\r\n", "\n")
    assert str(event["LOCATION"]) == EVENT.location
    assert str(event["URL"]) == EVENT.url
    assert str(event["STATUS"]) == "CONFIRMED"
    assert int(event["SEQUENCE"]) == 2


def test_every_line_ends_in_crlf_and_holds_at_most_75_octets() -> None:
    data = calendar([EVENT], now=NOW)

    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in lines)
    assert all(b"\n" not in line and b"\r" not in line for line in lines)
    assert any(line.startswith(b" ") for line in lines)  # the description was folded
    lines[0].decode("utf-8")  # no character cut in two at a fold
    assert all(line.decode("utf-8") for line in lines)


def test_text_is_escaped_as_rfc_5545_says() -> None:
    assert escape_text("a,b;c\\d\ne") == "a\\,b\\;c\\\\d\\ne"
    assert escape_text("bell\x07 and\x00 nul") == "bell and nul"


def test_folding_never_splits_a_character() -> None:
    line = "SUMMARY:" + "é" * 60

    folded = fold(line).encode("utf-8").split(b"\r\n")

    assert [len(part) <= 75 for part in folded] == [True] * len(folded)
    assert b"".join(part.removeprefix(b" ") for part in folded).decode() == line


def test_a_cancelled_session_says_so_and_a_url_cannot_break_a_line() -> None:
    cancelled = CalendarEvent(
        uid="live-session-8@x",
        starts_at=EVENT.starts_at,
        ends_at=EVENT.ends_at,
        summary="S",
        description="",
        location=None,
        url="https://x.example/\r\nATTENDEE:evil",
        cancelled=True,
    )

    data = calendar([cancelled], now=NOW)

    (event,) = icalendar.Calendar.from_ical(data).walk("VEVENT")
    assert str(event["STATUS"]) == "CANCELLED"
    assert "ATTENDEE" not in event
    assert b"\r\nATTENDEE" not in data


def test_a_feed_holds_every_event_and_an_empty_one_is_still_a_calendar() -> None:
    other = CalendarEvent("live-session-9@x", EVENT.starts_at, EVENT.ends_at, "B", "", None, None)

    parsed = icalendar.Calendar.from_ical(calendar([EVENT, other], now=NOW))
    empty = icalendar.Calendar.from_ical(calendar([], now=NOW))

    assert [str(e["UID"]) for e in parsed.walk("VEVENT")] == [EVENT.uid, other.uid]
    assert empty.walk("VEVENT") == []
