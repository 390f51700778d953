"""What the pages show of an attempt, in one language: pure, no Flask, no database.

The form sees ``FormQuestion`` only, which has no field for a correct flag, an accepted
answer, feedback or an explanation: the page cannot leak what it is never given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from lms.content import Scoring
from lms.quizzes.grading import AttemptGrade, Disclosure
from lms.quizzes.questions import KINDS, is_index
from lms.quizzes.snapshot import AnswerValue, AskedQuestion


def field_name(question_id: str) -> str:
    """The form field of a question; question ids are ``[a-z0-9-]+``, safe in a name."""
    return f"answer-{question_id}"


@dataclass(frozen=True)
class FormQuestion:
    number: int
    """From 1, in the order asked."""
    id: str
    field: str
    widget: str
    prompt: str
    """Inline HTML."""
    points: int
    graded: bool
    choices: tuple[str, ...]
    """Inline HTML, in the order shown; the form sends each one's position."""
    selected: frozenset[str]
    """Form values already chosen (a resumed attempt's saved answers)."""
    text: str
    """A typed answer already saved."""
    max_length: int | None
    partial_credit: bool = False
    """Each right box earns its share of the points, each wrong box takes one share away."""

    @property
    def answered(self) -> bool:
        return bool(self.selected or self.text)


@dataclass(frozen=True)
class ResultChoice:
    text: str
    """Inline HTML."""
    chosen: bool
    correct: bool | None
    """None when the answers are not disclosed."""
    feedback: str | None
    """Inline HTML: the author's feedback on a choice the learner picked, when disclosed."""


@dataclass(frozen=True)
class ResultQuestion:
    number: int
    id: str
    macro: str
    prompt: str
    """Inline HTML."""
    graded: bool
    answered: bool
    correct: bool | None
    """All the points earned; None when not disclosed, or not graded."""
    partly_correct: bool
    points: Decimal | None
    """Points earned; None when not disclosed."""
    max_points: int
    choices: tuple[ResultChoice, ...]
    given_text: str
    """What the learner typed (text, reflection): plain text."""
    given_bool: bool | None
    """The learner's true/false answer."""
    expected_bool: bool | None
    """The correct true/false answer, when disclosed."""
    accepted: tuple[str, ...]
    """Accepted text answers in the language shown, when disclosed: plain text."""
    explanation: str | None
    """Inline HTML, when disclosed."""


def form_questions(
    questions: Sequence[AskedQuestion], saved: Mapping[str, AnswerValue], language: str
) -> tuple[FormQuestion, ...]:
    """The attempt's questions as the form shows them, with answers saved so far."""
    return tuple(
        FormQuestion(
            number=number,
            id=q.id,
            field=field_name(q.id),
            widget=KINDS[q.type].widget,
            prompt=q.prompt.get(language),
            points=q.points,
            graded=q.graded,
            choices=tuple(c.text.get(language) for c in q.choices),
            selected=_form_values(q, saved.get(q.id)),
            text=_text(saved.get(q.id)),
            max_length=KINDS[q.type].max_length,
            partial_credit=q.scoring is Scoring.PARTIAL,
        )
        for number, q in enumerate(questions, start=1)
    )


def result_questions(
    questions: Sequence[AskedQuestion],
    answers: Mapping[str, AnswerValue],
    grade: AttemptGrade,
    disclosure: Disclosure,
    language: str,
) -> tuple[ResultQuestion, ...]:
    """The attempt's questions with the learner's answers and as much as ``disclosure`` allows."""
    shown = disclosure is Disclosure.ANSWERS
    marked = shown or disclosure is Disclosure.MISTAKES  # right or wrong, and why
    found = []
    for number, q in enumerate(questions, start=1):
        value = answers.get(q.id)
        result = grade.result(q.id)
        chosen = _chosen_indices(value)
        found.append(
            ResultQuestion(
                number=number,
                id=q.id,
                macro=KINDS[q.type].result,
                prompt=q.prompt.get(language),
                graded=q.graded,
                answered=result.answered if result else False,
                correct=result.correct if marked and result and q.graded else None,
                partly_correct=bool(marked and result and result.partly_correct),
                points=result.points if marked and result else None,
                max_points=q.points if q.graded else 0,
                choices=tuple(
                    ResultChoice(
                        text=c.text.get(language),
                        chosen=c.index in chosen,
                        correct=c.correct if shown else None,
                        feedback=(
                            c.feedback.get(language)
                            if marked and c.feedback is not None and c.index in chosen
                            else None
                        ),
                    )
                    for c in q.choices
                ),
                given_text=_text(value),
                given_bool=value if isinstance(value, bool) else None,
                expected_bool=q.answer if shown else None,
                accepted=q.accepted_answers(language) if shown else (),
                explanation=(
                    q.explanation.get(language) if marked and q.explanation is not None else None
                ),
            )
        )
    return tuple(found)


def _chosen_indices(value: AnswerValue) -> frozenset[int]:
    if is_index(value):
        return frozenset([value])
    if isinstance(value, list):
        return frozenset(v for v in value if is_index(v))
    return frozenset()


def _form_values(question: AskedQuestion, value: AnswerValue) -> frozenset[str]:
    """``value`` as the form's own values: choice positions, or ``true``/``false``."""
    if isinstance(value, bool):
        return frozenset(["true" if value else "false"])
    chosen = _chosen_indices(value)
    return frozenset(str(pos) for pos, c in enumerate(question.choices) if c.index in chosen)


def _text(value: AnswerValue) -> str:
    return value if isinstance(value, str) else ""
