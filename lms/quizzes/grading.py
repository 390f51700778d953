"""Grading an attempt from what it asked and what was answered: pure, no Flask, no database."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

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
    """Whether the answer earned the question's points; False when not graded."""
    points: int
    """Points earned: all of the question's or none (``multiple`` is all-or-nothing)."""
    max_points: int


@dataclass(frozen=True)
class AttemptGrade:
    results: tuple[QuestionResult, ...]
    """In the order the questions were asked."""
    score: int
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


def grade_question(question: AskedQuestion, value: AnswerValue) -> QuestionResult:
    correct = question.graded and KINDS[question.type].is_correct(question, value)
    return QuestionResult(
        question_id=question.id,
        graded=question.graded,
        answered=is_answered(value),
        correct=correct,
        points=question.points if correct else 0,
        max_points=question.points if question.graded else 0,
    )


def grade(
    questions: Sequence[AskedQuestion], answers: Mapping[str, AnswerValue], pass_mark: int
) -> AttemptGrade:
    """Grade ``answers`` (by question id) to ``questions``; a missing answer counts as wrong."""
    results = tuple(grade_question(q, answers.get(q.id)) for q in questions)
    score = sum(r.points for r in results)
    max_score = sum(r.max_points for r in results)
    return AttemptGrade(
        results=results,
        score=score,
        max_score=max_score,
        pass_mark=pass_mark,
        percent=percent(score, max_score),
        passed=passes(score, max_score, pass_mark),
    )


def percent(score: int, max_score: int) -> int:
    """Whole percent, rounded down; 100 when there was nothing to score."""
    return score * 100 // max_score if max_score else 100


def passes(score: int, max_score: int, pass_mark: int) -> bool:
    """Whether ``score`` reaches ``pass_mark`` percent of ``max_score``.

    Compared in integers: 4 out of 5 is exactly 80 %, with no float rounding either way.
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
