"""A learner's progress through one course, from what they did: pure, no Flask, no database."""

from __future__ import annotations

import enum
from collections.abc import Collection
from dataclasses import dataclass

from lms.content import Course, ItemKind, OutlineItem


class ItemState(enum.StrEnum):
    DONE = "done"
    """A lesson marked complete, or a quiz passed."""
    OPEN = "open"
    """Not done yet, and open to the learner."""
    LOCKED = "locked"
    """Not done, and closed until the course's prerequisites are complete."""
    OUT_OF_ATTEMPTS = "out_of_attempts"
    """A quiz not passed whose every allowed attempt is used: only staff can open it again."""


@dataclass(frozen=True)
class ItemProgress:
    key: str
    """The outline key: ``welcome`` for a lesson, ``final.quiz`` for a quiz."""
    kind: ItemKind
    state: ItemState


@dataclass(frozen=True)
class CourseProgress:
    """Where one learner stands in one course."""

    course_id: str
    items: tuple[ItemProgress, ...]
    """Every outline item, in outline order across sections."""
    done: int
    total: int
    percent: int
    """Whole percent of outline items done, rounded down, so 100 means every item is done."""
    complete: bool
    """Every lesson completed and every quiz passed."""
    started: bool
    """The learner opened or completed an item of the current outline."""
    next_item: str | None
    """The outline key "continue" leads to; None when the course is complete or locked, or
    when only quizzes out of attempts are left."""
    missing_prerequisites: tuple[str, ...]
    """Ids of the prerequisite courses not completed yet, in the course's order."""

    @property
    def locked(self) -> bool:
        return bool(self.missing_prerequisites)

    @property
    def out_of_attempts(self) -> tuple[str, ...]:
        """Outline keys of the quizzes the learner can no longer attempt, in outline order."""
        return tuple(item.key for item in self.items if item.state is ItemState.OUT_OF_ATTEMPTS)

    def item(self, key: str | None) -> ItemProgress | None:
        """The outline item ``key``; None if the outline has no such item."""
        return next((item for item in self.items if item.key == key), None)

    def state_of(self, key: str) -> ItemState | None:
        """The state of the outline item ``key``; None if the outline has no such item."""
        found = self.item(key)
        return found.state if found is not None else None


def missing_prerequisites(course: Course, completed_courses: Collection[str]) -> tuple[str, ...]:
    """The prerequisites of ``course`` that are not among ``completed_courses`` (course ids)."""
    return tuple(p for p in course.prerequisites if p not in completed_courses)


def course_progress(
    course: Course,
    completed: Collection[str],
    *,
    completed_courses: Collection[str] = frozenset(),
    last_item: str | None = None,
    out_of_attempts: Collection[str] = frozenset(),
) -> CourseProgress:
    """Progress through ``course`` given the outline keys the learner ``completed``.

    ``completed_courses`` are the ids of the courses the learner completed (for the
    prerequisites); ``last_item`` is the outline key they opened last; ``out_of_attempts``
    the keys of the quizzes they failed as often as allowed (quizzes tell). Keys that are no
    longer in the outline (an author removed a lesson) are ignored: progress is measured
    against the course as it is now.
    """
    missing = missing_prerequisites(course, completed_courses)
    outline = tuple(course.items())
    items = tuple(
        ItemProgress(item.key, item.kind, _state(item, completed, out_of_attempts, bool(missing)))
        for item in outline
    )
    done = sum(1 for item in items if item.state is ItemState.DONE)
    total = len(items)
    complete = total > 0 and done == total
    return CourseProgress(
        course_id=course.id,
        items=items,
        done=done,
        total=total,
        percent=done * 100 // total if total else 0,
        complete=complete,
        started=done > 0 or any(item.key == last_item for item in items),
        next_item=None if complete or missing else _next_item(items, last_item),
        missing_prerequisites=missing,
    )


def adjacent_items(course: Course, key: str) -> tuple[OutlineItem | None, OutlineItem | None]:
    """The outline items just before and just after ``key``, across sections."""
    outline = tuple(course.items())
    index = next((i for i, item in enumerate(outline) if item.key == key), None)
    if index is None:
        return None, None
    before = outline[index - 1] if index > 0 else None
    after = outline[index + 1] if index + 1 < len(outline) else None
    return before, after


def _state(
    item: OutlineItem, completed: Collection[str], out_of_attempts: Collection[str], locked: bool
) -> ItemState:
    # What was done stays done even if a prerequisite was added later: records are not undone.
    if item.key in completed:
        return ItemState.DONE
    if locked:
        return ItemState.LOCKED
    return ItemState.OUT_OF_ATTEMPTS if item.key in out_of_attempts else ItemState.OPEN


def _next_item(items: tuple[ItemProgress, ...], last_item: str | None) -> str | None:
    """The last item opened if still to do; else the first to do after it, wrapping round.

    A quiz out of attempts is not to do: "continue" must never lead back to a closed door.
    """
    keys = [item.key for item in items]
    start = keys.index(last_item) if last_item in keys else 0
    # From the last position onwards first, so that a learner who skipped ahead keeps going
    # forward; then from the top, for the items they skipped.
    for item in items[start:] + items[:start]:
        if item.state is ItemState.OPEN:
            return item.key
    return None
