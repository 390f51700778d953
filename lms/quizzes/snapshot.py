"""What an attempt asked, frozen at its start: questions as shown, with what grading needs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from lms.content import Localized, QuestionType, Scoring

AnswerValue = int | bool | str | list[int] | None
"""One question's answer as stored (JSON): the original index of the choice picked (single),
the sorted original indices of the choices ticked (multiple), a boolean (true_false), the text
typed (text, reflection); None or an empty value when left unanswered."""


@dataclass(frozen=True)
class AskedChoice:
    index: int
    """The choice's position in the quiz file, which stored answers name."""
    text: Localized
    """Inline HTML."""
    correct: bool
    feedback: Localized | None


@dataclass(frozen=True)
class AskedQuestion:
    """One question of an attempt, in its language versions, as the attempt showed it."""

    id: str
    type: QuestionType
    points: int
    prompt: Localized
    """Inline HTML."""
    choices: tuple[AskedChoice, ...] = ()
    """In the order shown, which may be shuffled."""
    answer: bool | None = None
    accept: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """Accepted text answers per language (``"*"`` for all languages)."""
    explanation: Localized | None = None
    scoring: Scoring = Scoring.ALL_OR_NOTHING
    """How a ``multiple`` question's boxes turn into points (others: all or nothing)."""

    @property
    def graded(self) -> bool:
        return self.type is not QuestionType.REFLECTION

    def accepted_answers(self, language: str) -> tuple[str, ...]:
        return self.accept.get(language, ()) + self.accept.get("*", ())

    def all_accepted_answers(self) -> tuple[str, ...]:
        return tuple(text for texts in self.accept.values() for text in texts)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type.value,
            "points": self.points,
            "prompt": dict(self.prompt.values),
            "choices": [
                {
                    "index": choice.index,
                    "text": dict(choice.text.values),
                    "correct": choice.correct,
                    "feedback": _localized_json(choice.feedback),
                }
                for choice in self.choices
            ],
            "answer": self.answer,
            "accept": {language: list(texts) for language, texts in self.accept.items()},
            "explanation": _localized_json(self.explanation),
            "scoring": self.scoring.value,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> AskedQuestion:
        return cls(
            id=str(data["id"]),
            type=QuestionType(data["type"]),
            points=int(data["points"]),
            prompt=Localized.of(data["prompt"]),
            choices=tuple(
                AskedChoice(
                    index=int(choice["index"]),
                    text=Localized.of(choice["text"]),
                    correct=bool(choice["correct"]),
                    feedback=_localized(choice.get("feedback")),
                )
                for choice in data.get("choices", ())
            ),
            answer=data.get("answer"),
            accept=MappingProxyType(
                {language: tuple(texts) for language, texts in data.get("accept", {}).items()}
            ),
            explanation=_localized(data.get("explanation")),
            # Attempts started before partial credit existed scored all or nothing.
            scoring=Scoring(data.get("scoring", Scoring.ALL_OR_NOTHING)),
        )


def snapshot_to_json(questions: tuple[AskedQuestion, ...]) -> list[Any]:
    return [question.to_json() for question in questions]


def snapshot_from_json(data: list[Any]) -> tuple[AskedQuestion, ...]:
    return tuple(AskedQuestion.from_json(item) for item in data)


def _localized_json(text: Localized | None) -> dict[str, str] | None:
    return dict(text.values) if text is not None else None


def _localized(data: Mapping[str, str] | None) -> Localized | None:
    return Localized.of(data) if data is not None else None
