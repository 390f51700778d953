"""Zoom's and Teams' attendance reports, in French and English, read into minutes per address;
every bad line reported with its number, nothing taken from a file that has one."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.live import attendance_report
from lms.live.attendance_report import (
    MAX_FILE_BYTES,
    Platform,
    ProblemKind,
    ReportProblem,
    parse_report,
)

SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "attendance"


def _minutes(name: str) -> dict[str, int]:
    report = parse_report((SAMPLES / name).read_bytes())
    assert report.ok, report.problems
    return {attendee.email: attendee.minutes for attendee in report.attendees}


def test_zoom_in_english_adds_up_a_second_join_and_skips_the_phone_caller() -> None:
    report = parse_report((SAMPLES / "zoom-participants-en.csv").read_bytes())

    assert report.platform is Platform.ZOOM
    assert report.ok
    assert {a.email: (a.minutes, a.lines) for a in report.attendees} == {
        "animation@example.org": (98, (5,)),
        "marie.tremblay@example.org": (88, (6, 7)),
        "luc.gagnon@example.org": (18, (8,)),
    }
    assert report.without_address == (9,)
    luc = next(a for a in report.attendees if a.email == "luc.gagnon@example.org")
    assert luc.name == "Gagnon, Luc (Luc G.)"


def test_zoom_in_french() -> None:
    assert _minutes("zoom-participants-fr.csv") == {
        "animation@example.org": 98,
        "marie.tremblay@example.org": 88,
        "luc.gagnon@example.org": 18,
        "eloise.cote@example.org": 91,
    }
    assert parse_report((SAMPLES / "zoom-participants-fr.csv").read_bytes()).platform is (
        Platform.ZOOM
    )


def test_teams_in_english_reads_the_participants_section_only() -> None:
    report = parse_report((SAMPLES / "teams-attendance-en.csv").read_bytes())

    assert report.platform is Platform.TEAMS
    assert report.ok  # the activities section's bad address is not the participants'
    assert {a.email: a.minutes for a in report.attendees} == {
        "animation@example.org": 94,
        "marie.tremblay@example.org": 90,
        "luc.gagnon@example.org": 18,  # by the sign-in name: the email cell is empty
    }
    assert report.without_address == (14,)


def test_teams_in_french() -> None:
    assert _minutes("teams-attendance-fr.csv") == {
        "animation@example.org": 94,
        "marie.tremblay@example.org": 90,
        "luc.gagnon@example.org": 18,
        "eloise.cote@example.org": 91,
    }


@pytest.mark.parametrize(
    ("duration", "minutes"),
    [
        ("66", 66), ("65.9", 65), ("65,5", 65), ("1h 4m 55s", 64), ("1 h 4 min 55 s", 64),
        ("45m", 45), ("59s", 0), ("2h", 120), ("01:04:55", 64), ("04:30", 4),
        ("1\u00a0h\u00a05\u00a0min", 65),
    ],
)  # fmt: skip
def test_durations_as_each_platform_writes_them(duration: str, minutes: int) -> None:
    data = f"Name,Email,Duration\nAna,ana@example.org,{duration}\n".encode()

    (attendee,) = parse_report(data).attendees

    assert attendee.minutes == minutes


def test_every_bad_line_is_reported_and_nothing_is_taken() -> None:
    data = (
        "Name\tEmail\tIn-Meeting Duration\n"
        "Ana\tana@example.org\t1h 2m\n"
        "Bob\tnot an address\t5m\n"
        "Cy\tcy@example.org\tsoon\n"
        f"Di\tdi@example.org\t{'9' * 2000}\n"
    ).encode("utf-16")

    report = parse_report(data)

    assert not report.ok
    assert report.attendees[0].email == "ana@example.org"
    assert report.problems == (
        ReportProblem(3, ProblemKind.BAD_EMAIL, "not an address"),
        ReportProblem(4, ProblemKind.BAD_DURATION, "soon"),
        ReportProblem(5, ProblemKind.CELL_TOO_LONG, "1000"),
    )


def test_a_quoted_cell_on_two_lines_keeps_the_numbers_of_the_lines_after_it() -> None:
    data = b'Name,Email,Duration (Minutes)\n"Ana\nB.",ana@example.org,5\nBob,bob@,6\n'

    assert parse_report(data).problems == (ReportProblem(4, ProblemKind.BAD_EMAIL, "bob@"),)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"", ProblemKind.EMPTY),
        (b"\n\n", ProblemKind.EMPTY),
        (b"Name,Email,Duration (Minutes)\n", ProblemKind.EMPTY),
        (b"Name,Email\nAna,ana@example.org\n", ProblemKind.NO_PARTICIPANTS_HEADER),
        (b"email;duration\nana@example.org;5\x00\n", ProblemKind.UNREADABLE),
        (b"\xff\xfe\x00\xd8", ProblemKind.UNREADABLE),
        (b"PK\x03\x04" + bytes(range(256)) * 4, ProblemKind.UNREADABLE),
        (b"x" * (MAX_FILE_BYTES + 1), ProblemKind.FILE_TOO_LARGE),
    ],
)
def test_files_that_are_no_report_are_refused_whole(data: bytes, kind: ProblemKind) -> None:
    report = parse_report(data)

    assert report.attendees == ()
    assert [p.kind for p in report.problems] == [kind]


def test_a_header_in_any_case_and_accents_is_recognised() -> None:
    data = "NOM;COURRIEL;DUREE (MINUTES)\nAna;Ana@Example.org;12\n".encode("cp1252")

    report = parse_report(data)

    assert report.platform is Platform.ZOOM
    assert [(a.email, a.minutes) for a in report.attendees] == [("ana@example.org", 12)]


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(
    data=st.one_of(
        st.binary(max_size=2_000),
        st.text(max_size=500).map(lambda t: t.encode("utf-8")),
        st.text(max_size=300).map(lambda t: ("Name\tEmail\tDuration\n" + t).encode("utf-16")),
        st.lists(
            st.tuples(st.text(max_size=30), st.text(max_size=40), st.text(max_size=12)),
            max_size=20,
        ).map(
            lambda rows: (
                "Name,User Email,Duration (Minutes)\n"
                + "\n".join(",".join(f'"{c}"' for c in row) for row in rows)
            ).encode("utf-8", "surrogatepass")
        ),
    )
)
def test_any_bytes_give_a_report_or_its_problems_never_an_exception(data: bytes) -> None:
    report = parse_report(data)

    assert report.ok or report.problems
    assert all(a.minutes >= 0 and a.email == a.email.lower() for a in report.attendees)
    if not report.ok:
        assert all(p.line >= 0 for p in report.problems)


def test_teams_older_list_in_english_adds_the_minutes_between_joins_and_leaves() -> None:
    report = parse_report((SAMPLES / "teams-attendance-list-en.csv").read_bytes())

    assert report.platform is Platform.TEAMS
    assert report.ok, report.problems
    assert {a.email: (a.minutes, a.lines) for a in report.attendees} == {
        "animation@example.org": (94, (8,)),  # never left: until the meeting's end
        "marie.tremblay@example.org": (85, (9, 13, 14, 16)),  # left and came back
        "luc.gagnon@example.org": (18, (10, 12)),
    }
    assert report.without_address == (11, 15)


def test_teams_older_list_in_french() -> None:
    assert _minutes("teams-attendance-list-fr.csv") == {
        "animation@example.org": 94,  # « A rejoint avant »
        "eloise.cote@example.org": 91,
        "marie.tremblay@example.org": 85,
        "luc.gagnon@example.org": 18,
    }


def test_a_list_without_a_summary_counts_who_never_left_until_its_last_line() -> None:
    data = (
        "Full Name\tUser Action\tTimestamp\tEmail\n"
        "Ana\tJoined\t10/15/2026, 1:00:00 PM\tana@example.org\n"
        "Bob\tJoined\t10/15/2026, 1:10:00 PM\tbob@example.org\n"
        "Bob\tLeft\t10/15/2026, 1:50:00 PM\tbob@example.org\n"
    ).encode("utf-16")

    report = parse_report(data)

    assert {a.email: a.minutes for a in report.attendees} == {
        "ana@example.org": 50,
        "bob@example.org": 40,
    }


def test_every_bad_line_of_a_list_is_reported_and_nothing_is_taken() -> None:
    data = (
        "Nom complet\tAction de l'utilisateur\tHorodatage\tCourriel\n"
        "Ana\tA rejoint\t15/10/2026 13:00:00\tana@example.org\n"
        "Bob\tEst parti\t15/10/2026 13:10:00\tbob@example.org\n"
        "Cy\tA quitté\tbientôt\tcy@example.org\n"
        "Di\tA quitté\t15/10/2026 13:10:00\tdi@\n"
    ).encode("utf-16")

    report = parse_report(data)

    assert not report.ok
    assert report.problems == (
        ReportProblem(3, ProblemKind.BAD_ACTION, "Est parti"),
        ReportProblem(4, ProblemKind.BAD_TIMESTAMP, "bientôt"),
        ReportProblem(5, ProblemKind.BAD_EMAIL, "di@"),
    )


def test_a_list_of_names_without_addresses_is_refused_with_its_reason() -> None:
    data = (
        "Meeting Summary\n"
        "Meeting Title\tWebinar\n"
        "\n"
        "Full Name\tUser Action\tTimestamp\n"
        "Ana\tJoined\t10/15/2026, 1:00:00 PM\n"
    ).encode("utf-16")

    report = parse_report(data)

    assert report.attendees == ()
    assert report.problems == (ReportProblem(4, ProblemKind.NO_ADDRESS_COLUMN),)


@pytest.mark.parametrize(
    "header",
    ["Name,Email,Duration (Minutes)", "Full Name,User Action,Timestamp,Email"],
)
def test_a_report_longer_than_the_limit_is_refused_whole(
    monkeypatch: pytest.MonkeyPatch, header: str
) -> None:
    monkeypatch.setattr(attendance_report, "MAX_ROWS", 2)
    row = (
        "Ana,ana@example.org,5"
        if "Duration" in header
        else "Ana,Joined,10/15/2026 1:00 PM,ana@example.org"
    )
    data = "\n".join([header, row, row, row]).encode()

    report = parse_report(data)

    assert report.attendees == ()
    assert report.problems == (ReportProblem(0, ProblemKind.TOO_MANY_ROWS, "2"),)


@pytest.mark.parametrize("duration", ["1:75:00", "00:10:60", "1h 4m 5x"])
def test_a_clock_that_is_no_duration_is_a_bad_line(duration: str) -> None:
    data = f"Name,Email,Duration\nAna,ana@example.org,{duration}\n".encode()

    assert [p.kind for p in parse_report(data).problems] == [ProblemKind.BAD_DURATION]
