"""Learning objectives: listed in a lesson's front matter, named by the questions that check
them, and checked both ways by ``lms courses check``."""

from __future__ import annotations

from collections.abc import Callable

from lms.content import load_content
from lms.content.typography import NBSP
from tests.unit.content.conftest import QUIZ_YAML, WELCOME_EN, WELCOME_FR, MakeRoot

Check = Callable[..., list[str]]

EN = "courses/demo/welcome.md"
FR = "courses/demo/welcome.fr.md"
QUIZ = "courses/demo/final.quiz.yaml"
OBJECTIVES = (
    "objectives:\n"
    "  - id: define-partnership\n"
    '    en: "Define patient partnership"\n'
    '    fr: "Définir : le partenariat"\n'
    '  - {id: name-areas, en: "Name the five areas", fr: "Nommer les cinq domaines"}\n'
)


def with_objectives(lesson: str, objectives: str = OBJECTIVES) -> str:
    return lesson.replace("minutes: 5\n", "minutes: 5\n" + objectives, 1)


def checking(*objective_ids: str) -> str:
    """The base quiz, its two questions naming ``objective_ids`` in turn."""
    quiz = QUIZ_YAML
    for question, objective in zip(("pick-one", "is-true"), objective_ids, strict=False):
        quiz = quiz.replace(
            f"  - id: {question}\n", f"  - id: {question}\n    objective: {objective}\n"
        )
    return quiz


def test_objectives_are_read_in_every_language_and_named_by_questions(make_root: MakeRoot) -> None:
    root = make_root(
        {
            EN: with_objectives(WELCOME_EN),
            FR: with_objectives(WELCOME_FR),
            QUIZ: checking("define-partnership", "name-areas"),
        }
    )
    load = load_content(root)

    assert load.problems == ()
    course = load.catalog.courses["demo"]
    objectives = course.lessons["welcome"].objectives
    assert [o.id for o in objectives] == ["define-partnership", "name-areas"]
    assert objectives[0].text.get("en") == "Define patient partnership"
    assert objectives[0].text.get("fr") == f"Définir{NBSP}: le partenariat"
    assert [q.objective for q in course.quizzes["final"].questions] == [
        "define-partnership",
        "name-areas",
    ]


def test_an_unknown_objective_is_an_error_with_the_closest_one(check: Check) -> None:
    files = {
        EN: with_objectives(WELCOME_EN),
        FR: with_objectives(WELCOME_FR),
        QUIZ: checking("define-partnershp", "name-areas"),
    }
    assert check(files) == [
        f"{QUIZ}:6:16: error: question 'pick-one': no lesson of this course has the objective "
        "'define-partnershp' (did you mean 'define-partnership'?)"
    ]


def test_an_objective_no_question_checks_is_a_warning_on_its_line(check: Check) -> None:
    files = {
        EN: with_objectives(WELCOME_EN),
        FR: with_objectives(WELCOME_FR),
        QUIZ: checking("define-partnership"),
    }
    assert check(files) == [
        f"{EN}:8:3: warning: objective 'name-areas' is checked by no quiz question"
    ]


def test_an_objective_needs_its_text_in_each_language_file(check: Check) -> None:
    english_only = 'objectives:\n  - {id: define-partnership, en: "Define patient partnership"}\n'
    files = {
        EN: with_objectives(WELCOME_EN, english_only),
        FR: with_objectives(WELCOME_FR, english_only),
        QUIZ: checking("define-partnership"),
    }
    problems = check(files)
    assert f"{FR}:5:5: error: objective 'define-partnership' needs its text in 'fr'" in problems
    assert f"{FR}:2: error: objective 'define-partnership' is missing from this file" in problems
