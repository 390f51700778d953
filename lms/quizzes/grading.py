"""Grading an attempt from what it asked and what was answered: pure, no Flask, no database."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from fractions import Fraction

from lms.content import ShowAnswers
from lms.quizzes.questions import KINDS, is_answered
from lms.quizzes.snapshot import AnswerValue, AskedQuestion


@dataclass(frozen=True)
class QuestionResult:
    question_id: str
    graded: bool
    """False for a reflection, which is kept but carries no points."""
    answered: bool
    correct: bool
    """Whether the answer earned all of the question's points; False when not graded."""
    points: Decimal
    """Points earned, in hundredths rounded down: all or none, or a share with partial credit."""
    max_points: int

    @property
    def partly_correct(self) -> bool:
        """Some points but not all: a ``scoring: partial`` question half right."""
        return 0 < self.points < self.max_points


@dataclass(frozen=True)
class AttemptGrade:
    results: tuple[QuestionResult, ...]
    """In the order the questions were asked."""
    score: Decimal
    """The sum of the questions' points, as shown beside each of them."""
    max_score: int
    pass_mark: int
    percent: int
    """Whole percent of the points, rounded down, so that a fail never shows the pass mark."""
    passed: bool

    def result(self, question_id: str) -> QuestionResult | None:
        return next((r for r in self.results if r.question_id == question_id), None)


class Disclosure(enum.StrEnum):
    """How much a results page may show of the correct answers."""

    ANSWERS = "answers"
    """Right or wrong per question, the correct answers, feedback and explanations."""
    MISTAKES = "mistakes"
    """Right or wrong per question, the feedback on the choices made and the explanations,
    but not which answers are correct: a retake is not a copy."""
    SCORE = "score"
    """The score and the verdict only, with the learner's own answers."""


HUNDREDTH = Decimal("0.01")


def grade_question(question: AskedQuestion, value: AnswerValue) -> QuestionResult:
    credit = KINDS[question.type].credit(question, value) if question.graded else Fraction(0)
    return QuestionResult(
        question_id=question.id,
        graded=question.graded,
        answered=is_answered(value),
        correct=question.graded and credit == 1,
        points=hundredths(credit * question.points),
        max_points=question.points if question.graded else 0,
    )


def hundredths(points: Fraction) -> Decimal:
    """``points`` rounded down to the hundredth: ⅔ of a point shows, and counts, as 0.66.

    Rounding each question down and summing what is shown keeps the total a learner adds up
    equal to the score, and never credits more than was earned.
    """
    exact = Decimal(points.numerator) / Decimal(points.denominator)
    return exact.quantize(HUNDREDTH, rounding=ROUND_FLOOR)


def grade(
    questions: Sequence[AskedQuestion], answers: Mapping[str, AnswerValue], pass_mark: int
) -> AttemptGrade:
    """Grade ``answers`` (by question id) to ``questions``; a missing answer counts as wrong."""
    results = tuple(grade_question(q, answers.get(q.id)) for q in questions)
    score = sum((r.points for r in results), Decimal(0))
    max_score = sum(r.max_points for r in results)
    return AttemptGrade(
        results=results,
        score=score,
        max_score=max_score,
        pass_mark=pass_mark,
        percent=percent(score, max_score),
        passed=passes(score, max_score, pass_mark),
    )


def percent(score: Decimal | int, max_score: int) -> int:
    """Whole percent, rounded down; 100 when there was nothing to score."""
    return int(score * 100 // max_score) if max_score else 100


def passes(score: Decimal | int, max_score: int, pass_mark: int) -> bool:
    """Whether ``score`` reaches ``pass_mark`` percent of ``max_score``.

    Compared exactly (scores are whole hundredths, never floats): 4 out of 5 is 80 %.
    """
    return score * 100 >= pass_mark * max_score


def disclosure(
    show_answers: ShowAnswers, passed_before: bool, *, no_attempt_left: bool = False
) -> Disclosure:
    """What results pages show, given the quiz's setting, whether the learner ever passed
    and whether they have an attempt left.

    ``after_pass`` opens every attempt's answers once any attempt passed. ``never`` (and
    ``after_pass`` before a pass) shows no right or wrong per question either: with a
    true/false question and a second attempt, right-or-wrong would give the answer away.
    ``after_pass_or_last`` shows the mistakes and their explanations until a pass or the
    last attempt, then the answers (authors choose it knowing the true/false caveat).
    """
    if show_answers is ShowAnswers.AFTER_SUBMIT:
        return Disclosure.ANSWERS
    if show_answers is ShowAnswers.AFTER_PASS and passed_before:
        return Disclosure.ANSWERS
    if show_answers is ShowAnswers.AFTER_PASS_OR_LAST:
        return Disclosure.ANSWERS if passed_before or no_attempt_left else Disclosure.MISTAKES
    return Disclosure.SCORE
