"""``scoring:`` on a ``multiple`` question: all-or-nothing by default, ``partial`` on demand."""

from __future__ import annotations

from collections.abc import Callable

from lms.content import Scoring, load_content
from tests.unit.content.conftest import QUIZ_YAML, MakeRoot

QUIZ = "courses/demo/final.quiz.yaml"
TICK_BOXES = """\
  - id: tick-boxes
    type: multiple
    prompt: {en: "Tick", fr: "Cochez"}
SCORING    choices:
      - {text: {en: "A", fr: "A"}, correct: true}
      - {text: {en: "B", fr: "B"}, correct: true}
      - {text: {en: "C", fr: "C"}}
"""


def with_question(scoring_line: str) -> str:
    return QUIZ_YAML + TICK_BOXES.replace("SCORING", scoring_line)


def test_partial_scoring_is_read_and_all_or_nothing_is_the_default(make_root: MakeRoot) -> None:
    partial = load_content(make_root({QUIZ: with_question("    scoring: partial\n")}))
    default = load_content(make_root({QUIZ: with_question("")}))

    assert partial.problems == ()
    assert default.problems == ()
    assert partial.catalog.courses["demo"].quizzes["final"].question("tick-boxes").scoring is (
        Scoring.PARTIAL
    )
    assert default.catalog.courses["demo"].quizzes["final"].question("tick-boxes").scoring is (
        Scoring.ALL_OR_NOTHING
    )


def test_an_unknown_scoring_is_an_error_with_its_line(check: Callable[..., list[str]]) -> None:
    problems = check({QUIZ: with_question("    scoring: partal\n")})

    assert len(problems) == 1
    assert problems[0].startswith(f"{QUIZ}:20:14:")
    assert "'scoring' 'partal' is not one of: all_or_nothing, partial" in problems[0]
    assert "did you mean 'partial'?" in problems[0]


def test_scoring_applies_to_multiple_questions_only(check: Callable[..., list[str]]) -> None:
    quiz = QUIZ_YAML.replace("    type: single\n", "    type: single\n    scoring: partial\n")

    problems = check({QUIZ: quiz})

    assert len(problems) == 1
    assert "question 'pick-one': 'scoring' does not apply to single questions" in problems[0]
