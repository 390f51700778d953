"""Quiz rules: starting or resuming an attempt, saving and submitting it, what its pages show."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext
from sqlalchemy import update
from sqlalchemy.orm import Session

from lms.content import Catalog, Course, ItemKind, OutlineItem, QuestionType, Quiz
from lms.db import insert_for, rows_changed, utcnow
from lms.errors import DomainError
from lms.learning import services as learning
from lms.periods import Period
from lms.quizzes import grading, item_analysis, limits, queries
from lms.quizzes.models import QuizAttempt
from lms.quizzes.pages import FormQuestion, ResultQuestion, field_name, form_questions
from lms.quizzes.pages import result_questions as build_result_questions
from lms.quizzes.questions import KINDS, AnswerNotValid, draw_questions
from lms.quizzes.snapshot import AnswerValue, AskedQuestion, snapshot_from_json, snapshot_to_json

if TYPE_CHECKING:
    from lms.accounts.models import User

FormValues = Mapping[str, Sequence[str]]
"""A submitted form: every value sent under each field name."""


class QuizNotFound(DomainError):
    status_code = 404
    message = lazy_gettext(
        "This course has no quiz at this address. Start again from the course’s outline."
    )


class AttemptNotFound(DomainError):
    status_code = 404
    message = lazy_gettext(
        "You have no attempt with this number at this quiz. Start again from the quiz’s page."
    )


class AttemptLimitReached(DomainError):
    status_code = 409
    message = lazy_gettext("You have used every attempt this quiz allows.")


class AttemptAlreadySubmitted(DomainError):
    status_code = 409
    message = lazy_gettext(
        "This attempt was already submitted, perhaps from another tab or device; it was "
        "graded once, and its result is below."
    )


class AnswerNotAccepted(DomainError):
    status_code = 400
    message = lazy_gettext(
        "One of your answers could not be accepted: a choice that the question does not "
        "offer, or a text longer than allowed (200 characters for a short answer, 10,000 for "
        "a reflection). Go back, check your answers and submit again."
    )


@dataclass(frozen=True)
class QuizRef:
    """The quiz at an address: its course, its outline item and the quiz itself."""

    course: Course
    item: OutlineItem
    quiz: Quiz


@dataclass(frozen=True)
class AttemptSummary:
    number: int
    started_at: datetime
    submitted_at: datetime | None
    score: Decimal | None
    max_score: int | None
    percent: int | None
    passed: bool | None


@dataclass(frozen=True)
class QuizOverview:
    """What the quiz's page says before an attempt: its rules and the learner's attempts."""

    pass_mark: int
    questions_asked: int
    """Graded questions each attempt asks."""
    reflections: int
    max_attempts: int | None
    attempts: tuple[AttemptSummary, ...]
    in_progress: int | None
    """The number of the attempt begun and not submitted, if any."""
    passed: bool
    """Whether any attempt passed."""

    @property
    def used(self) -> int:
        return len(self.attempts)

    @property
    def left(self) -> int | None:
        """Attempts that may still be started; None when unlimited."""
        return None if self.max_attempts is None else max(0, self.max_attempts - self.used)

    @property
    def can_start(self) -> bool:
        return self.in_progress is None and (self.left is None or self.left > 0)

    @property
    def out_of_attempts(self) -> bool:
        """Failed as often as allowed: only staff can let the learner try again."""
        return limits.is_out_of_attempts(
            self.max_attempts,
            self.used,
            unfinished=self.in_progress is not None,
            passed=self.passed,
        )


@dataclass(frozen=True)
class AttemptForm:
    """An attempt in progress, as its form shows it."""

    number: int
    questions: tuple[FormQuestion, ...]
    language: str
    overview: QuizOverview

    @property
    def answered(self) -> int:
        return sum(1 for q in self.questions if q.answered)

    @property
    def unanswered(self) -> tuple[FormQuestion, ...]:
        return tuple(q for q in self.questions if not q.answered)


@dataclass(frozen=True)
class AttemptResult:
    """A submitted attempt, with as much of the answers as ``show_answers`` allows."""

    number: int
    submitted_at: datetime
    score: Decimal
    max_score: int
    percent: int
    passed: bool
    pass_mark: int
    disclosure: grading.Disclosure
    questions: tuple[ResultQuestion, ...]
    language: str
    overview: QuizOverview


@dataclass(frozen=True)
class Submission:
    grade: grading.AttemptGrade
    course_completed: bool
    """Whether passing this attempt completed the course."""


def find_quiz(catalog: Catalog, course_id: str, item_key: str) -> QuizRef:
    """The quiz ``item_key`` (``final.quiz``) of the course; ``QuizNotFound`` if none."""
    course = learning.find_course(catalog, course_id)
    item = course.item(item_key)
    quiz = course.quizzes.get(item.stem) if item is not None else None
    if item is None or item.kind is not ItemKind.QUIZ or quiz is None:
        raise QuizNotFound
    return QuizRef(course, item, quiz)


def open_quiz(session: Session, user: User, ref: QuizRef) -> QuizOverview:
    """Let ``user`` open the quiz's page: checks the course is open and keeps their place."""
    learning.open_item(session, user, ref.course, ref.item.key)
    return overview(session, user, ref)


def overview(session: Session, user: User, ref: QuizRef) -> QuizOverview:
    """The quiz's rules and ``user``'s attempts at it, with no side effect."""
    attempts, allowed = _attempts(session, user, ref)
    graded = sum(1 for q in ref.quiz.questions if q.type is not QuestionType.REFLECTION)
    return QuizOverview(
        pass_mark=ref.quiz.pass_mark,
        questions_asked=min(graded, ref.quiz.draw) if ref.quiz.draw is not None else graded,
        reflections=len(ref.quiz.questions) - graded,
        max_attempts=allowed,
        attempts=tuple(_summary(a) for a in attempts),
        in_progress=next((a.number for a in attempts if a.submitted_at is None), None),
        passed=any(a.passed for a in attempts),
    )


def start_attempt(
    session: Session, user: User, ref: QuizRef, rng: random.Random | None = None
) -> QuizAttempt:
    """The attempt ``user`` is to answer: the unfinished one if any, else a new one.

    A new attempt draws, orders and stores its questions once, so that a reload, another
    device or a later review shows exactly the same. Raises ``AttemptLimitReached`` when
    every allowed attempt was started, and ``CourseLocked`` (learning) while prerequisites
    are missing.
    """
    learning.open_item(session, user, ref.course, ref.item.key)
    attempts, allowed = _attempts(session, user, ref)
    unfinished = next((a for a in attempts if a.submitted_at is None), None)
    if unfinished is not None:
        return _find_attempt(session, user, ref, unfinished.number)
    used = max((a.number for a in attempts), default=0)
    if allowed is not None and used >= allowed:
        raise AttemptLimitReached
    questions = draw_questions(ref.quiz, rng or random.SystemRandom())
    # Numbers are consecutive and unique per learner and quiz, so the limit holds with no
    # lock: of two concurrent starts, one inserts and the other resumes what it inserted.
    inserted = session.scalars(
        insert_for(session, QuizAttempt)
        .values(
            user_id=user.id,
            course_id=ref.course.id,
            quiz=ref.quiz.stem,
            number=used + 1,
            content_version=ref.course.version,
            questions=snapshot_to_json(questions),
            answers=None,
        )
        .on_conflict_do_nothing()
        .returning(QuizAttempt)
    ).one_or_none()
    return inserted if inserted is not None else _find_attempt(session, user, ref, used + 1)


def save_answers(session: Session, user: User, ref: QuizRef, number: int, form: FormValues) -> None:
    """Keep the answers given so far to an unfinished attempt, ungraded, to finish later."""
    attempt = _unfinished_attempt(session, user, ref, number)
    answers = _parse(snapshot_from_json(attempt.questions), form)
    _update_unfinished(session, attempt, answers=answers)


def submit_attempt(
    session: Session, user: User, ref: QuizRef, number: int, form: FormValues
) -> Submission:
    """Grade and record an attempt, once; a pass completes the quiz's outline item.

    Grading reads the questions the attempt stored, never the quiz file as it is now, so an
    author's edit cannot change what a learner is judged on. Unanswered questions count as
    wrong. Raises ``AttemptAlreadySubmitted`` if it was submitted before, even at the same
    instant from another tab, and ``AnswerNotAccepted`` for values its form cannot send.
    """
    attempt = _unfinished_attempt(session, user, ref, number)
    questions = snapshot_from_json(attempt.questions)
    answers = _parse(questions, form)
    # The pass mark is the quiz's as it is now: attempts have no column to freeze it in, and
    # the verdict stored with the score is what the record keeps.
    result = grading.grade(questions, answers, ref.quiz.pass_mark)
    _update_unfinished(
        session,
        attempt,
        answers=answers,
        score=result.score,
        max_score=result.max_score,
        passed=result.passed,
        submitted_at=utcnow(),
    )
    completed = result.passed and learning.record_item_completed(
        session, user, ref.course, ref.item.key
    )
    return Submission(result, completed)


def attempt_page(
    session: Session, user: User, ref: QuizRef, number: int, language: str
) -> AttemptForm | AttemptResult:
    """An attempt of ``user``'s: its form while unfinished, its result once submitted.

    ``language`` is the interface's; the attempt shows in the course's closest language.
    """
    attempt = _find_attempt(session, user, ref, number)
    shown = ref.course.language_for(language)
    learner = overview(session, user, ref)
    questions = snapshot_from_json(attempt.questions)
    answers: Mapping[str, AnswerValue] = attempt.answers or {}
    if attempt.submitted_at is None:
        return AttemptForm(number, form_questions(questions, answers, shown), shown, learner)
    # The stored score is the record; the per-question marks are recomputed from the stored
    # questions and answers, as grading is a pure function of them.
    regraded = grading.grade(questions, answers, ref.quiz.pass_mark)
    disclosure = grading.disclosure(
        ref.quiz.show_answers, learner.passed, no_attempt_left=learner.out_of_attempts
    )
    return AttemptResult(
        number=attempt.number,
        submitted_at=attempt.submitted_at,
        score=attempt.score or Decimal(0),
        max_score=attempt.max_score or 0,
        percent=grading.percent(attempt.score or 0, attempt.max_score or 0),
        passed=bool(attempt.passed),
        pass_mark=ref.quiz.pass_mark,
        disclosure=disclosure,
        questions=build_result_questions(questions, answers, regraded, disclosure, shown),
        language=shown,
        overview=learner,
    )


def _attempts(
    session: Session, user: User, ref: QuizRef
) -> tuple[tuple[queries.AttemptState, ...], int | None]:
    """``user``'s attempts at the quiz, and how many they may start: its limit and what staff
    granted them (None: unlimited, which grants do not change)."""
    found = queries.learner_attempts(session, user, ref.course.id, ref.quiz.stem)
    if ref.quiz.max_attempts is None:
        return found.attempts, None
    return found.attempts, limits.allowed_attempts(ref.quiz.max_attempts, found.granted)


def _find_attempt(session: Session, user: User, ref: QuizRef, number: int) -> QuizAttempt:
    # Always the signed-in learner's own: another learner's attempt is simply not found.
    attempt = queries.find_attempt(session, user, ref.course.id, ref.quiz.stem, number)
    if attempt is None:
        raise AttemptNotFound
    return attempt


def _unfinished_attempt(session: Session, user: User, ref: QuizRef, number: int) -> QuizAttempt:
    # A prerequisite added by the author since the attempt began closes it like the rest.
    learning.require_open(session, user, ref.course)
    attempt = _find_attempt(session, user, ref, number)
    if attempt.submitted_at is not None:
        raise AttemptAlreadySubmitted
    return attempt


def _parse(questions: Sequence[AskedQuestion], form: FormValues) -> dict[str, AnswerValue]:
    """Answers by question id from the form; fields of no asked question are ignored."""
    try:
        return {q.id: KINDS[q.type].parse(q, form.get(field_name(q.id), ())) for q in questions}
    except AnswerNotValid as error:
        raise AnswerNotAccepted from error


def _update_unfinished(session: Session, attempt: QuizAttempt, **values: Any) -> None:
    # One conditional UPDATE, not a read then a write: of two tabs submitting at the same
    # instant, exactly one changes the row, and the other learns it was too late.
    unfinished = update(QuizAttempt).where(
        QuizAttempt.id == attempt.id, QuizAttempt.submitted_at.is_(None)
    )
    if rows_changed(session, unfinished.values(**values)) != 1:
        raise AttemptAlreadySubmitted


def _summary(attempt: queries.AttemptState) -> AttemptSummary:
    submitted = attempt.submitted_at is not None
    return AttemptSummary(
        number=attempt.number,
        started_at=attempt.started_at,
        submitted_at=attempt.submitted_at,
        score=attempt.score,
        max_score=attempt.max_score,
        percent=(
            grading.percent(attempt.score or 0, attempt.max_score or 0) if submitted else None
        ),
        passed=attempt.passed,
    )


def item_statistics(
    session: Session, ref: QuizRef, period: Period, zone: tzinfo
) -> list[item_analysis.QuestionStats]:
    """Item analysis of the attempts at ``ref`` submitted within ``period`` (days in ``zone``),
    in the quiz's order of questions."""
    since, until = period.bounds(zone)
    attempts = queries.submitted_attempts(
        session, ref.course.id, ref.quiz.stem, since=since, until=until
    )
    return item_analysis.analyse(attempts, [q.id for q in ref.quiz.questions])
