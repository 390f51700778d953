"""When a learner may no longer attempt a quiz: a pure rule over their attempts."""

from __future__ import annotations

import pytest

from lms.quizzes.limits import is_out_of_attempts


@pytest.mark.parametrize(
    ("max_attempts", "started", "unfinished", "passed", "expected"),
    [
        (3, 3, False, False, True),  # every attempt failed
        (3, 2, False, False, False),  # one left
        (3, 3, True, False, False),  # the last one is still open to finish
        (3, 3, False, True, False),  # passed: nothing is closed
        (None, 40, False, False, False),  # no limit
        (2, 3, False, False, True),  # the author lowered the limit since
    ],
)
def test_out_of_attempts(
    max_attempts: int | None, started: int, unfinished: bool, passed: bool, expected: bool
) -> None:
    assert (
        is_out_of_attempts(max_attempts, started, unfinished=unfinished, passed=passed) is expected
    )
