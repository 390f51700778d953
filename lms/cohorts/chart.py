"""The geometry of a cohort's completions-over-time chart, for a server-rendered SVG: pure."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

WIDTH = 640
HEIGHT = 300
LEFT, RIGHT, TOP, BOTTOM = 56, 24, 28, 56
"""Margins around the plot: room for the axes' labels, written as text."""
X_TICKS = 5
Y_TICKS = 4


@dataclass(frozen=True)
class DateTick:
    day: date
    x: float


@dataclass(frozen=True)
class CountTick:
    count: int
    y: float


@dataclass(frozen=True)
class Point:
    """The number of members completed by the end of ``day``."""

    day: date
    count: int
    x: float
    y: float


@dataclass(frozen=True)
class CompletionChart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    """Edges of the plot area; y grows downwards, as in SVG."""
    members: int
    completed: int
    points: tuple[Point, ...]
    """One per day on which someone completed, in order: the data, also for a table."""
    path: str
    """The cumulative count as an SVG path of steps, from the start to today."""
    end: Point
    """Where the line stops (today, or the last completion): its label says the total."""
    x_ticks: tuple[DateTick, ...]
    y_ticks: tuple[CountTick, ...]
    due: DateTick | None
    """The due date's vertical line, if the cohort has one."""
    goal_y: float
    """The height of "every member completed"."""


def completion_chart(
    completions: Sequence[date],
    members: int,
    *,
    start: date,
    due_date: date | None,
    today: date,
) -> CompletionChart:
    """Members completed over time, from ``start`` to the later of today and the due date.

    ``completions`` holds one date per completed member (in the cohort's time zone).
    """
    first = min([start, *completions])
    last = max([today, *completions, *([due_date] if due_date else [])])
    if last <= first:
        last = first + timedelta(days=1)
    left, right, top, bottom = LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM
    span = (last - first).days
    ceiling, step = _axis(max(members, 1))

    def x_of(day: date) -> float:
        return round(left + (right - left) * (day - first).days / span, 1)

    def y_of(count: int) -> float:
        return round(bottom - (bottom - top) * count / ceiling, 1)

    per_day = sorted(Counter(completions).items())
    points: list[Point] = []
    total = 0
    for day, count in per_day:
        total += count
        points.append(Point(day, total, x_of(day), y_of(total)))
    end_day = max(today, per_day[-1][0]) if per_day else today
    end = Point(end_day, total, x_of(end_day), y_of(total))

    steps = [f"M{x_of(first)},{y_of(0)}"]
    previous = 0
    for point in points:
        steps.append(f"H{point.x}V{y_of(point.count)}")
        previous = point.count
    steps.append(f"H{end.x}V{y_of(previous)}")

    return CompletionChart(
        width=WIDTH,
        height=HEIGHT,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        members=members,
        completed=total,
        points=tuple(points),
        path="".join(steps),
        end=end,
        x_ticks=tuple(DateTick(day, x_of(day)) for day in _date_ticks(first, last)),
        y_ticks=tuple(CountTick(n, y_of(n)) for n in range(0, ceiling + 1, step)),
        due=DateTick(due_date, x_of(due_date)) if due_date is not None else None,
        goal_y=y_of(members),
    )


def _axis(members: int) -> tuple[int, int]:
    """The top of the y axis and its step: a round step (1, 2, 5, 10...) giving at most
    ``Y_TICKS`` intervals, and ``members`` rounded up to a multiple of it."""
    raw = members / Y_TICKS
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    return step * math.ceil(members / step), step


def _date_ticks(first: date, last: date) -> list[date]:
    span = (last - first).days
    days = sorted({round(span * i / (X_TICKS - 1)) for i in range(X_TICKS)})
    return [first + timedelta(days=d) for d in days]
