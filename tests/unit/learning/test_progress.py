"""Progress through a course, computed from completed outline keys alone: no app, no database."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms.content import Catalog, Course, ItemKind, load_content
from lms.learning.progress import (
    CourseProgress,
    ItemState,
    adjacent_items,
    course_progress,
    missing_prerequisites,
)

CONTENT = Path(__file__).resolve().parents[2] / "fixtures" / "content" / "learning"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    load = load_content(CONTENT)
    assert not load.problems
    return load.catalog


@pytest.fixture
def basics(catalog: Catalog) -> Course:
    """welcome, first-steps, final.quiz; no prerequisite."""
    course = catalog.course("partnership-basics")
    assert course is not None
    return course


@pytest.fixture
def research(catalog: Catalog) -> Course:
    """introduction, roles; requires partnership-basics."""
    course = catalog.course("research-partnership")
    assert course is not None
    return course


def states(progress: CourseProgress) -> dict[str, ItemState]:
    return {item.key: item.state for item in progress.items}


def test_nothing_done_starts_at_the_first_item(basics: Course) -> None:
    progress = course_progress(basics, set())

    assert states(progress) == {
        "welcome": ItemState.OPEN,
        "first-steps": ItemState.OPEN,
        "final.quiz": ItemState.OPEN,
    }
    assert [item.kind for item in progress.items] == [
        ItemKind.LESSON,
        ItemKind.LESSON,
        ItemKind.QUIZ,
    ]
    assert (progress.done, progress.total, progress.percent) == (0, 3, 0)
    assert not progress.complete
    assert not progress.started
    assert not progress.locked
    assert progress.next_item == "welcome"


def test_percent_is_rounded_down_so_100_means_everything(basics: Course) -> None:
    assert course_progress(basics, {"welcome"}).percent == 33
    assert course_progress(basics, {"welcome", "first-steps"}).percent == 66
    assert course_progress(basics, {"welcome", "first-steps", "final.quiz"}).percent == 100


def test_complete_needs_every_lesson_and_every_quiz(basics: Course) -> None:
    lessons_only = course_progress(basics, {"welcome", "first-steps"})
    assert not lessons_only.complete
    assert lessons_only.next_item == "final.quiz"

    everything = course_progress(basics, {"welcome", "first-steps", "final.quiz"})
    assert everything.complete
    assert everything.started
    assert everything.next_item is None
    assert set(states(everything).values()) == {ItemState.DONE}


def test_keys_no_longer_in_the_outline_are_ignored(basics: Course) -> None:
    progress = course_progress(basics, {"welcome", "removed-lesson", "old.quiz"})
    assert (progress.done, progress.total) == (1, 3)
    assert progress.state_of("removed-lesson") is None
    assert progress.item("removed-lesson") is None


def test_continue_returns_to_the_last_item_while_it_is_not_done(basics: Course) -> None:
    progress = course_progress(basics, {"welcome"}, last_item="final.quiz")
    assert progress.started
    assert progress.next_item == "final.quiz"


def test_continue_goes_forward_from_a_done_last_item_then_wraps(basics: Course) -> None:
    # Opened the first lesson, skipped ahead and finished the quiz: what is left after the
    # quiz comes first, and the skipped lesson after a wrap to the top.
    assert course_progress(basics, {"welcome"}, last_item="welcome").next_item == "first-steps"
    progress = course_progress(basics, {"welcome", "final.quiz"}, last_item="final.quiz")
    assert progress.next_item == "first-steps"


def test_an_unknown_last_item_starts_from_the_top(basics: Course) -> None:
    progress = course_progress(basics, {"welcome"}, last_item="removed-lesson")
    assert progress.next_item == "first-steps"
    assert progress.started


def test_opening_an_item_counts_as_started(basics: Course) -> None:
    assert course_progress(basics, set(), last_item="first-steps").started
    assert not course_progress(basics, set(), last_item="removed-lesson").started


def test_missing_prerequisite_locks_open_items_and_stops_continue(research: Course) -> None:
    progress = course_progress(research, set())

    assert progress.locked
    assert progress.missing_prerequisites == ("partnership-basics",)
    assert set(states(progress).values()) == {ItemState.LOCKED}
    assert progress.next_item is None
    assert missing_prerequisites(research, {"some-other-course"}) == ("partnership-basics",)


def test_completed_prerequisite_opens_the_course(research: Course) -> None:
    progress = course_progress(research, set(), completed_courses={"partnership-basics"})

    assert not progress.locked
    assert progress.missing_prerequisites == ()
    assert states(progress) == {"introduction": ItemState.OPEN, "roles": ItemState.OPEN}
    assert progress.next_item == "introduction"
    assert missing_prerequisites(research, {"partnership-basics"}) == ()


def test_work_done_before_a_lock_stays_done(research: Course) -> None:
    # E.g. an author added the prerequisite after the learner had started.
    progress = course_progress(research, {"introduction"})
    assert states(progress) == {"introduction": ItemState.DONE, "roles": ItemState.LOCKED}
    assert progress.percent == 50


def test_adjacent_items_cross_sections(basics: Course) -> None:
    def keys(key: str) -> tuple[str | None, str | None]:
        before, after = adjacent_items(basics, key)
        return (before.key if before else None, after.key if after else None)

    assert keys("welcome") == (None, "first-steps")
    assert keys("first-steps") == ("welcome", "final.quiz")
    assert keys("final.quiz") == ("first-steps", None)
    assert keys("not-in-outline") == (None, None)


def test_progress_is_frozen(basics: Course) -> None:
    progress = course_progress(basics, {"welcome"})
    with pytest.raises(AttributeError):
        progress.percent = 100  # type: ignore[misc]


def test_a_quiz_out_of_attempts_is_not_where_continue_leads(basics: Course) -> None:
    progress = course_progress(
        basics, set(), last_item="final.quiz", out_of_attempts={"final.quiz"}
    )

    assert states(progress)["final.quiz"] is ItemState.OUT_OF_ATTEMPTS
    assert progress.out_of_attempts == ("final.quiz",)
    # The learner was on the quiz; the next door still open is the first lesson.
    assert progress.next_item == "welcome"
    assert not progress.complete


def test_when_only_a_closed_quiz_is_left_nothing_is_next(basics: Course) -> None:
    progress = course_progress(basics, {"welcome", "first-steps"}, out_of_attempts={"final.quiz"})

    assert progress.next_item is None
    assert not progress.complete
    assert progress.out_of_attempts == ("final.quiz",)


def test_done_and_locked_outrank_out_of_attempts(basics: Course, research: Course) -> None:
    passed_later = course_progress(basics, {"final.quiz"}, out_of_attempts={"final.quiz"})
    assert states(passed_later)["final.quiz"] is ItemState.DONE

    locked = course_progress(research, set(), out_of_attempts={"roles"})
    assert set(states(locked).values()) == {ItemState.LOCKED}
    assert locked.out_of_attempts == ()
