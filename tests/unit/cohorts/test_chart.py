"""The completions chart's geometry: cumulative steps, ticks, the due date, and labels that
always fit inside the drawing; no app."""

from __future__ import annotations

from datetime import date

import pytest

from lms.cohorts.chart import (
    EDGE,
    HEIGHT,
    WIDTH,
    ChartWords,
    CompletionChart,
    Label,
    completion_chart,
    text_width,
)

START = date(2026, 9, 1)
WORDS = ChartWords(completed="3 completed", everyone="All 8 members", due="Due", count=str)


def words_for(
    completed: int = 0, members: int = 0, due: str | None = "Due date: Oct 31, 2026"
) -> ChartWords:
    return ChartWords(f"{completed} completed", f"All {members} members", due, str)


def inside(label: Label) -> bool:
    left, top, right, bottom = label.box
    return left >= EDGE and right <= WIDTH - EDGE and top >= 0 and bottom <= HEIGHT


def labels(chart: CompletionChart) -> list[Label]:
    return [chart.end_label, chart.goal_label, *([chart.due_label] if chart.due_label else [])]


def test_counts_accumulate_by_day_and_the_line_ends_today() -> None:
    chart = completion_chart(
        [date(2026, 9, 10), date(2026, 9, 10), date(2026, 9, 20)],
        8,
        start=START,
        due_date=date(2026, 10, 31),
        today=date(2026, 10, 1),
        words=WORDS,
    )

    assert [(p.day, p.count) for p in chart.points] == [
        (date(2026, 9, 10), 2),
        (date(2026, 9, 20), 3),
    ]
    assert chart.completed == 3
    assert chart.end.day == date(2026, 10, 1)
    assert chart.x_ticks[0].day == START
    assert chart.x_ticks[-1].day == date(2026, 10, 31)
    assert chart.due is not None
    assert chart.due.x == chart.right
    assert chart.left < chart.points[0].x < chart.points[1].x < chart.end.x < chart.right
    # Two more members completed, so the line went up.
    assert chart.points[1].y < chart.points[0].y < chart.bottom
    assert chart.path.startswith(f"M{float(chart.left)},{float(chart.bottom)}")
    # With room to its left, the total ends just before the line's end, above it.
    assert (chart.end_label.anchor, chart.end_label.x) == ("end", chart.end.x - 4)
    assert chart.end_label.y < chart.end.y


def test_the_count_axis_has_round_steps_reaching_the_cohort_size() -> None:
    chart = completion_chart([], 40, start=START, due_date=None, today=START, words=WORDS)

    assert [t.count for t in chart.y_ticks] == [0, 10, 20, 30, 40]
    assert chart.goal_y == chart.top
    assert [
        t.count
        for t in completion_chart(
            [], 7, start=START, due_date=None, today=START, words=WORDS
        ).y_ticks
    ] == [0, 2, 4, 6, 8]
    assert [
        t.count
        for t in completion_chart(
            [], 1, start=START, due_date=None, today=START, words=WORDS
        ).y_ticks
    ] == [0, 1]


def test_an_empty_cohort_on_its_first_day_still_draws_inside_the_frame() -> None:
    chart = completion_chart([], 0, start=START, due_date=None, today=START, words=words_for())

    assert chart.points == ()
    assert chart.due is None
    assert chart.due_label is None
    assert 0 < chart.top < chart.bottom < HEIGHT
    assert chart.x_ticks[0].day < chart.x_ticks[-1].day
    assert all(inside(label) for label in labels(chart))
    assert not chart.end_label.overlaps(chart.goal_label)


def test_a_completion_after_the_due_date_widens_the_axis() -> None:
    late = date(2026, 12, 1)

    chart = completion_chart(
        [late], 2, start=START, due_date=date(2026, 11, 1), today=late, words=WORDS
    )

    assert chart.x_ticks[-1].day == late
    assert chart.due is not None
    assert chart.due.x < chart.points[0].x


def test_0_completed_at_the_left_edge_is_written_right_of_the_line() -> None:
    """The cohort's first day: the line ends on the axis, with no room left of it."""
    chart = completion_chart(
        [], 12, start=START, due_date=None, today=START, words=words_for(0, 12)
    )

    assert chart.end.x == chart.left
    assert chart.end_label.text == "0 completed"
    assert (chart.end_label.anchor, chart.end_label.x) == ("start", chart.left + 4)
    assert all(inside(label) for label in labels(chart))


@pytest.mark.parametrize(
    ("due_date", "completed"),
    [
        (START, []),  # due the first day: its line on the left edge
        (date(2026, 12, 31), [date(2026, 12, 31)] * 12),  # all done, on the due date
        (date(2026, 9, 2), [START] * 12),  # all done on day one, due the next
    ],
)
def test_long_labels_at_either_edge_stay_inside_and_apart(
    due_date: date, completed: list[date]
) -> None:
    long_due = "Date d’échéance du programme : le mercredi 31 décembre 2026"
    chart = completion_chart(
        completed,
        12,
        start=START,
        due_date=due_date,
        today=due_date,
        words=ChartWords(
            f"{len(completed)} membres ont terminé", "Les 12 membres de la cohorte", long_due, str
        ),
    )

    placed = labels(chart)
    assert all(inside(label) for label in placed), [label.box for label in placed]
    assert not any(a.overlaps(b) for i, a in enumerate(placed) for b in placed[i + 1 :])


def test_the_count_axis_makes_room_for_wide_counts() -> None:
    small = completion_chart([], 8, start=START, due_date=None, today=START, words=WORDS)
    large = completion_chart(
        [],
        120_000,
        start=START,
        due_date=None,
        today=START,
        words=ChartWords("0", "All", None, lambda n: f"{n:,}".replace(",", "\u202f")),
    )

    widest = max(text_width(tick.text) for tick in large.y_ticks)
    assert large.y_ticks[-1].text == "150\u202f000"  # 120,000 rounded up to a step
    assert large.left - 8 - widest >= 22  # clear of the axis's title
    assert large.left > small.left


def test_estimated_widths_grow_with_the_text_and_its_weight() -> None:
    assert text_width("0 completed") < text_width("0 membres ont terminé")
    assert text_width("0 completed") < text_width("0 completed", bold=True)
    # At least the width DejaVu Sans, the widest usual font, draws (0.636 em a digit).
    assert text_width("0000000000") >= 10 * 0.636 * 12
