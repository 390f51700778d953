"""Grading, text matching, drawing and form parsing of quiz questions, without an app."""

from __future__ import annotations

import random
from types import MappingProxyType

import pytest

from lms.content import Choice, Localized, Question, QuestionType, Quiz, ShowAnswers
from lms.quizzes.grading import Disclosure, disclosure, grade, passes, percent
from lms.quizzes.pages import form_questions, result_questions
from lms.quizzes.questions import (
    KINDS,
    REFLECTION_MAX_LENGTH,
    TEXT_MAX_LENGTH,
    AnswerNotValid,
    draw_questions,
    normalize_text,
    text_matches,
)
from lms.quizzes.snapshot import AskedQuestion, snapshot_from_json, snapshot_to_json


def text(en: str, fr: str | None = None) -> Localized:
    return Localized.of({"en": en, "fr": fr if fr is not None else f"{en} (fr)"})


def choice(label: str, correct: bool = False, feedback: str | None = None) -> Choice:
    return Choice(text(label), correct, text(feedback) if feedback else None)


def single(qid: str = "pick", points: int = 1) -> Question:
    return Question(
        id=qid,
        type=QuestionType.SINGLE,
        prompt=text(f"Pick one ({qid})"),
        points=points,
        choices=(choice("A"), choice("B", correct=True, feedback="Yes: B"), choice("C")),
        explanation=text("B because."),
    )


def multiple(qid: str = "many", points: int = 2) -> Question:
    return Question(
        id=qid,
        type=QuestionType.MULTIPLE,
        prompt=text("Pick all"),
        points=points,
        choices=(choice("A", True), choice("B"), choice("C", True), choice("D")),
    )


def true_false(qid: str = "tf", answer: bool = False) -> Question:
    return Question(
        id=qid, type=QuestionType.TRUE_FALSE, prompt=text("True?"), points=1, answer=answer
    )


def text_question(qid: str = "word") -> Question:
    return Question(
        id=qid,
        type=QuestionType.TEXT,
        prompt=text("Which posture?"),
        points=1,
        accept=MappingProxyType(
            {"en": ("co-construction",), "fr": ("co-construction", "Savoir expérientiel")}
        ),
    )


def reflection(qid: str = "think") -> Question:
    return Question(id=qid, type=QuestionType.REFLECTION, prompt=text("Your view?"), points=0)


def asked(question: Question) -> AskedQuestion:
    return KINDS[question.type].snapshot(question, None)


def quiz(*questions: Question, draw: int | None = None, shuffle: bool = False) -> Quiz:
    return Quiz(
        stem="final",
        title=text("Final"),
        pass_mark=80,
        max_attempts=3,
        shuffle=shuffle,
        draw=draw,
        show_answers=ShowAnswers.AFTER_SUBMIT,
        questions=questions,
    )


# Text matching ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "accepted"),
    [
        ("Co-construction", "coconstruction"),
        ("coconstruction", "Co-construction"),
        ("co construction", "co-construction"),
        ("Savoir expérientiel", "savoir experientiel"),
        ("SAVOIR EXPÉRIENTIEL", "savoir expérientiel"),
        ("co\u2013construction", "co-construction"),  # en dash
        ("co\u2014construction", "co-construction"),  # em dash
        ("co\u2011construction", "co-construction"),  # non-breaking hyphen
        ("co\u2212construction", "co-construction"),  # minus sign
        ("savoir\u00a0expérientiel", "savoir expérientiel"),  # non-breaking space
        ("savoir\u202fexpérientiel", "savoir expérientiel"),  # narrow non-breaking space
        ("  co-construction.  ", "co-construction"),
        ("« co-construction »", "co-construction"),
        ("l\u2019expérience", "l'experience"),
        ("e\u0301quite\u0301", "équité"),  # decomposed accents
    ],
)
def test_text_answers_match_ignoring_case_accents_spacing_and_hyphens(
    given: str, accepted: str
) -> None:
    assert normalize_text(given) == normalize_text(accepted)
    assert text_matches(given, [accepted])


@pytest.mark.parametrize(
    ("given", "accepted"),
    [
        ("construction", "co-construction"),
        ("co-constructions", "co-construction"),
        ("savoir", "savoir expérientiel"),
        ("", "co-construction"),
        ("  -  ", "co-construction"),
    ],
)
def test_text_answers_that_differ_in_letters_do_not_match(given: str, accepted: str) -> None:
    assert not text_matches(given, [accepted])


def test_a_text_answer_matches_any_languages_accepted_answers() -> None:
    question = asked(text_question())
    results = grade([question], {"word": "SAVOIR experientiel"}, 80)
    assert results.score == 1
    assert grade([question], {"word": "coconstruction"}, 80).score == 1
    assert grade([question], {"word": "partnership"}, 80).score == 0


# Grading each type ----------------------------------------------------------------------


def test_single_choice_is_right_only_for_the_correct_choice() -> None:
    question = asked(single(points=3))
    assert grade([question], {"pick": 1}, 80).score == 3
    assert grade([question], {"pick": 0}, 80).score == 0
    assert grade([question], {"pick": None}, 80).score == 0
    # A boolean is an int in Python; it must not pass for choice 1.
    assert grade([question], {"pick": True}, 80).score == 0


def test_multiple_choice_is_all_or_nothing() -> None:
    question = asked(multiple(points=2))
    assert grade([question], {"many": [0, 2]}, 80).score == 2
    assert grade([question], {"many": [0]}, 80).score == 0
    assert grade([question], {"many": [0, 1, 2]}, 80).score == 0
    assert grade([question], {"many": [0, 1, 2, 3]}, 80).score == 0
    assert grade([question], {"many": []}, 80).score == 0


def test_true_false() -> None:
    question = asked(true_false(answer=False))
    assert grade([question], {"tf": False}, 80).score == 1
    assert grade([question], {"tf": True}, 80).score == 0
    assert grade([question], {}, 80).score == 0


def test_reflection_carries_no_points_and_is_kept_unjudged() -> None:
    questions = [asked(single()), asked(reflection())]
    result = grade(questions, {"pick": 1, "think": "It made me think."}, 80)

    assert (result.score, result.max_score, result.percent, result.passed) == (1, 1, 100, True)
    think = result.result("think")
    assert think is not None
    assert (think.graded, think.answered, think.correct, think.max_points) == (
        False,
        True,
        False,
        0,
    )


def test_points_add_up_and_unanswered_questions_count_as_wrong() -> None:
    questions = [asked(single(points=3)), asked(multiple(points=2)), asked(true_false())]
    result = grade(questions, {"pick": 1, "tf": False}, 80)

    assert (result.score, result.max_score) == (4, 6)
    assert [r.points for r in result.results] == [3, 0, 1]
    many = result.result("many")
    assert many is not None
    assert not many.answered
    assert not many.correct


@pytest.mark.parametrize(
    ("score", "max_score", "passed", "shown"),
    [(4, 5, True, 80), (3, 5, False, 60), (5, 5, True, 100), (79, 100, False, 79)],
)
def test_pass_mark_edge_at_80_percent(score: int, max_score: int, passed: bool, shown: int) -> None:
    assert passes(score, max_score, 80) is passed
    assert percent(score, max_score) == shown


def test_percent_rounds_down_so_a_fail_never_shows_the_pass_mark() -> None:
    # 159/200 is 79.5 %: rounding to nearest would show 80 % next to "not passed".
    assert not passes(159, 200, 80)
    assert percent(159, 200) == 79
    assert passes(160, 200, 80)


def test_four_of_five_questions_pass_at_80_percent() -> None:
    questions = [asked(single(f"q{i}")) for i in range(5)]
    four = {f"q{i}": 1 for i in range(4)}
    assert grade(questions, four, 80).passed
    assert not grade(questions, {f"q{i}": 1 for i in range(3)}, 80).passed


def test_a_quiz_with_nothing_to_score_passes() -> None:
    result = grade([asked(reflection())], {"think": ""}, 80)
    assert (result.score, result.max_score, result.percent, result.passed) == (0, 0, 100, True)


def test_pass_mark_zero_passes_everyone() -> None:
    assert grade([asked(single())], {}, 0).passed


# show_answers ----------------------------------------------------------------------------


def test_disclosure_follows_show_answers() -> None:
    assert disclosure(ShowAnswers.AFTER_SUBMIT, passed_before=False) is Disclosure.ANSWERS
    assert disclosure(ShowAnswers.AFTER_PASS, passed_before=False) is Disclosure.SCORE
    assert disclosure(ShowAnswers.AFTER_PASS, passed_before=True) is Disclosure.ANSWERS
    assert disclosure(ShowAnswers.NEVER, passed_before=True) is Disclosure.SCORE
    last = ShowAnswers.AFTER_PASS_OR_LAST
    assert disclosure(last, passed_before=False) is Disclosure.MISTAKES
    assert disclosure(last, passed_before=True) is Disclosure.ANSWERS
    assert disclosure(last, passed_before=False, no_attempt_left=True) is Disclosure.ANSWERS
    assert disclosure(ShowAnswers.AFTER_PASS, False, no_attempt_left=True) is Disclosure.SCORE


def test_results_hide_correctness_feedback_and_explanations_unless_disclosed() -> None:
    questions = [asked(single()), asked(true_false()), asked(text_question())]
    answers = {"pick": 0, "tf": True, "word": "partnership"}
    graded = grade(questions, answers, 80)

    hidden = result_questions(questions, answers, graded, Disclosure.SCORE, "en")
    assert [q.correct for q in hidden] == [None, None, None]
    assert [q.points for q in hidden] == [None, None, None]
    assert all(c.correct is None and c.feedback is None for c in hidden[0].choices)
    assert [c.chosen for c in hidden[0].choices] == [True, False, False]
    assert hidden[0].explanation is None
    assert hidden[1].expected_bool is None
    assert hidden[1].given_bool is True
    assert hidden[2].accepted == ()
    assert hidden[2].given_text == "partnership"

    shown = result_questions(questions, answers, graded, Disclosure.ANSWERS, "fr")
    assert [q.correct for q in shown] == [False, False, False]
    assert [c.correct for c in shown[0].choices] == [False, True, False]
    assert shown[0].explanation == "B because. (fr)"
    assert shown[1].expected_bool is False
    assert shown[2].accepted == ("co-construction", "Savoir expérientiel")


def test_mistakes_are_marked_and_explained_without_the_correct_answers() -> None:
    questions = [asked(single()), asked(true_false()), asked(text_question())]
    answers = {"pick": 0, "tf": True, "word": "partnership"}
    graded = grade(questions, answers, 80)

    marked = result_questions(questions, answers, graded, Disclosure.MISTAKES, "fr")

    assert [q.correct for q in marked] == [False, False, False]
    assert marked[0].explanation == "B because. (fr)"
    assert all(c.correct is None for c in marked[0].choices)  # not which one is right
    assert marked[1].expected_bool is None
    assert marked[2].accepted == ()


def test_choice_feedback_is_shown_for_the_choices_picked() -> None:
    question = asked(single())
    answers = {"pick": 1}
    shown = result_questions(
        [question], answers, grade([question], answers, 80), Disclosure.ANSWERS, "en"
    )
    assert [c.feedback for c in shown[0].choices] == [None, "Yes: B", None]


# Drawing, shuffling, snapshots -----------------------------------------------------------


def test_draw_counts_graded_questions_and_always_asks_reflections() -> None:
    the_quiz = quiz(*(single(f"q{i}") for i in range(6)), reflection("r1"), draw=3)
    for seed in range(20):
        drawn = draw_questions(the_quiz, random.Random(seed))
        assert len([q for q in drawn if q.graded]) == 3
        assert drawn[-1].id == "r1"


def test_without_shuffle_questions_and_choices_keep_the_file_order() -> None:
    the_quiz = quiz(single("a"), multiple("b"), true_false("c"), reflection("d"))
    drawn = draw_questions(the_quiz, random.Random(1))
    assert [q.id for q in drawn] == ["a", "b", "c", "d"]
    assert [c.index for c in drawn[0].choices] == [0, 1, 2]


def test_shuffle_reorders_questions_and_choices_but_not_reflections() -> None:
    the_quiz = quiz(*(multiple(f"q{i}") for i in range(5)), reflection("last"), shuffle=True)
    orders = set()
    choice_orders = set()
    for seed in range(30):
        drawn = draw_questions(the_quiz, random.Random(seed))
        assert drawn[-1].id == "last"
        orders.add(tuple(q.id for q in drawn))
        choice_orders.add(tuple(c.index for c in drawn[0].choices))
    assert len(orders) > 1
    assert len(choice_orders) > 1


def test_a_snapshot_survives_json() -> None:
    questions = (
        asked(single()),
        asked(multiple()),
        asked(true_false()),
        asked(text_question()),
        asked(reflection()),
    )
    assert snapshot_from_json(snapshot_to_json(questions)) == questions


def test_a_snapshot_keeps_plain_strings_for_every_language() -> None:
    question = Question(
        id="plain", type=QuestionType.TRUE_FALSE, prompt=Localized.plain("Vrai?"), points=1
    )
    restored = snapshot_from_json(snapshot_to_json((asked(question),)))[0]
    assert restored.prompt.get("en") == restored.prompt.get("fr") == "Vrai?"


# Parsing form values ---------------------------------------------------------------------


def parse(question: Question | AskedQuestion, *values: str) -> object:
    shown = asked(question) if isinstance(question, Question) else question
    return KINDS[shown.type].parse(shown, values)


def test_choice_forms_send_positions_which_map_to_original_indices() -> None:
    shuffled = KINDS[QuestionType.SINGLE].snapshot(single(), random.Random(3))
    original = [c.index for c in shuffled.choices]
    assert original != [0, 1, 2]
    assert parse(shuffled, "0") == original[0]
    assert parse(multiple(), "2", "0", "2") == [0, 2]
    assert parse(multiple()) == []


def test_parsers_read_empty_values_as_unanswered() -> None:
    assert parse(single()) is None
    assert parse(single(), "") is None
    assert parse(true_false()) is None
    assert parse(true_false(), "false") is False
    assert parse(text_question(), "  co-construction ") == "co-construction"
    assert parse(reflection(), "line 1\r\nline 2") == "line 1\nline 2"


@pytest.mark.parametrize(
    ("question", "values"),
    [
        (single(), ("3",)),
        (single(), ("-1",)),
        (single(), ("one",)),
        (single(), ("\u0661",)),  # an Arabic-Indic digit: isdigit() but not a position
        (single(), ("0", "1")),
        (multiple(), ("0", "9")),
        (multiple(), ("0", "1", "2", "3", "0")),
        (true_false(), ("yes",)),
        (text_question(), ("x" * (TEXT_MAX_LENGTH + 1),)),
        (reflection(), ("x" * (REFLECTION_MAX_LENGTH + 1),)),
    ],
)
def test_values_no_form_could_send_are_refused(question: Question, values: tuple[str, ...]) -> None:
    with pytest.raises(AnswerNotValid):
        parse(question, *values)


def test_the_form_view_carries_no_answers() -> None:
    questions = [asked(single()), asked(true_false()), asked(text_question())]
    shown = form_questions(questions, {"pick": 1, "tf": False}, "en")

    assert [q.field for q in shown] == ["answer-pick", "answer-tf", "answer-word"]
    assert shown[0].selected == frozenset({"1"})
    assert shown[1].selected == frozenset({"false"})
    fields = set(type(shown[0]).__dataclass_fields__)
    assert not fields & {"correct", "feedback", "explanation", "accepted", "answer", "accept"}
