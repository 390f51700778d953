"""Frozen dataclasses describing loaded course and certificate content."""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType

SUPPORTED_LANGUAGES: tuple[str, ...] = ("fr", "en")
"""Languages the interface speaks; French first, as it is the default."""


@dataclass(frozen=True)
class Localized:
    """Text in one or more languages; a plain string is stored under the key ``"*"``."""

    values: Mapping[str, str]

    @classmethod
    def plain(cls, text: str) -> Localized:
        return cls(MappingProxyType({"*": text}))

    @classmethod
    def of(cls, values: Mapping[str, str]) -> Localized:
        return cls(MappingProxyType(dict(values)))

    def get(self, language: str, fallback: str | None = None) -> str:
        """The text in ``language``, else in ``fallback``, else any text there is."""
        for key in (language, "*", fallback):
            if key is not None and key in self.values:
                return self.values[key]
        return next(iter(self.values.values()), "")

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.values.items())))


class ItemKind(enum.StrEnum):
    LESSON = "lesson"
    QUIZ = "quiz"


class QuestionType(enum.StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"
    TEXT = "text"
    REFLECTION = "reflection"


class ShowAnswers(enum.StrEnum):
    AFTER_SUBMIT = "after_submit"
    AFTER_PASS = "after_pass"  # noqa: S105 (not a password)
    AFTER_PASS_OR_LAST = "after_pass_or_last"  # noqa: S105
    """Until a pass or the last attempt: which questions were wrong, and why, not the answers."""
    NEVER = "never"


class Scoring(enum.StrEnum):
    """How a ``multiple`` question turns the boxes ticked into points."""

    ALL_OR_NOTHING = "all_or_nothing"
    PARTIAL = "partial"
    """Correct choices ticked minus wrong ones ticked, floored at 0, as a share of the correct."""


@dataclass(frozen=True)
class OutlineItem:
    """One entry of a section: ``key`` is the outline text (``welcome``, ``final.quiz``)."""

    key: str
    kind: ItemKind
    stem: str


@dataclass(frozen=True)
class Section:
    title: Localized
    items: tuple[OutlineItem, ...]


@dataclass(frozen=True)
class Resource:
    """A file learners take away (a template, a checklist), listed by ``resources:``."""

    file: str
    """Its path in the course folder, served as an asset."""
    title: Localized
    language: str
    format: str
    """What its name ends with, in capitals: ODT, DOCX, PDF..."""
    lesson: str | None = None
    """The lesson it goes with, which shows it too; None: the course page only."""


@dataclass(frozen=True)
class Objective:
    """What a learner should be able to do after a lesson; quiz questions name it."""

    id: str
    text: Localized


@dataclass(frozen=True)
class Lesson:
    stem: str
    title: Localized
    minutes: int | None
    html: Localized
    """Rendered, sanitised HTML per language; local links point at ``assets/<path>``."""
    objectives: tuple[Objective, ...] = ()


@dataclass(frozen=True)
class Choice:
    text: Localized
    """Inline HTML."""
    correct: bool
    feedback: Localized | None


@dataclass(frozen=True)
class Question:
    id: str
    type: QuestionType
    prompt: Localized
    """Inline HTML."""
    points: int
    choices: tuple[Choice, ...] = ()
    answer: bool | None = None
    accept: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """Accepted text answers per language (``"*"`` for all languages)."""
    explanation: Localized | None = None
    objective: str | None = None
    """The id of the lesson objective this question checks (``objective:``)."""
    scoring: Scoring = Scoring.ALL_OR_NOTHING

    def accepted_answers(self, language: str) -> tuple[str, ...]:
        return self.accept.get(language, ()) + self.accept.get("*", ())

    def __hash__(self) -> int:
        return hash((self.id, self.type))


@dataclass(frozen=True)
class Quiz:
    stem: str
    title: Localized
    pass_mark: int
    max_attempts: int | None
    shuffle: bool
    draw: int | None
    show_answers: ShowAnswers
    questions: tuple[Question, ...]

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


@dataclass(frozen=True)
class Course:
    id: str
    title: Localized
    short_title: Localized
    """The label of tables' columns (``short_title:``); the title when the file gives none."""
    summary: Localized
    languages: tuple[str, ...]
    estimated_minutes: int
    prerequisites: tuple[str, ...]
    sections: tuple[Section, ...]
    lessons: Mapping[str, Lesson]
    """By stem."""
    quizzes: Mapping[str, Quiz]
    """By stem (``final`` for ``final.quiz.yaml``)."""
    assets: frozenset[str]
    """Relative paths of local files the lessons link to: the only files served."""
    folder: Path
    version: str
    """SHA-256 of the course folder's files: changes whenever any file changes."""
    order: int | None = None
    """Its place in the catalogue's recommended order (``order:``); None: after those placed."""
    reviewed: date | None = None
    """When its content was last reviewed (``reviewed:``); None if the file does not say."""
    resources: tuple[Resource, ...] = ()

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def items(self) -> Iterator[OutlineItem]:
        """Outline items in order, across sections."""
        for section in self.sections:
            yield from section.items

    def item(self, key: str) -> OutlineItem | None:
        return next((item for item in self.items() if item.key == key), None)

    def language_for(self, requested: str) -> str:
        """The course language closest to ``requested``: itself if offered, else the default."""
        return requested if requested in self.languages else self.default_language

    def __hash__(self) -> int:
        return hash((self.id, self.version))


@dataclass(frozen=True)
class Issuer:
    name: Localized
    url: str


@dataclass(frozen=True)
class Signatory:
    name: str | None
    """The person; None signs by role alone (the title), the name left to a deployment."""
    title: Localized
    signature: Path | None


@dataclass(frozen=True)
class SessionRequirement:
    """Live sessions a certificate asks its holder to have attended (``requires_sessions:``)."""

    count: int
    of: tuple[str, ...]
    """Session ids and tags: an attended session counts if its id or one of its tags is here."""


@dataclass(frozen=True)
class CertificateDefinition:
    id: str
    title: Localized
    requires: tuple[str, ...]
    statement: Localized
    issuer: Issuer
    signatories: tuple[Signatory, ...]
    logo: Path | None
    valid_for_days: int | None
    bilingual: bool
    """Render French and English on one page (French first) instead of one language."""
    path: Path
    version: str
    requires_sessions: SessionRequirement | None = None
    """Attended live sessions, besides the courses; None: none."""


@dataclass(frozen=True)
class Catalog:
    """Everything servable at one moment: valid courses and certificate definitions."""

    root: Path
    courses: Mapping[str, Course]
    """By id, in the recommended order: by ``order``, then those without one by folder name."""
    certificates: Mapping[str, CertificateDefinition]

    def course(self, course_id: str) -> Course | None:
        return self.courses.get(course_id)

    def certificates_requiring(self, course_id: str) -> tuple[CertificateDefinition, ...]:
        return tuple(c for c in self.certificates.values() if course_id in c.requires)

    def __hash__(self) -> int:
        return hash((self.root, tuple(c.version for c in self.courses.values())))
