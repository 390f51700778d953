"""The shipped courses and certificates meet the content requirements and check clean."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lms.content import Catalog, Course, QuestionType, Scoring, ShowAnswers, load_content

PROJECT = Path(__file__).resolve().parents[3]
COURSE_IDS = ("por-101", "por-201", "engagement-evaluation", "quality-improvement")


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    load = load_content(PROJECT)
    assert [p.format(PROJECT) for p in load.problems] == []
    return load.catalog


def test_shipped_content_has_no_error_and_no_warning(shipped: Catalog) -> None:
    assert set(shipped.courses) == set(COURSE_IDS)


def test_the_catalogue_recommends_module_101_first(shipped: Catalog) -> None:
    """The path the content brief recommends: the basics, then research, then the two others."""
    assert list(shipped.courses) == [
        "por-101",
        "por-201",
        "engagement-evaluation",
        "quality-improvement",
    ]


@pytest.mark.parametrize("course_id", COURSE_IDS)
def test_each_course_has_a_short_label_in_both_languages(shipped: Catalog, course_id: str) -> None:
    """The staff's cohort matrix heads its columns with these, to fit a laptop's screen."""
    course = shipped.courses[course_id]
    for language in ("fr", "en"):
        short = course.short_title.values[language]
        assert len(short) <= 22 < len(course.title.get(language)), (short, language)


@pytest.mark.parametrize("course_id", COURSE_IDS)
def test_course_shape(shipped: Catalog, course_id: str) -> None:
    course = shipped.courses[course_id]
    assert course.languages == ("en", "fr")
    assert 2 <= len(course.sections) <= 3
    assert 5 <= len(course.lessons) <= 10
    assert 45 <= sum(lesson.minutes or 0 for lesson in course.lessons.values()) <= 120
    expected_prerequisites = () if course_id == "por-101" else ("por-101",)
    assert course.prerequisites == expected_prerequisites


@pytest.mark.parametrize("course_id", COURSE_IDS)
def test_each_lesson_has_a_call_out_and_sources(shipped: Catalog, course_id: str) -> None:
    course = shipped.courses[course_id]
    for lesson in course.lessons.values():
        for language in course.languages:
            html = lesson.html.get(language)
            assert 'class="callout ' in html, (lesson.stem, language)
            assert re.search(r"<h[2-6][^>]*>\s*Sources", html), (lesson.stem, language)


@pytest.mark.parametrize("course_id", COURSE_IDS)
def test_final_quiz(shipped: Catalog, course_id: str) -> None:
    quiz = shipped.courses[course_id].quizzes["final"]
    assert (quiz.pass_mark, quiz.max_attempts) == (80, 3)
    assert 10 <= len(quiz.questions) <= 24
    assert quiz.draw is not None
    assert 8 <= quiz.draw <= 10
    types = [q.type for q in quiz.questions]
    assert types.count(QuestionType.REFLECTION) == 1
    for question in quiz.questions:
        if question.type is not QuestionType.REFLECTION:
            assert question.explanation is not None, question.id
        for choice in question.choices:
            assert choice.correct or choice.feedback is not None, question.id


def test_question_types_used_across_the_set(shipped: Catalog) -> None:
    used = {q.type for c in shipped.courses.values() for q in c.quizzes["final"].questions}
    assert used == set(QuestionType)


def _figures(course: Course, language: str) -> list[tuple[str, str]]:
    html = "".join(lesson.html.get(language) for lesson in course.lessons.values())
    return re.findall(r'<img src="assets/([^"]+\.svg)" alt="([^"]*)"', html)


def test_svg_figures_have_alt_text_in_both_languages(shipped: Catalog) -> None:
    found = 0
    for course in shipped.courses.values():
        for language in ("en", "fr"):
            for path, alt in _figures(course, language):
                found += 1
                assert alt.strip(), (course.id, path, language)
                assert (
                    (course.folder / path)
                    .read_text(encoding="utf-8")
                    .lstrip()
                    .startswith(("<svg", "<?xml"))
                )
    assert found >= 2


def test_certificates(shipped: Catalog) -> None:
    certificates = shipped.certificates
    for course_id in COURSE_IDS:
        assert any(c.requires == (course_id,) for c in certificates.values()), course_id
    program = certificates["frq-por-training"]
    assert set(program.requires) == set(COURSE_IDS)
    assert program.title.get("fr") == "Formation complémentaire en recherche axée sur le patient"
    assert program.title.get("en") == "Complementary training in patient-oriented research"
    for certificate in certificates.values():
        assert certificate.logo is not None
        assert (certificate.logo.parent / "LICENSE.md").is_file()


def test_shipped_certificates_name_their_issuer_and_hold_no_placeholder() -> None:
    load = load_content(PROJECT)
    assert [p.format(PROJECT) for p in load.problems_in(production=True)] == []
    for definition in load.catalog.certificates.values():
        assert definition.issuer.url == "https://ssaquebec.ca"
        assert definition.issuer.name.get("fr").startswith("Unité de soutien SSA Québec")
        assert definition.signatories, definition.id
        # Signed by role: a deployment adds the person's name (see each file's header).
        assert all(s.name is None and s.title.get("en") for s in definition.signatories)


# What issue #16's review asked of the content, kept so that authors cannot slip back. ------


@pytest.mark.parametrize("course_id", COURSE_IDS)
def test_each_course_says_when_it_was_reviewed(shipped: Catalog, course_id: str) -> None:
    assert shipped.courses[course_id].reviewed is not None


@pytest.mark.parametrize("course_id", COURSE_IDS)
def test_every_lesson_lists_objectives_and_every_question_checks_one(
    shipped: Catalog, course_id: str
) -> None:
    course = shipped.courses[course_id]
    objectives = set()
    for lesson in course.lessons.values():
        assert len(lesson.objectives) >= 2, lesson.stem
        for objective in lesson.objectives:
            assert objective.text.get("fr") != objective.text.get("en"), objective.id
            objectives.add(objective.id)
    checked = set()
    for question in course.quizzes["final"].questions:
        if question.type is not QuestionType.REFLECTION:
            assert question.objective in objectives, question.id
            checked.add(question.objective)
    assert checked == objectives


@pytest.mark.parametrize("course_id", COURSE_IDS)
def test_lessons_cite_the_course_sources_and_write_no_list_by_hand(
    shipped: Catalog, course_id: str
) -> None:
    course = shipped.courses[course_id]
    for lesson in course.lessons.values():
        for language in course.languages:
            html = lesson.html.get(language)
            assert 'class="citation"' in html, (lesson.stem, language)
            assert html.count(">Sources</h2>") == 1, (lesson.stem, language)
    for path in course.folder.glob("*.md"):
        assert not re.search(r"^#+ *(Sources|Références)", path.read_text(encoding="utf-8"), re.M)


@pytest.mark.parametrize("course_id", COURSE_IDS)
def test_final_quizzes_hide_answers_until_a_pass_and_give_partial_credit(
    shipped: Catalog, course_id: str
) -> None:
    quiz = shipped.courses[course_id].quizzes["final"]
    assert quiz.show_answers is ShowAnswers.AFTER_PASS_OR_LAST
    for question in quiz.questions:
        if question.type is QuestionType.MULTIPLE:
            assert question.scoring is Scoring.PARTIAL, question.id


def test_no_question_is_asked_in_two_courses(shipped: Catalog) -> None:
    seen: dict[str, str] = {}
    for course in shipped.courses.values():
        for question in course.quizzes["final"].questions:
            prompt = re.sub(r"\W+", " ", question.prompt.get("en")).strip().lower()
            assert seen.setdefault(prompt, course.id) == course.id, (question.id, seen[prompt])


def test_module_201_offers_the_tools_to_take_away_in_both_languages(shipped: Catalog) -> None:
    course = shipped.courses["por-201"]
    for stem in ("role-description", "engagement-plan", "gripp2-short-form", "compensation-note"):
        for language in ("fr", "en"):
            kept = [
                r for r in course.resources if r.file.startswith(f"resources/{stem}.{language}.")
            ]
            assert {r.format for r in kept} >= {"ODT", "PDF"}, (stem, language)
            assert all(r.language == language and r.lesson in course.lessons for r in kept)
