"""The geometry of a cohort's completions-over-time chart, for a server-rendered SVG: pure."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

WIDTH = 640
HEIGHT = 300
LEFT, RIGHT, TOP, BOTTOM = 56, 24, 28, 56
"""Margins around the plot: room for the axes' labels, written as text. The left one grows
when the counts' labels need more."""
X_TICKS = 5
Y_TICKS = 4
FONT_SIZE = 12
"""The labels' size in the SVG's units, as staff.css sets it (``.chart text``)."""
EDGE = 2
"""The least room between a label and the SVG's edge."""
GAP = 4
"""Between a label and the point or line it names."""
AXIS_TITLE_ROOM = 22
"""Left of the counts' labels: the counts axis's title, written upwards."""

# Widths of characters in ems, a little over those of the widest usual sans-serif fonts
# (DejaVu Sans, Verdana): an estimate that errs on the wide side never lets a label be cut.
_NARROW = set("fijlrtI.,:;'’!|()[] \u00a0\u202f")
_WIDE = set("mwMW@%")
_BOLD = 1.15


def text_width(text: str, *, bold: bool = False) -> float:
    """How wide ``text`` is drawn at ``FONT_SIZE``, estimated from its characters."""
    ems = sum(
        0.38 if c in _NARROW else 0.95 if c in _WIDE else 0.75 if c.isupper() else 0.64
        for c in text
    )
    return ems * FONT_SIZE * (_BOLD if bold else 1)


@dataclass(frozen=True)
class ChartWords:
    """The chart's texts in the reader's language, from the caller: where they can go
    depends on how wide they are."""

    completed: str
    """The total, at the end of the line (e.g. "3 completed")."""
    everyone: str
    """Over the line of every member completed (e.g. "All 8 members")."""
    due: str | None
    """Over the due date's line, if the cohort has one."""
    count: Callable[[int], str]
    """A count as the axis writes it (e.g. "1 000")."""


@dataclass(frozen=True)
class Label:
    """A text placed to fit inside the SVG: ``x`` is where its ``anchor`` (SVG's
    ``text-anchor``: start or end) lies; ``y`` is its baseline."""

    text: str
    x: float
    y: float
    anchor: str
    bold: bool = False

    @property
    def box(self) -> tuple[float, float, float, float]:
        """Left, top, right and bottom, as estimated."""
        width = text_width(self.text, bold=self.bold)
        left = self.x - width if self.anchor == "end" else self.x
        return left, self.y - FONT_SIZE, left + width, self.y + FONT_SIZE * 0.3

    def overlaps(self, other: Label) -> bool:
        left, top, right, bottom = self.box
        other_left, other_top, other_right, other_bottom = other.box
        return (
            left < other_right and other_left < right and top < other_bottom and other_top < bottom
        )


@dataclass(frozen=True)
class DateTick:
    day: date
    x: float


@dataclass(frozen=True)
class CountTick:
    count: int
    y: float
    text: str


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
    """Where the line stops (today, or the last completion)."""
    end_label: Label
    """The total, beside the line's end."""
    x_ticks: tuple[DateTick, ...]
    y_ticks: tuple[CountTick, ...]
    due: DateTick | None
    """The due date's vertical line, if the cohort has one."""
    due_label: Label | None
    goal_y: float
    """The height of "every member completed"."""
    goal_label: Label


def completion_chart(
    completions: Sequence[date],
    members: int,
    *,
    start: date,
    due_date: date | None,
    today: date,
    words: ChartWords,
) -> CompletionChart:
    """Members completed over time, from ``start`` to the later of today and the due date.

    ``completions`` holds one date per completed member (in the cohort's time zone);
    ``words`` are the labels, each placed where it fits whole.
    """
    first = min([start, *completions])
    last = max([today, *completions, *([due_date] if due_date else [])])
    if last <= first:
        last = first + timedelta(days=1)
    ceiling, step = _axis(max(members, 1))
    counts = [(n, words.count(n)) for n in range(0, ceiling + 1, step)]
    widest_count = max(text_width(text) for _, text in counts)
    left = max(LEFT, math.ceil(AXIS_TITLE_ROOM + 2 * GAP + widest_count))
    right, top, bottom = WIDTH - RIGHT, TOP, HEIGHT - BOTTOM
    span = (last - first).days

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
    due = DateTick(due_date, x_of(due_date)) if due_date is not None else None
    goal_y = y_of(members)
    labels = _labels(words, end, due, goal_y, plot=(left, top, right, bottom))

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
        end_label=labels[0],
        x_ticks=tuple(DateTick(day, x_of(day)) for day in _date_ticks(first, last)),
        y_ticks=tuple(CountTick(n, y_of(n), text) for n, text in counts),
        due=due,
        due_label=labels[2],
        goal_y=goal_y,
        goal_label=labels[1],
    )


def _labels(
    words: ChartWords,
    end: Point,
    due: DateTick | None,
    goal_y: float,
    *,
    plot: tuple[float, float, float, float],
) -> tuple[Label, Label, Label | None]:
    """The total, the goal's and the due date's labels, each inside the SVG and clear of
    the others: the total goes left of the line's end, else right of it, and below the
    line when above it would cover another label; the goal's moves to its line's right
    end when the total sits at its left end."""
    left, top, right, _bottom = plot
    due_label = _beside(words.due, due.x, top - 10) if due is not None and words.due else None
    goal_label = Label(words.everyone, left + 6, goal_y - 6, "start")
    end_label = _beside(words.completed, end.x, end.y - 8, bold=True)
    if end_label.overlaps(goal_label):
        goal_label = Label(words.everyone, right - 6, goal_y - 6, "end")
    others = [label for label in (goal_label, due_label) if label is not None]
    if any(end_label.overlaps(other) for other in others):
        end_label = _beside(words.completed, end.x, end.y + 8 + FONT_SIZE, bold=True)
    return end_label, goal_label, due_label


def _beside(text: str, x: float, y: float, *, bold: bool = False) -> Label:
    """``text`` ending just left of ``x``; if it has no room there, starting just right of
    it; with no room either side, against the SVG's right edge."""
    width = text_width(text, bold=bold)
    if x - GAP - width >= EDGE:
        return Label(text, x - GAP, y, "end", bold)
    if x + GAP + width <= WIDTH - EDGE:
        return Label(text, x + GAP, y, "start", bold)
    return Label(text, WIDTH - EDGE, y, "end", bold)


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
