"""Quiz files (``STEM.quiz.yaml``): settings and questions of every type."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import TypeVar

import yaml

from lms.content.files import read_text
from lms.content.markdown import MarkdownRenderer
from lms.content.model import (
    Choice,
    Localized,
    Question,
    QuestionType,
    Quiz,
    Scoring,
    ShowAnswers,
)
from lms.content.typography import typeset
from lms.content.yamlnodes import Node, Reader, Report, compose, suggest

_QUIZ_KEYS = ("pass_mark", "max_attempts", "shuffle", "draw", "show_answers")
_COMMON_KEYS = ("points", "explanation", "objective")
_KEYS_BY_TYPE: dict[QuestionType, tuple[str, ...]] = {
    QuestionType.SINGLE: ("choices",),
    QuestionType.MULTIPLE: ("choices", "scoring"),
    QuestionType.TRUE_FALSE: ("answer",),
    QuestionType.TEXT: ("accept",),
    QuestionType.REFLECTION: (),
}
_OPTIONAL_TYPE_KEYS = {"scoring"}
_ALL_TYPE_KEYS = {key for keys in _KEYS_BY_TYPE.values() for key in keys}
DEFAULT_PASS_MARK = 80
T = TypeVar("T")


class _QuizReader:
    def __init__(
        self,
        report: Report,
        languages: Sequence[str],
        renderer: MarkdownRenderer,
        objectives: Collection[str] = (),
    ) -> None:
        self.report = report
        self.reader = Reader(report)
        self.languages = languages
        self.renderer = renderer
        self.objectives = objectives

    def quiz(self, node: Node, stem: str) -> Quiz | None:
        values = self.reader.mapping(
            node, "quiz", required=["title", "questions"], optional=_QUIZ_KEYS
        )
        if values is None:
            return None
        read = self.reader
        title = (
            typeset(read.localized(values["title"], "'title'", self.languages))
            if "title" in values
            else None
        )
        questions, listed = (
            self.questions(values["questions"]) if "questions" in values else (None, 0)
        )
        pass_mark = _setting(
            values,
            "pass_mark",
            DEFAULT_PASS_MARK,
            lambda n: read.integer(n, "'pass_mark'", minimum=0, maximum=100),
        )
        max_attempts = _setting(
            values, "max_attempts", None, lambda n: read.integer(n, "'max_attempts'", minimum=1)
        )
        shuffle = _setting(values, "shuffle", False, lambda n: read.boolean(n, "'shuffle'"))
        draw = _setting(values, "draw", None, lambda n: read.integer(n, "'draw'", minimum=1))
        show = _setting(
            values,
            "show_answers",
            ShowAnswers.AFTER_SUBMIT.value,
            lambda n: read.choice(n, "'show_answers'", [s.value for s in ShowAnswers]),
        )
        if listed and draw is not None and draw > listed:
            self.report.error(
                values["draw"], f"'draw' asks for {draw} questions but the quiz has only {listed}"
            )
        # Every failed read above was reported: the file's errors decide.
        if title is None or questions is None or self.report.has_errors:
            return None
        return Quiz(
            stem=stem,
            title=title,
            pass_mark=pass_mark,
            max_attempts=max_attempts,
            shuffle=shuffle,
            draw=draw,
            show_answers=ShowAnswers(show),
            questions=questions,
        )

    def questions(self, node: Node) -> tuple[tuple[Question, ...] | None, int]:
        """The questions if all are valid, and how many the file lists."""
        items = self.reader.sequence(node, "'questions'")
        if items is None:
            return None, 0
        if not items:
            self.report.error(node, "'questions' must list at least one question")
            return None, 0
        seen: dict[str, Node] = {}
        questions = [self.question(item, seen) for item in items]
        valid = tuple(q for q in questions if q is not None)
        return (valid if len(valid) == len(items) else None), len(items)

    def question(self, node: Node, seen: dict[str, Node]) -> Question | None:
        read = self.reader
        kind_values = read.mapping(
            node,
            _question_name(node),
            optional=("id", "type", "prompt", *_COMMON_KEYS, *_ALL_TYPE_KEYS),
        )
        if kind_values is None:
            return None
        question_id = (
            read.identifier(kind_values["id"], "question id") if "id" in kind_values else None
        )
        what = f"question '{question_id}'" if question_id else "question"
        if question_id is not None and question_id in seen:
            first = self.report.place_of(seen[question_id])[0]
            self.report.error(
                kind_values["id"], f"duplicate question id '{question_id}' (first on line {first})"
            )
        elif question_id is not None:
            seen[question_id] = kind_values["id"]
        qtype = None
        if "type" in kind_values:
            raw = read.choice(
                kind_values["type"], f"{what}: 'type'", [t.value for t in QuestionType]
            )
            qtype = QuestionType(raw) if raw else None
        for key in ("id", "type", "prompt"):
            if key not in kind_values:
                self.report.error(node, f"{what} needs '{key}'")
        if qtype is None:
            return None
        return self._typed_question(node, kind_values, qtype, question_id, what)

    def _typed_question(
        self, node: Node, values: dict[str, Node], qtype: QuestionType, qid: str | None, what: str
    ) -> Question | None:
        errors_before = len(self.report.problems)
        for key in _ALL_TYPE_KEYS - set(_KEYS_BY_TYPE[qtype]):
            if key in values:
                self.report.error(
                    values[key], f"{what}: '{key}' does not apply to {qtype} questions"
                )
        for key in _KEYS_BY_TYPE[qtype]:
            if key not in values and key not in _OPTIONAL_TYPE_KEYS:
                self.report.error(node, f"{what}: {qtype} needs '{key}'")
        prompt = self._markdown(values.get("prompt"), f"{what}: 'prompt'")
        explanation = self._markdown(values.get("explanation"), f"{what}: 'explanation'")
        points = 0 if qtype is QuestionType.REFLECTION else 1
        if "points" in values:
            if qtype is QuestionType.REFLECTION:
                self.report.error(
                    values["points"],
                    f"{what}: reflection questions are not graded, so they take no 'points'",
                )
            else:
                points = self.reader.integer(values["points"], f"{what}: 'points'", minimum=0) or 0
        choices: tuple[Choice, ...] = ()
        if "choices" in values and qtype in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            choices = self._choices(values["choices"], qtype, what)
        answer = None
        if "answer" in values and qtype is QuestionType.TRUE_FALSE:
            answer = self.reader.boolean(values["answer"], f"{what}: 'answer'")
        objective = self._objective(values["objective"], what) if "objective" in values else None
        scoring = Scoring.ALL_OR_NOTHING
        if "scoring" in values and qtype is QuestionType.MULTIPLE:
            raw = self.reader.choice(
                values["scoring"], f"{what}: 'scoring'", [s.value for s in Scoring]
            )
            scoring = Scoring(raw) if raw else scoring
        accept: dict[str, tuple[str, ...]] = {}
        if "accept" in values and qtype is QuestionType.TEXT:
            accept = (
                self.reader.localized_list(values["accept"], f"{what}: 'accept'", self.languages)
                or {}
            )
        if len(self.report.problems) > errors_before or qid is None or prompt is None:
            return None
        return Question(
            id=qid,
            type=qtype,
            prompt=prompt,
            points=points,
            choices=choices,
            answer=answer,
            accept=MappingProxyType(accept),
            explanation=explanation,
            objective=objective,
            scoring=scoring,
        )

    def _objective(self, node: Node, what: str) -> str | None:
        """The lesson objective a question checks: one that a lesson of the course lists."""
        objective = self.reader.identifier(node, f"{what}: 'objective'")
        if objective is not None and objective not in self.objectives:
            self.report.error(
                node,
                f"{what}: no lesson of this course has the objective '{objective}'"
                + suggest(objective, self.objectives),
            )
            return None
        return objective

    def _choices(self, node: Node, qtype: QuestionType, what: str) -> tuple[Choice, ...]:
        items = self.reader.sequence(node, f"{what}: 'choices'")
        if items is None:
            return ()
        choices = []
        for item in items:
            values = self.reader.mapping(
                item, f"{what}: choice", required=["text"], optional=["correct", "feedback"]
            )
            if values is None:
                continue
            text = self._markdown(values.get("text"), f"{what}: choice 'text'")
            correct = bool(
                values.get("correct")
                and self.reader.boolean(values["correct"], f"{what}: 'correct'")
            )
            feedback = self._markdown(values.get("feedback"), f"{what}: choice 'feedback'")
            if text is not None:
                choices.append(Choice(text=text, correct=correct, feedback=feedback))
        correct_count = sum(c.correct for c in choices)
        if len(items) < 2:
            self.report.error(node, f"{what}: a {qtype} question needs at least two choices")
        elif qtype is QuestionType.SINGLE and correct_count != 1:
            self.report.error(
                node,
                f"{what}: a single-choice question needs exactly one correct choice, "
                f"it has {correct_count}",
            )
        elif qtype is QuestionType.MULTIPLE and correct_count == 0:
            self.report.error(
                node, f"{what}: a multiple-choice question needs at least one correct choice"
            )
        return tuple(choices)

    def _markdown(self, node: Node | None, what: str) -> Localized | None:
        if node is None:
            return None
        source = self.reader.localized(node, what, self.languages)
        if source is None:
            return None
        where = self.report.place_of(node)
        return Localized.of(
            {
                language: self.renderer.inline(
                    text, _render_language(language, self.languages), self.report, where
                )
                for language, text in source.values.items()
            }
        )


def _setting(values: dict[str, Node], key: str, default: T, read: Callable[[Node], T | None]) -> T:
    """The key's value, or ``default`` when it is absent or wrong (a wrong one is reported)."""
    if key not in values:
        return default
    value = read(values[key])
    return default if value is None else value


def _question_name(node: Node) -> str:
    """How messages name a question: by its id when it has a plain one."""
    pairs = node.value if isinstance(node, yaml.MappingNode) else []
    for key, value in pairs:
        if key.value == "id" and isinstance(value, yaml.ScalarNode):
            return f"question '{value.value}'"
    return "question"


def _render_language(language: str, languages: Sequence[str]) -> str:
    return languages[0] if language == "*" else language


def read_quiz(
    path: Path,
    stem: str,
    languages: Sequence[str],
    renderer: MarkdownRenderer,
    report: Report,
    *,
    objectives: Collection[str] = (),
) -> Quiz | None:
    """The quiz of ``path``; its questions may name the course's lesson ``objectives``."""
    text = read_text(path, report)
    node = compose(text, report) if text is not None else None
    if node is None:
        return None
    return _QuizReader(report, languages, renderer, objectives).quiz(node, stem)
