"""Quiz item analysis from attempts' snapshots: answered, share correct, most chosen wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms.content import Localized, QuestionType, Quiz, load_content
from lms.quizzes.item_analysis import QuestionStats, SubmittedAttempt, analyse, by_objective
from lms.quizzes.questions import draw_questions
from lms.quizzes.snapshot import AnswerValue, AskedQuestion

CONTENT = Path(__file__).resolve().parents[2] / "fixtures" / "content" / "staff"


@pytest.fixture(scope="module")
def quiz() -> Quiz:
    load = load_content(CONTENT)
    assert not load.problems
    course = load.catalog.course("basics")
    assert course is not None
    return course.quizzes["check"]


@pytest.fixture(scope="module")
def asked(quiz: Quiz) -> tuple[AskedQuestion, ...]:
    import random

    return draw_questions(quiz, random.Random(1))  # unshuffled: positions are file indices


def attempt(asked: tuple[AskedQuestion, ...], **answers: AnswerValue) -> SubmittedAttempt:
    return SubmittedAttempt(asked, answers)


def test_counts_per_question_over_a_fixture_of_attempts(
    quiz: Quiz, asked: tuple[AskedQuestion, ...]
) -> None:
    attempts = [
        # All right.
        attempt(asked, when=0, roles=[0, 2], lived=True, posture="Co-construction", yours="mine"),
        # Wrong single (1), a wrong tick (1) among right ones, wrong truth, a typo.
        attempt(asked, when=1, roles=[0, 1, 2], lived=False, posture="coconstruct", yours="x"),
        # Wrong single (2), missed one right choice (no wrong tick), unanswered.
        attempt(asked, when=2, roles=[0], lived=None, posture="", yours=""),
        # Wrong single (1) again, the same typo written otherwise.
        attempt(asked, when=1, roles=[1], lived=True, posture="Coconstruct.", yours=""),
    ]

    stats = {s.question_id: s for s in analyse(attempts, [q.id for q in quiz.questions])}

    assert list(stats) == ["when", "roles", "lived", "posture"]  # no reflection
    when = stats["when"]
    assert (when.asked, when.answered, when.correct) == (4, 4, 1)
    assert when.share_correct == 0.25
    assert when.most_chosen_wrong is not None
    assert when.most_chosen_wrong.count == 2
    assert when.most_chosen_wrong.choice is not None
    assert when.most_chosen_wrong.choice.get("en") == "Only at the end"

    roles = stats["roles"]
    assert (roles.answered, roles.correct) == (4, 1)
    assert roles.most_chosen_wrong is not None
    assert roles.most_chosen_wrong.choice is not None
    assert roles.most_chosen_wrong.choice.get("fr") == "Sujet d’étude seulement"
    assert roles.most_chosen_wrong.count == 2

    lived = stats["lived"]
    assert (lived.asked, lived.answered, lived.correct) == (4, 3, 2)
    assert lived.most_chosen_wrong is not None
    assert (lived.most_chosen_wrong.truth, lived.most_chosen_wrong.count) == (False, 1)

    posture = stats["posture"]
    assert (posture.answered, posture.correct) == (3, 1)
    assert posture.most_chosen_wrong is not None
    assert posture.most_chosen_wrong.count == 2
    assert posture.most_chosen_wrong.text in {"coconstruct", "Coconstruct."}


def test_no_attempts_and_all_right_answers_have_no_wrong_answer(
    asked: tuple[AskedQuestion, ...],
) -> None:
    assert analyse([]) == []
    [when, *_rest] = analyse([attempt(asked, when=0)])
    assert when.most_chosen_wrong is None
    assert when.share_correct == 1.0
    assert _rest[0].share_correct is None  # asked, never answered


def test_the_latest_snapshot_names_the_question_and_removed_questions_come_last(
    asked: tuple[AskedQuestion, ...],
) -> None:
    from dataclasses import replace

    from lms.content import Localized

    renamed = tuple(
        replace(q, prompt=Localized.plain("Reworded")) if q.id == "when" else q for q in asked
    )
    stats = analyse([attempt(asked, when=0), attempt(renamed, when=0)], order=["lived"])

    assert [s.question_id for s in stats][:2] == ["lived", "when"]
    assert stats[1].prompt.get("en") == "Reworded"
    assert all(s.type is not QuestionType.REFLECTION for s in stats)


def test_questions_are_grouped_by_the_objective_they_check() -> None:
    def stats(question_id: str, answered: int, correct: int) -> QuestionStats:
        return QuestionStats(
            question_id, QuestionType.SINGLE, Localized.plain(question_id), answered,
            answered, correct, partly_correct=0, earned_share=float(correct),
            partial_credit=False, most_chosen_wrong=None,
        )  # fmt: skip

    found = by_objective(
        [stats("a", 4, 1), stats("b", 2, 2), stats("c", 3, 0), stats("d", 0, 0)],
        {"a": "define", "b": None, "c": "define"},
    )

    assert [(g.objective_id, [q.question_id for q in g.questions]) for g in found] == [
        ("define", ["a", "c"]),
        (None, ["b", "d"]),
    ]
    assert found[0].share_correct == 1 / 7
    assert found[1].share_correct == 1.0
    assert by_objective([stats("d", 0, 0)], {"d": "x"})[0].share_correct is None
