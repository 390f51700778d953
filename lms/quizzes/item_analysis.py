"""Quiz item analysis from attempts' snapshots: per question, answers, share correct, average
score (partial credit), the most chosen wrong answer; pure, no Flask, no database."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from lms.content import Localized, QuestionType, Scoring
from lms.quizzes.grading import grade_question
from lms.quizzes.questions import is_index, normalize_text
from lms.quizzes.snapshot import AnswerValue, AskedQuestion

_T = TypeVar("_T")


@dataclass(frozen=True)
class SubmittedAttempt:
    """What one submitted attempt asked and what was answered."""

    questions: Sequence[AskedQuestion]
    answers: Mapping[str, AnswerValue]


@dataclass(frozen=True)
class WrongAnswer:
    """The wrong answer given most often to a question: a choice, a truth value or a text."""

    count: int
    choice: Localized | None = None
    truth: bool | None = None
    text: str | None = None
    """For a typed answer: the form it was most often typed in."""


@dataclass(frozen=True)
class QuestionStats:
    question_id: str
    type: QuestionType
    prompt: Localized
    """As the latest attempt asked it."""
    asked: int
    answered: int
    correct: int
    """Answers that earned all the points."""
    partly_correct: int
    """Answers that earned some of the points, not all (``scoring: partial``)."""
    earned_share: float
    """The sum over answers of the share of the points each earned, 0 to 1."""
    partial_credit: bool
    most_chosen_wrong: WrongAnswer | None

    @property
    def share_correct(self) -> float | None:
        """Correct answers among answers given; None when nobody answered."""
        return self.correct / self.answered if self.answered else None

    @property
    def average_score(self) -> float | None:
        """The average share of the points an answer earned; None when nobody answered."""
        return self.earned_share / self.answered if self.answered else None


@dataclass
class _Tally:
    question: AskedQuestion
    asked: int = 0
    answered: int = 0
    correct: int = 0
    partly_correct: int = 0
    earned_share: float = 0.0
    wrong_choices: Counter[int] = field(default_factory=Counter)
    wrong_truths: Counter[bool] = field(default_factory=Counter)
    wrong_texts: Counter[str] = field(default_factory=Counter)
    typed_forms: dict[str, Counter[str]] = field(default_factory=dict)


def analyse(attempts: Iterable[SubmittedAttempt], order: Sequence[str] = ()) -> list[QuestionStats]:
    """Statistics per graded question over ``attempts`` (oldest first).

    Reflections are left out: they are the learner's own, never scored, and stay private.
    Questions come in ``order`` (the quiz's as it is now), then any others, as first met.
    A question's prompt and choices are named as the latest attempt asked them; choices
    are counted by their position in the quiz file, which stays the same across shuffles.
    """
    tallies: dict[str, _Tally] = {}
    for attempt in attempts:
        for question in attempt.questions:
            if not question.graded:
                continue
            tally = tallies.setdefault(question.id, _Tally(question))
            tally.question = question
            _count(tally, question, attempt.answers.get(question.id))
    known = [qid for qid in order if qid in tallies]
    rest = [qid for qid in tallies if qid not in set(order)]
    return [_stats(tallies[qid]) for qid in (*known, *rest)]


def _count(tally: _Tally, question: AskedQuestion, value: AnswerValue) -> None:
    tally.asked += 1
    result = grade_question(question, value)
    if not result.answered:
        return
    tally.answered += 1
    if result.max_points:
        tally.earned_share += float(result.points / result.max_points)
    tally.partly_correct += result.partly_correct
    if result.correct:
        tally.correct += 1
        return
    if question.type is QuestionType.SINGLE and is_index(value):
        tally.wrong_choices[value] += 1
    elif question.type is QuestionType.MULTIPLE and isinstance(value, list):
        # Of an answer short of full marks, what was wrong is each incorrect choice ticked.
        incorrect = {c.index for c in question.choices if not c.correct}
        tally.wrong_choices.update(i for i in value if i in incorrect)
    elif question.type is QuestionType.TRUE_FALSE and isinstance(value, bool):
        tally.wrong_truths[value] += 1
    elif question.type is QuestionType.TEXT and isinstance(value, str):
        # "Coconstruction" and "co-construction" are one answer, as grading sees them.
        key = normalize_text(value)
        tally.wrong_texts[key] += 1
        tally.typed_forms.setdefault(key, Counter())[value] += 1


def _stats(tally: _Tally) -> QuestionStats:
    question = tally.question
    return QuestionStats(
        question_id=question.id,
        type=question.type,
        prompt=question.prompt,
        asked=tally.asked,
        answered=tally.answered,
        correct=tally.correct,
        partly_correct=tally.partly_correct,
        earned_share=tally.earned_share,
        partial_credit=question.scoring is Scoring.PARTIAL,
        most_chosen_wrong=_most_chosen_wrong(tally),
    )


def _most_chosen_wrong(tally: _Tally) -> WrongAnswer | None:
    if tally.wrong_choices:
        index, count = _most_common(tally.wrong_choices)
        choice = next((c for c in tally.question.choices if c.index == index), None)
        return WrongAnswer(count, choice=choice.text if choice else Localized.plain(f"#{index}"))
    if tally.wrong_truths:
        truth, count = _most_common(tally.wrong_truths)
        return WrongAnswer(count, truth=truth)
    if tally.wrong_texts:
        key, count = _most_common(tally.wrong_texts)
        typed, _ = _most_common(tally.typed_forms[key])
        return WrongAnswer(count, text=typed)
    return None


def _most_common(counter: Counter[_T]) -> tuple[_T, int]:
    # Ties go to the smallest key, so that the same data always gives the same answer.
    return min(counter.items(), key=lambda item: (-item[1], str(item[0])))


@dataclass(frozen=True)
class ObjectiveStats:
    """The questions that check one lesson objective (None: those that name none), together."""

    objective_id: str | None
    questions: tuple[QuestionStats, ...]

    @property
    def answered(self) -> int:
        return sum(q.answered for q in self.questions)

    @property
    def share_correct(self) -> float | None:
        """Correct answers among answers given to these questions; None when nobody answered."""
        correct = sum(q.correct for q in self.questions)
        return correct / self.answered if self.answered else None

    @property
    def average_score(self) -> float | None:
        """The average share of the points earned by answers to these questions."""
        earned = sum(q.earned_share for q in self.questions)
        return earned / self.answered if self.answered else None


def by_objective(
    stats: Sequence[QuestionStats], objective_of: Mapping[str, str | None]
) -> list[ObjectiveStats]:
    """``stats`` grouped by the objective each question checks (``objective_of``, by question
    id), in the order the objectives first come; the questions naming none come last."""
    groups: dict[str | None, list[QuestionStats]] = {}
    for question in stats:
        groups.setdefault(objective_of.get(question.question_id), []).append(question)
    ordered = [key for key in groups if key is not None] + ([None] if None in groups else [])
    return [ObjectiveStats(key, tuple(groups[key])) for key in ordered]
