"""Every problem the course format can have is reported at its file, line and column."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from lms.content import load_content
from tests.unit.content.conftest import COURSE_YAML, QUIZ_YAML, MakeRoot

Check = Callable[..., list[str]]

COURSE = "courses/demo/course.yaml"
QUIZ = "courses/demo/final.quiz.yaml"


def test_the_base_root_is_valid(check: Check) -> None:
    assert check() == []


def test_yaml_syntax_error_names_its_line(check: Check) -> None:
    broken = COURSE_YAML.replace(
        'summary: {en: "A small course.", fr: "Un petit cours."}',
        'summary: {en: "A small course.", fr: "Un petit cours."',
    )
    problems = check({COURSE: broken})
    assert len(problems) == 1
    assert problems[0].startswith(f"{COURSE}:4:")
    assert "YAML syntax error" in problems[0]


def test_misspelt_key_is_named_with_a_suggestion(check: Check) -> None:
    problems = check({COURSE: COURSE_YAML.replace("estimated_minutes:", "estimated_minute:")})
    assert problems == [
        f"{COURSE}:5:1: error: course: unknown key 'estimated_minute' "
        "(did you mean 'estimated_minutes'?)"
    ]


def test_unknown_key_in_a_question(check: Check) -> None:
    quiz = QUIZ_YAML.replace("    answer: true", "    answer: true\n    choises: []")
    assert check({QUIZ: quiz}) == [
        f"{QUIZ}:17:5: error: question 'is-true': unknown key 'choises' (did you mean 'choices'?)"
    ]


def test_wrong_type_is_reported_at_the_value(check: Check) -> None:
    problems = check(
        {COURSE: COURSE_YAML.replace("estimated_minutes: 20", "estimated_minutes: soon")}
    )
    assert problems == [
        f"{COURSE}:5:20: error: 'estimated_minutes' must be a whole number, not text"
    ]


def test_a_list_where_text_is_expected(check: Check) -> None:
    quiz = QUIZ_YAML.replace('prompt: {en: "True?", fr: "Vrai?"}', "prompt: [a, b]")
    assert check({QUIZ: quiz}) == [
        f"{QUIZ}:15:13: error: question 'is-true': 'prompt' must be text, not a list"
    ]


def test_bad_course_id(check: Check) -> None:
    problems = check({COURSE: COURSE_YAML.replace("id: demo", "id: Demo Course")})
    assert problems[0].startswith(
        f"{COURSE}:1:5: error: course 'id' 'Demo Course' is not a valid id"
    )


def test_bad_question_id(check: Check) -> None:
    problems = check({QUIZ: QUIZ_YAML.replace("id: pick-one", "id: pick_one")})
    assert problems[0].startswith(f"{QUIZ}:5:9: error: question id 'pick_one' is not a valid id")


def test_missing_translation_of_a_field(check: Check) -> None:
    course = COURSE_YAML.replace(
        'summary: {en: "A small course.", fr: "Un petit cours."}',
        'summary: {en: "A small course."}',
    )
    assert check({COURSE: course}) == [f"{COURSE}:3:10: error: 'summary' has no French text ('fr')"]


def test_missing_translation_in_a_choice(check: Check) -> None:
    quiz = QUIZ_YAML.replace('feedback: {en: "No.", fr: "Non."}', 'feedback: {en: "No."}')
    assert check({QUIZ: quiz}) == [
        f"{QUIZ}:12:19: error: question 'pick-one': choice 'feedback' has no French text ('fr')"
    ]


def test_missing_lesson_language_file(check: Check) -> None:
    assert check({"courses/demo/welcome.fr.md": None}) == [
        f"{COURSE}:9:13: error: lesson 'welcome' has no French text (missing 'welcome.fr.md')"
    ]


def test_outline_item_without_a_file(check: Check) -> None:
    course = COURSE_YAML.replace(
        "items: [welcome, final.quiz]", "items: [welcome, missing, final.quiz]"
    )
    assert check({COURSE: course}) == [
        f"{COURSE}:9:22: error: outline item 'missing' has no file ('missing.md')"
    ]


def test_outline_quiz_without_a_file(check: Check) -> None:
    assert check({QUIZ: None}) == [
        f"{COURSE}:9:22: error: outline item 'final.quiz' has no file ('final.quiz.yaml')"
    ]


def test_lesson_not_in_the_outline_is_a_warning(check: Check) -> None:
    extra = "---\ntitle: Extra\n---\nMore.\n"
    assert check({"courses/demo/extra.md": extra, "courses/demo/extra.fr.md": extra}) == [
        f"{COURSE}:8:3: warning: lesson 'extra' is not in the outline"
    ]


def test_single_choice_with_two_correct_answers(check: Check) -> None:
    quiz = QUIZ_YAML.replace('feedback: {en: "No.", fr: "Non."}', "correct: true")
    assert check({QUIZ: quiz}) == [
        f"{QUIZ}:9:7: error: question 'pick-one': a single-choice question needs exactly one "
        "correct choice, it has 2"
    ]


def test_single_choice_with_no_correct_answer(check: Check) -> None:
    quiz = QUIZ_YAML.replace("        correct: true\n", "")
    assert check({QUIZ: quiz}) == [
        f"{QUIZ}:9:7: error: question 'pick-one': a single-choice question needs exactly one "
        "correct choice, it has 0"
    ]


def test_multiple_choice_needs_a_correct_answer(check: Check) -> None:
    quiz = QUIZ_YAML.replace("type: single", "type: multiple").replace(
        "        correct: true\n", ""
    )
    assert check({QUIZ: quiz}) == [
        f"{QUIZ}:9:7: error: question 'pick-one': a multiple-choice question needs at least "
        "one correct choice"
    ]


def test_true_false_needs_an_answer(check: Check) -> None:
    quiz = QUIZ_YAML.replace("    answer: true\n", "")
    assert check({QUIZ: quiz}) == [
        f"{QUIZ}:13:5: error: question 'is-true': true_false needs 'answer'"
    ]


def test_a_key_of_another_question_type(check: Check) -> None:
    quiz = QUIZ_YAML.replace("    answer: true\n", "    answer: true\n    accept: [yes]\n")
    assert check({QUIZ: quiz}) == [
        f"{QUIZ}:17:13: error: question 'is-true': 'accept' does not apply to true_false questions"
    ]


def test_draw_above_the_question_count(check: Check) -> None:
    quiz = QUIZ_YAML.replace("max_attempts: 3", "max_attempts: 3\ndraw: 5")
    assert check({QUIZ: quiz}) == [
        f"{QUIZ}:4:7: error: 'draw' asks for 5 questions but the quiz has only 2"
    ]


def test_pass_mark_outside_0_to_100(check: Check) -> None:
    quiz = QUIZ_YAML.replace("pass_mark: 80", "pass_mark: 120")
    assert check({QUIZ: quiz}) == [
        f"{QUIZ}:2:12: error: 'pass_mark' must be between 0 and 100, not 120"
    ]


def test_duplicate_question_ids(check: Check) -> None:
    quiz = QUIZ_YAML.replace("id: is-true", "id: pick-one")
    assert check({QUIZ: quiz}) == [
        f"{QUIZ}:13:9: error: duplicate question id 'pick-one' (first on line 5)"
    ]


def test_duplicate_outline_items(check: Check) -> None:
    course = COURSE_YAML.replace(
        "items: [welcome, final.quiz]", "items: [welcome, welcome, final.quiz]"
    )
    assert check({COURSE: course}) == [
        f"{COURSE}:9:22: error: outline item 'welcome' is listed twice (first on line 9)"
    ]


def test_duplicate_keys(check: Check) -> None:
    course = COURSE_YAML.replace(
        "estimated_minutes: 20", "estimated_minutes: 20\nestimated_minutes: 30"
    )
    assert check({COURSE: course}) == [
        f"{COURSE}:6:1: error: course: duplicate key 'estimated_minutes' (first on line 5)"
    ]


def test_duplicate_course_ids(check: Check) -> None:
    files = {
        f"courses/zz-copy/{name.split('/')[-1]}": content
        for name, content in {
            COURSE: COURSE_YAML,
            "courses/demo/welcome.md": "---\ntitle: W\n---\nHi\n",
            "courses/demo/welcome.fr.md": "---\ntitle: B\n---\nSalut\n",
            QUIZ: QUIZ_YAML,
        }.items()
    }
    assert check(files) == [
        "courses/zz-copy/course.yaml:1:5: error: course id 'demo' is already used by "
        "courses/demo/course.yaml"
    ]


def test_image_to_a_missing_file(check: Check) -> None:
    lesson = (
        "---\ntitle: Welcome\n---\nIntro.\n\nSee the figure:\n"
        "![The continuum](media/continuum.png)\n"
    )
    assert check({"courses/demo/welcome.md": lesson}) == [
        "courses/demo/welcome.md:7:18: error: link to a missing file 'media/continuum.png'"
    ]


def test_link_to_a_missing_file_counts_front_matter_lines(check: Check) -> None:
    lesson = (
        "---\ntitle: Bienvenue\nminutes: 5\n---\n# Bonjour\n\nLire [le guide](media/guide.pdf).\n"
    )
    assert check({"courses/demo/welcome.fr.md": lesson}) == [
        "courses/demo/welcome.fr.md:7:17: error: link to a missing file 'media/guide.pdf'"
    ]


def test_link_outside_the_course_folder(check: Check) -> None:
    lesson = "---\ntitle: Welcome\n---\n[secret](../../certificates/demo.yaml)\n"
    assert check({"courses/demo/welcome.md": lesson}) == [
        "courses/demo/welcome.md:4:10: error: link '../../certificates/demo.yaml' leads outside "
        "the course folder"
    ]


def test_missing_file_in_a_quiz_prompt(check: Check) -> None:
    quiz = QUIZ_YAML.replace(
        'prompt: {en: "True?", fr: "Vrai?"}', 'prompt: {en: "True? ![x](media/x.png)", fr: "Vrai?"}'
    )
    assert check({QUIZ: quiz}) == [f"{QUIZ}:15:13: error: link to a missing file 'media/x.png'"]


def test_video_without_captions_in_each_language(check: Check) -> None:
    lesson = "---\ntitle: Welcome\n---\nWatch:\n\n![A patient's story](media/story.mp4)\n"
    problems = check(
        {
            "courses/demo/welcome.md": lesson,
            "courses/demo/media/story.mp4": b"\x00\x00",
            "courses/demo/media/story.en.vtt": "WEBVTT\n",
        }
    )
    assert problems == [
        "courses/demo/welcome.md:6:22: error: video 'media/story.mp4' has no French captions "
        "('media/story.fr.vtt')"
    ]


def test_unknown_prerequisite(check: Check) -> None:
    course = COURSE_YAML.replace("prerequisites: []", "prerequisites: [por-999]")
    assert check({COURSE: course}) == [
        f"{COURSE}:6:17: error: unknown prerequisite 'por-999': no course has this id"
    ]


def test_prerequisite_cycle(check: Check) -> None:
    other = COURSE_YAML.replace("id: demo", "id: other").replace(
        "prerequisites: []", "prerequisites: [demo]"
    )
    files = {
        COURSE: COURSE_YAML.replace("prerequisites: []", "prerequisites: [other]"),
        "courses/other/course.yaml": other,
        "courses/other/welcome.md": "---\ntitle: W\n---\nHi\n",
        "courses/other/welcome.fr.md": "---\ntitle: B\n---\nSalut\n",
        "courses/other/final.quiz.yaml": QUIZ_YAML,
    }
    assert check(files) == [
        f"{COURSE}:6:17: error: prerequisite cycle: demo -> other -> demo",
        "courses/other/course.yaml:6:17: error: prerequisite cycle: demo -> other -> demo",
    ]


def test_a_course_that_requires_itself(check: Check) -> None:
    course = COURSE_YAML.replace("prerequisites: []", "prerequisites: [demo]")
    assert check({COURSE: course}) == [f"{COURSE}:6:17: error: prerequisite cycle: demo -> demo"]


def _second_course(**changes: str) -> dict[str, str | bytes | None]:
    """Files of a course ``other`` beside ``demo``; ``changes`` replace text in its course.yaml."""
    other = COURSE_YAML.replace("id: demo", "id: other")
    for old, new in changes.items():
        other = other.replace(old, new)
    return {
        "courses/other/course.yaml": other,
        "courses/other/welcome.md": "---\ntitle: W\n---\nHi\n",
        "courses/other/welcome.fr.md": "---\ntitle: B\n---\nSalut\n",
        "courses/other/final.quiz.yaml": QUIZ_YAML,
    }


def test_the_catalogue_follows_the_courses_order_not_their_folders(make_root: MakeRoot) -> None:
    # "demo" comes first by folder name; order: puts "other" first.
    root = make_root(
        {
            COURSE: COURSE_YAML.replace("prerequisites: []", "order: 2\nprerequisites: []"),
            **_second_course(**{"prerequisites: []": "order: 1\nprerequisites: []"}),
        }
    )
    load = load_content(root)
    assert list(load.catalog.courses) == ["other", "demo"]
    assert not load.problems


def test_a_course_without_order_comes_after_those_placed(make_root: MakeRoot) -> None:
    root = make_root(_second_course(**{"prerequisites: []": "order: 1\nprerequisites: []"}))
    assert list(load_content(root).catalog.courses) == ["other", "demo"]


@pytest.mark.parametrize(
    ("order", "message"),
    [
        ("0", "'order' must be at least 1, not 0"),
        ("first", "'order' must be a whole number, not text"),
    ],
)
def test_a_bad_order_is_an_error_with_its_place(check: Check, order: str, message: str) -> None:
    course = COURSE_YAML.replace("prerequisites: []", f"order: {order}\nprerequisites: []")
    assert check({COURSE: course}) == [f"{COURSE}:6:8: error: {message}"]


def test_an_order_shared_or_before_a_prerequisite_is_a_warning(check: Check) -> None:
    files = {
        COURSE: COURSE_YAML.replace("prerequisites: []", "order: 1\nprerequisites: []"),
        **_second_course(**{"prerequisites: []": "order: 1\nprerequisites: [demo]"}),
    }
    assert check(files) == [
        "courses/other/course.yaml:6:8: warning: order 1 is also course 'demo's",
    ]
    files[COURSE] = COURSE_YAML.replace("prerequisites: []", "order: 2\nprerequisites: []")
    assert check(files) == [
        "courses/other/course.yaml:6:8: warning: order 1 puts this course before its "
        "prerequisite 'demo' (order 2)",
    ]


def _with_short_title(value: str) -> str:
    return COURSE_YAML.replace("prerequisites: []", f"short_title: {value}\nprerequisites: []")


def test_a_short_title_is_localized_and_defaults_to_the_title(make_root: MakeRoot) -> None:
    root = make_root({COURSE: _with_short_title('{en: "Demo", fr: "Démo"}'), **_second_course()})
    load = load_content(root)

    assert not load.problems
    demo, other = load.catalog.courses["demo"], load.catalog.courses["other"]
    assert (demo.short_title.get("fr"), demo.short_title.get("en")) == ("Démo", "Demo")
    assert demo.title.get("fr") == "Cours démo"
    assert other.short_title == other.title


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("[Demo]", "error: 'short_title' must be text, not a list"),
        ("{en: Demo}", "error: 'short_title' has no French text ('fr')"),
        ("{en: Demo, fr: ''}", "error: 'short_title' (French) must not be empty"),
        (
            "A short title that is not short at all",
            "warning: 'short_title' 'A short title that is not short at all' is longer than "
            "30 characters: tables will be wide",
        ),
    ],
)
def test_a_bad_short_title_is_reported_at_its_line(check: Check, value: str, message: str) -> None:
    [problem] = check({COURSE: _with_short_title(value)})

    assert problem.startswith(f"{COURSE}:6:")
    assert problem.endswith(message)


def test_certificate_requiring_an_unknown_course(check: Check) -> None:
    cert = (
        "id: demo\ntitle: Demo\nrequires: [demo, por-404]\nstatement: done\n"
        "issuer: {name: Parcours, url: 'https://example.org'}\n"
    )
    assert check({"certificates/demo.yaml": cert}) == [
        "certificates/demo.yaml:3:18: error: unknown course 'por-404': no course has this id"
    ]


def test_certificate_using_a_missing_asset(check: Check) -> None:
    cert = (
        "id: demo\ntitle: Demo\nrequires: [demo]\nstatement: done\n"
        "issuer: {name: Parcours, url: 'https://example.org'}\nlogo: assets/logo.png\n"
    )
    assert check({"certificates/demo.yaml": cert}) == [
        "certificates/demo.yaml:6:7: error: 'logo': missing file 'assets/logo.png'"
    ]


def test_certificate_signature_image_must_exist(check: Check) -> None:
    cert = (
        "id: demo\ntitle: Demo\nrequires: [demo]\nstatement: done\n"
        "issuer: {name: Parcours, url: 'https://example.org'}\nsignatories:\n"
        "  - {name: A. Person, signature: assets/sig.png}\n"
    )
    assert check({"certificates/demo.yaml": cert}) == [
        "certificates/demo.yaml:7:34: error: 'signature': missing file 'assets/sig.png'"
    ]


def test_a_signatory_may_sign_by_role_alone(make_root: MakeRoot) -> None:
    cert = (
        "id: demo\ntitle: Demo\nrequires: [demo]\nstatement: done\n"
        "issuer: {name: Parcours, url: 'https://example.org'}\nsignatories:\n"
        "  - {title: {en: Scientific direction, fr: Direction scientifique}}\n"
    )
    load = load_content(make_root({"certificates/demo.yaml": cert}))
    assert not load.has_errors
    (signatory,) = load.catalog.certificates["demo"].signatories
    assert signatory.name is None
    assert signatory.title.get("fr") == "Direction scientifique"


def test_a_signatory_needs_a_name_or_a_title(check: Check) -> None:
    cert = (
        "id: demo\ntitle: Demo\nrequires: [demo]\nstatement: done\n"
        "issuer: {name: Parcours, url: 'https://example.org'}\nsignatories:\n"
        "  - {signature: assets/sig.png}\n"
    )
    assert check({"certificates/demo.yaml": cert}) == [
        "certificates/demo.yaml:7:5: error: a signatory needs a 'name', a 'title' or both"
    ]


def test_certificate_missing_translation(check: Check) -> None:
    cert = (
        "id: demo\ntitle: {en: Demo}\nrequires: [demo]\nstatement: done\n"
        "issuer: {name: Parcours, url: 'https://example.org'}\n"
    )
    assert check({"certificates/demo.yaml": cert}) == [
        "certificates/demo.yaml:2:8: error: 'title' has no French text ('fr')"
    ]


def test_lesson_without_front_matter(check: Check) -> None:
    assert check({"courses/demo/welcome.md": "# Welcome\n\nNo front matter.\n"}) == [
        "courses/demo/welcome.md:1:1: error: a lesson must start with front matter: a '---' "
        "line, then 'title: ...', then a closing '---' line"
    ]


def test_lesson_front_matter_errors_count_from_the_file_top(check: Check) -> None:
    lesson = "---\ntitle: Welcome\nminutes: ten\n---\nBody.\n"
    assert check({"courses/demo/welcome.md": lesson}) == [
        "courses/demo/welcome.md:3:10: error: 'minutes' must be a whole number, not text"
    ]


def test_file_that_is_not_utf8(check: Check) -> None:
    lesson = "---\ntitle: Welcome\n---\nCaf\xe9\n".encode("latin-1")
    assert check({"courses/demo/welcome.md": lesson}) == [
        "courses/demo/welcome.md:4:4: error: the file is not UTF-8 text: save it as UTF-8"
    ]


def test_unsupported_language(check: Check) -> None:
    course = COURSE_YAML.replace("languages: [en, fr]", "languages: [en, fr, xx]")
    problems = check({COURSE: course})
    assert problems == [f"{COURSE}:4:21: error: language 'xx' is not one of: fr, en"]


def test_unknown_call_out_is_a_warning(check: Check) -> None:
    lesson = "---\ntitle: Welcome\n---\n::: danger\nCareful.\n:::\n"
    assert check({"courses/demo/welcome.md": lesson}) == [
        "courses/demo/welcome.md:4:5: warning: unknown call-out 'danger' (use note, tip, warning)"
    ]


def test_all_problems_are_found_in_one_pass(check: Check) -> None:
    quiz = QUIZ_YAML.replace("pass_mark: 80", "pass_mark: -1").replace("    answer: true\n", "")
    course = COURSE_YAML.replace("prerequisites: []", "prerequisites: [nope]")
    problems = check({QUIZ: quiz, COURSE: course, "courses/demo/welcome.fr.md": None})
    # The quiz's errors too, though the outline has one: not only once that is fixed.
    assert [p.split(": error")[0] for p in problems] == [
        f"{COURSE}:6:17",
        f"{COURSE}:9:13",
        f"{QUIZ}:2:12",
        f"{QUIZ}:13:5",
    ]


def test_errors_in_the_quiz_are_all_reported_with_lesson_errors(check: Check) -> None:
    quiz = QUIZ_YAML.replace("pass_mark: 80", "pass_mark: -1").replace("    answer: true\n", "")
    lesson = "---\ntitle: Welcome\n---\n![x](media/none.png)\n"
    problems = check({QUIZ: quiz, "courses/demo/welcome.md": lesson})
    assert [p.split(": error")[0] for p in problems] == [
        f"{QUIZ}:2:12",
        f"{QUIZ}:13:5",
        "courses/demo/welcome.md:4:6",
    ]


def test_the_review_date_is_read_into_the_course(make_root: MakeRoot) -> None:
    course = COURSE_YAML.replace("prerequisites: []", "reviewed: 2026-12-01\nprerequisites: []")
    load = load_content(make_root({COURSE: course}))
    assert not load.problems
    assert load.catalog.courses["demo"].reviewed == date(2026, 12, 1)
    assert load_content(make_root()).catalog.courses["demo"].reviewed is None


@pytest.mark.parametrize(
    ("reviewed", "shown"),
    [("2026-02-30", "'2026-02-30'"), ("december", "'december'"), ("[2026]", "a list")],
)
def test_a_bad_review_date_is_an_error_with_its_place(
    check: Check, reviewed: str, shown: str
) -> None:
    course = COURSE_YAML.replace("prerequisites: []", f"reviewed: {reviewed}\nprerequisites: []")
    assert check({COURSE: course}) == [
        f"{COURSE}:6:11: error: 'reviewed' must be a day such as 2026-12-01, not {shown}"
    ]
