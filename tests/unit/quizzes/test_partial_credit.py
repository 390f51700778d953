"""``scoring: partial``: right boxes ticked minus wrong ones, floored at 0, as a share of the
question's points; shown as such in results and item analysis. Pure, without an app."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from lms.content import Question, Scoring
from lms.quizzes.grading import Disclosure, grade, grade_question
from lms.quizzes.item_analysis import SubmittedAttempt, analyse
from lms.quizzes.pages import form_questions, result_questions
from lms.quizzes.snapshot import snapshot_from_json, snapshot_to_json
from tests.unit.quizzes.test_grading import asked, choice, multiple, single, text


def partial(points: int = 2) -> Question:
    """Choices A and C are correct, B and D are not."""
    return replace(multiple(points=points), scoring=Scoring.PARTIAL)


def three_right(points: int = 1) -> Question:
    return Question(
        id="three",
        type=multiple().type,
        prompt=text("Pick the three"),
        points=points,
        choices=(choice("A", True), choice("B", True), choice("C", True), choice("D")),
        scoring=Scoring.PARTIAL,
    )


@pytest.mark.parametrize(
    ("ticked", "points", "correct", "partly"),
    [
        ([0, 2], Decimal(2), True, False),
        ([0], Decimal(1), False, True),
        ([2, 3], Decimal(0), False, False),  # one right, one wrong: they cancel out
        ([0, 1, 2, 3], Decimal(0), False, False),  # ticking every box earns nothing
        ([1, 3], Decimal(0), False, False),  # floored at 0, never negative
        ([0, 1, 2], Decimal(1), False, True),
    ],
)
def test_each_right_box_earns_a_share_and_each_wrong_one_takes_one_away(
    ticked: list[int], points: Decimal, correct: bool, partly: bool
) -> None:
    result = grade_question(asked(partial()), ticked)

    assert result.points == points
    assert result.max_points == 2
    assert result.correct is correct
    assert result.partly_correct is partly


def test_all_or_nothing_stays_the_default() -> None:
    question = asked(multiple())

    assert grade_question(question, [0]).points == 0
    assert grade_question(question, [0, 2]).points == 2


def test_shares_round_down_to_the_hundredth_and_the_score_is_what_is_shown() -> None:
    one_of_three = grade_question(asked(three_right()), [0])
    two_of_three = grade_question(asked(three_right()), [0, 1])

    assert one_of_three.points == Decimal("0.33")
    assert two_of_three.points == Decimal("0.66")

    # Three questions each earning a third: 0.99 out of 3, the sum of what each shows.
    questions = [replace(asked(three_right()), id=f"q{n}") for n in range(3)]
    graded = grade(questions, {"q0": [0], "q1": [1], "q2": [2]}, pass_mark=30)
    assert graded.score == Decimal("0.99")
    assert graded.percent == 33
    assert graded.passed


def test_a_partial_score_passes_exactly_at_the_pass_mark() -> None:
    # 2 points of partial, 3 single questions: 5 points, 80 % is 4.
    questions = [asked(partial()), *(asked(single(f"s{n}")) for n in range(3))]
    right = {f"s{n}": 1 for n in range(3)}

    half = grade(questions, {"many": [0], **right}, pass_mark=80)
    full = grade(questions, {"many": [0, 2], **right}, pass_mark=80)

    assert (half.score, half.percent, half.passed) == (Decimal(4), 80, True)
    assert (full.score, full.passed) == (Decimal(5), True)
    missed = grade(questions, {"many": [0], "s0": 1, "s1": 1}, pass_mark=80)
    assert (missed.score, missed.percent, missed.passed) == (Decimal(3), 60, False)


def test_a_snapshot_keeps_the_scoring_and_old_snapshots_score_all_or_nothing() -> None:
    kept = snapshot_from_json(snapshot_to_json((asked(partial()),)))[0]
    old = snapshot_to_json((asked(partial()),))
    del old[0]["scoring"]

    assert kept.scoring is Scoring.PARTIAL
    assert grade_question(kept, [0]).points == 1
    assert snapshot_from_json(old)[0].scoring is Scoring.ALL_OR_NOTHING
    assert grade_question(snapshot_from_json(old)[0], [0]).points == 0


def test_the_form_says_a_question_gives_partial_credit() -> None:
    shown = form_questions([asked(partial()), asked(multiple("other"))], {}, "en")

    assert [q.partial_credit for q in shown] == [True, False]


@pytest.mark.parametrize(
    ("disclosure", "points", "partly"),
    [
        (Disclosure.ANSWERS, Decimal(1), True),
        (Disclosure.MISTAKES, Decimal(1), True),
        (Disclosure.SCORE, None, False),
    ],
)
def test_results_show_a_partly_right_answer_when_marks_are_disclosed(
    disclosure: Disclosure, points: Decimal | None, partly: bool
) -> None:
    questions = [asked(partial())]
    answers = {"many": [0]}

    (shown,) = result_questions(questions, answers, grade(questions, answers, 80), disclosure, "en")

    assert shown.points == points
    assert shown.partly_correct is partly
    assert shown.correct is (False if disclosure is not Disclosure.SCORE else None)


def test_item_analysis_counts_partly_right_answers_and_the_average_score() -> None:
    questions = (asked(partial()), asked(single()))
    attempts = [
        SubmittedAttempt(questions, {"many": [0, 2], "pick": 1}),
        SubmittedAttempt(questions, {"many": [0], "pick": 0}),
        SubmittedAttempt(questions, {"many": [0, 3], "pick": 1}),
        SubmittedAttempt(questions, {"pick": 1}),
    ]

    many, pick = analyse(attempts, order=["many", "pick"])

    assert (many.asked, many.answered, many.correct, many.partly_correct) == (4, 3, 1, 1)
    assert many.partial_credit is True
    assert many.average_score == pytest.approx(0.5)  # (1 + 0.5 + 0) / 3
    assert many.share_correct == pytest.approx(1 / 3)
    assert (pick.correct, pick.partly_correct, pick.partial_credit) == (3, 0, False)
    assert pick.average_score == pytest.approx(0.75)
