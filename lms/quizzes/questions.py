"""What each question type does: snapshot, form parsing, correctness, widget; pure Python."""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from types import MappingProxyType
from typing import TypeGuard

from lms.content import Question, QuestionType, Quiz, Scoring
from lms.quizzes.snapshot import AnswerValue, AskedChoice, AskedQuestion

TEXT_MAX_LENGTH = 200
"""A text answer is a word or a phrase; the input's ``maxlength`` says the same."""
REFLECTION_MAX_LENGTH = 10_000
"""About three pages: room for a considered reflection, not for abuse of the database."""

_APOSTROPHES = str.maketrans(dict.fromkeys("\u2018\u2019\u02bc`", "'"))
"""Typographic apostrophes (as in « l’expérience ») count as the typewriter one."""
_MINUS_SIGN = "\u2212"
"""A dash to a reader, but a maths symbol (Sm) to Unicode; other dashes are Pd after NFKD."""


class AnswerNotValid(ValueError):
    """A submitted value that the quiz's own form could not have sent."""

    def __init__(self, question_id: str, reason: str) -> None:
        super().__init__(f"question '{question_id}': {reason}")
        self.question_id = question_id


# Text matching ------------------------------------------------------------------------------


def normalize_text(text: str) -> str:
    """``text`` reduced to what a match compares: no accents, case, spaces or dashes.

    Learners type on phones and French keyboards: "Co-construction", "coconstruction" and
    "co construction" must all count, and so must "experientiel" for "expérientiel".
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    # Punctuation at the ends ("coconstruction.", « savoir ») is not part of the answer.
    start, end = 0, len(folded)
    while start < end and _is_edge(folded[start]):
        start += 1
    while end > start and _is_edge(folded[end - 1]):
        end -= 1
    return "".join(c for c in folded[start:end] if not _is_space_or_dash(c))


def _is_space_or_dash(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) == "Pd" or char == _MINUS_SIGN


def _is_edge(char: str) -> bool:
    return _is_space_or_dash(char) or unicodedata.category(char).startswith("P")


def text_matches(answer: str, accepted: Sequence[str]) -> bool:
    given = normalize_text(answer)
    return bool(given) and any(given == normalize_text(text) for text in accepted)


# Snapshot builders: what an attempt keeps of a question -------------------------------------


def _common(question: Question) -> AskedQuestion:
    return AskedQuestion(
        id=question.id,
        type=question.type,
        points=question.points if question.type is not QuestionType.REFLECTION else 0,
        prompt=question.prompt,
        explanation=question.explanation,
    )


def _snapshot_choices(question: Question, rng: random.Random | None) -> AskedQuestion:
    choices = [
        AskedChoice(index=i, text=c.text, correct=c.correct, feedback=c.feedback)
        for i, c in enumerate(question.choices)
    ]
    if rng is not None:
        rng.shuffle(choices)
    return replace(_common(question), choices=tuple(choices), scoring=question.scoring)


def _snapshot_true_false(question: Question, _rng: random.Random | None) -> AskedQuestion:
    return replace(_common(question), answer=question.answer)


def _snapshot_text(question: Question, _rng: random.Random | None) -> AskedQuestion:
    return replace(_common(question), accept=MappingProxyType(dict(question.accept)))


def _snapshot_plain(question: Question, _rng: random.Random | None) -> AskedQuestion:
    return _common(question)


# Parsers: form values (all values sent under the question's field) -> a stored answer -------


def _single_value(question: AskedQuestion, values: Sequence[str]) -> str | None:
    present = [v for v in values if v != ""]
    if len(present) > 1:
        raise AnswerNotValid(question.id, "more than one value")
    return present[0] if present else None


def _position(question: AskedQuestion, value: str) -> int:
    """The original index of the choice shown at ``value`` (the form sends positions)."""
    # Digits no longer than the choices' count first: Python refuses to read a number of
    # thousands of digits, and none of them could name a choice.
    if (
        not value.isascii()
        or not value.isdigit()
        or len(value) > len(str(len(question.choices)))
        or int(value) >= len(question.choices)
    ):
        raise AnswerNotValid(question.id, "no such choice")
    return question.choices[int(value)].index


def _parse_single(question: AskedQuestion, values: Sequence[str]) -> AnswerValue:
    value = _single_value(question, values)
    return None if value is None else _position(question, value)


def _parse_multiple(question: AskedQuestion, values: Sequence[str]) -> AnswerValue:
    if len(values) > len(question.choices):
        raise AnswerNotValid(question.id, "more values than choices")
    return sorted({_position(question, value) for value in values if value != ""})


def _parse_true_false(question: AskedQuestion, values: Sequence[str]) -> AnswerValue:
    value = _single_value(question, values)
    if value is None:
        return None
    if value not in ("true", "false"):
        raise AnswerNotValid(question.id, "neither true nor false")
    return value == "true"


def _text_parser(max_length: int) -> Callable[[AskedQuestion, Sequence[str]], AnswerValue]:
    def parse(question: AskedQuestion, values: Sequence[str]) -> AnswerValue:
        value = (_single_value(question, values) or "").replace("\r\n", "\n").strip()
        if len(value) > max_length:
            raise AnswerNotValid(question.id, f"longer than {max_length} characters")
        return value

    return parse


# Credit of one stored answer: the share of the question's points it earns, 0 to 1 ----------

FULL = Fraction(1)
NONE = Fraction(0)


def is_index(value: AnswerValue) -> TypeGuard[int]:
    # JSON has no separate boolean for an index, but Python's bool is an int: exclude it.
    return isinstance(value, int) and not isinstance(value, bool)


def _all_or_nothing(correct: bool) -> Fraction:
    return FULL if correct else NONE


def _single_credit(question: AskedQuestion, value: AnswerValue) -> Fraction:
    return _all_or_nothing(
        is_index(value) and any(c.correct and c.index == value for c in question.choices)
    )


def _multiple_credit(question: AskedQuestion, value: AnswerValue) -> Fraction:
    if not isinstance(value, list):
        return NONE
    correct = {c.index for c in question.choices if c.correct}
    ticked = set(value)
    if question.scoring is Scoring.PARTIAL:
        # Each wrong box cancels a right one, so ticking every box earns nothing.
        earned = len(ticked & correct) - len(ticked - correct)
        return Fraction(max(earned, 0), len(correct))
    return _all_or_nothing(ticked == correct)


def _true_false_credit(question: AskedQuestion, value: AnswerValue) -> Fraction:
    return _all_or_nothing(isinstance(value, bool) and value == question.answer)


def _text_credit(question: AskedQuestion, value: AnswerValue) -> Fraction:
    # Any language's accepted answer counts: a learner may switch language mid-attempt.
    return _all_or_nothing(
        isinstance(value, str) and text_matches(value, question.all_accepted_answers())
    )


def _no_credit(_question: AskedQuestion, _value: AnswerValue) -> Fraction:
    return NONE


def is_answered(value: AnswerValue) -> bool:
    return value is not None and value != "" and value != []


# The registry ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionKind:
    """Everything the engine does differently for one question type."""

    snapshot: Callable[[Question, random.Random | None], AskedQuestion]
    """Freeze a question for an attempt; a random source shuffles its choices, None keeps them."""
    parse: Callable[[AskedQuestion, Sequence[str]], AnswerValue]
    """The stored answer from the values the form sent; raises ``AnswerNotValid``."""
    credit: Callable[[AskedQuestion, AnswerValue], Fraction]
    """The share of the question's points an answer earns: 0, 1, or between with partial."""
    widget: str
    """The macro of ``quizzes/questions.html`` that renders the question in the form."""
    result: str
    """The macro of ``quizzes/questions.html`` that renders the answer on the results page."""
    max_length: int | None = None
    """For typed answers: the longest accepted, which the input also says."""


KINDS: Mapping[QuestionType, QuestionKind] = MappingProxyType(
    {
        QuestionType.SINGLE: QuestionKind(
            _snapshot_choices, _parse_single, _single_credit, "radio_choices", "choice_result"
        ),
        QuestionType.MULTIPLE: QuestionKind(
            _snapshot_choices, _parse_multiple, _multiple_credit, "checkboxes", "choice_result"
        ),
        QuestionType.TRUE_FALSE: QuestionKind(
            _snapshot_true_false,
            _parse_true_false,
            _true_false_credit,
            "true_false",
            "true_false_result",
        ),
        QuestionType.TEXT: QuestionKind(
            _snapshot_text,
            _text_parser(TEXT_MAX_LENGTH),
            _text_credit,
            "text",
            "text_result",
            TEXT_MAX_LENGTH,
        ),
        QuestionType.REFLECTION: QuestionKind(
            _snapshot_plain,
            _text_parser(REFLECTION_MAX_LENGTH),
            _no_credit,
            "reflection",
            "reflection_result",
            REFLECTION_MAX_LENGTH,
        ),
    }
)


def draw_questions(quiz: Quiz, rng: random.Random) -> tuple[AskedQuestion, ...]:
    """The questions one attempt asks, in the order it shows them.

    ``draw`` picks that many graded questions; reflections carry no points and are always
    asked. With ``shuffle`` the graded questions trade places and choices are reordered, while
    reflections keep their place in the file: authors put them where they belong, often last.
    """
    graded = [q for q in quiz.questions if q.type is not QuestionType.REFLECTION]
    drawn = graded
    if quiz.draw is not None and quiz.draw < len(graded):
        drawn = rng.sample(graded, quiz.draw)
    kept = {q.id for q in drawn}
    asked = [q for q in quiz.questions if q.type is QuestionType.REFLECTION or q.id in kept]
    if quiz.shuffle:
        slots = [i for i, q in enumerate(asked) if q.type is not QuestionType.REFLECTION]
        moved = [asked[i] for i in slots]
        rng.shuffle(moved)
        for slot, question in zip(slots, moved, strict=True):
            asked[slot] = question
    choice_rng = rng if quiz.shuffle else None
    return tuple(KINDS[q.type].snapshot(q, choice_rng) for q in asked)
