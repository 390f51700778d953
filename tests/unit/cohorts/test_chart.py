"""The completions chart's geometry: cumulative steps, ticks and the due date; no app."""

from __future__ import annotations

from datetime import date

from lms.cohorts.chart import HEIGHT, completion_chart

START = date(2026, 9, 1)


def test_counts_accumulate_by_day_and_the_line_ends_today() -> None:
    chart = completion_chart(
        [date(2026, 9, 10), date(2026, 9, 10), date(2026, 9, 20)],
        8,
        start=START,
        due_date=date(2026, 10, 31),
        today=date(2026, 10, 1),
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


def test_the_count_axis_has_round_steps_reaching_the_cohort_size() -> None:
    chart = completion_chart([], 40, start=START, due_date=None, today=START)

    assert [t.count for t in chart.y_ticks] == [0, 10, 20, 30, 40]
    assert chart.goal_y == chart.top
    assert [
        t.count for t in completion_chart([], 7, start=START, due_date=None, today=START).y_ticks
    ] == [0, 2, 4, 6, 8]
    assert [
        t.count for t in completion_chart([], 1, start=START, due_date=None, today=START).y_ticks
    ] == [0, 1]


def test_an_empty_cohort_on_its_first_day_still_draws_inside_the_frame() -> None:
    chart = completion_chart([], 0, start=START, due_date=None, today=START)

    assert chart.points == ()
    assert chart.due is None
    assert 0 < chart.top < chart.bottom < HEIGHT
    assert chart.x_ticks[0].day < chart.x_ticks[-1].day


def test_a_completion_after_the_due_date_widens_the_axis() -> None:
    late = date(2026, 12, 1)

    chart = completion_chart([late], 2, start=START, due_date=date(2026, 11, 1), today=late)

    assert chart.x_ticks[-1].day == late
    assert chart.due is not None
    assert chart.due.x < chart.points[0].x
