"""Unknown ids come with the closest known one, and every file's errors come in one pass."""

from __future__ import annotations

from collections.abc import Callable

from tests.unit.content.conftest import COURSE_YAML

Check = Callable[..., list[str]]

COURSE = "courses/demo/course.yaml"
CERTIFICATE = "certificates/demo.yaml"
REQUIRING = (
    "id: demo\ntitle: Demo\nrequires: [{}]\nstatement: done\n"
    "issuer: {{name: Parcours, url: 'https://example.org'}}\n"
)


def test_a_misspelt_required_course_suggests_the_closest_id(check: Check) -> None:
    assert check({CERTIFICATE: REQUIRING.format("dmeo")}) == [
        f"{CERTIFICATE}:3:12: error: unknown course 'dmeo': no course has this id "
        "(did you mean 'demo'?)"
    ]


def test_a_misspelt_prerequisite_suggests_the_closest_id(check: Check) -> None:
    other = COURSE_YAML.replace("id: demo", "id: ppeet").replace("courses/demo", "x")
    course = COURSE_YAML.replace("prerequisites: []", "prerequisites: [ppet]")
    problems = check({COURSE: course, "courses/other/course.yaml": other})
    assert problems[0] == (
        f"{COURSE}:6:17: error: unknown prerequisite 'ppet': no course has this id "
        "(did you mean 'ppeet'?)"
    )


def test_a_misspelt_outline_item_suggests_the_closest_file(check: Check) -> None:
    course = COURSE_YAML.replace("items: [welcome, final.quiz]", "items: [welcom, final.quiz]")
    problems = check({COURSE: course})
    assert (
        f"{COURSE}:9:13: error: outline item 'welcom' has no file ('welcom.md') "
        "(did you mean 'welcome'?)"
    ) in problems


def test_a_far_fetched_id_gets_no_suggestion(check: Check) -> None:
    assert check({CERTIFICATE: REQUIRING.format("por-404")}) == [
        f"{CERTIFICATE}:3:12: error: unknown course 'por-404': no course has this id"
    ]


def test_a_certificate_error_comes_with_the_course_errors_in_one_pass(check: Check) -> None:
    """An unreadable course.yaml used to hide every unknown course id until it was fixed."""
    broken = COURSE_YAML.replace("id: demo", "id: [demo")
    problems = check({COURSE: broken, CERTIFICATE: REQUIRING.format("dmeo")})
    assert problems[0] == (
        f"{CERTIFICATE}:3:12: error: unknown course 'dmeo': no course has this id "
        "(did you mean 'demo'?)"
    )
    assert problems[1].startswith(f"{COURSE}:2:")
    assert "YAML syntax error" in problems[1]
    assert len(problems) == 2


def test_the_id_of_an_unreadable_course_yaml_is_not_called_unknown(check: Check) -> None:
    broken = COURSE_YAML.replace("id: demo", "id: democourse").replace("languages: [en", "langu: [")
    problems = check({COURSE: broken, CERTIFICATE: REQUIRING.format("democourse")})
    assert problems
    assert all(p.startswith(COURSE) for p in problems), problems


def test_an_unknown_prerequisite_is_told_while_another_course_is_unreadable(check: Check) -> None:
    course = COURSE_YAML.replace("prerequisites: []", "prerequisites: [por-999]")
    problems = check({COURSE: course, "courses/other/course.yaml": "id: [broken\n"})
    assert any("unknown prerequisite 'por-999'" in p for p in problems), problems
    assert any(p.startswith("courses/other/course.yaml:") for p in problems), problems


def test_lesson_errors_come_with_the_outline_and_id_errors(check: Check) -> None:
    course = COURSE_YAML.replace("id: demo", "id: Demo Course").replace(
        "items: [welcome, final.quiz]", "items: [welcome, final.quiz, missing]"
    )
    lesson = "---\ntitle: Welcome\n---\n![x](media/none.png)\n"
    problems = check({COURSE: course, "courses/demo/welcome.md": lesson})
    assert [p.split(": ")[0] for p in problems] == [
        "courses/demo/course.yaml:1:5",
        "courses/demo/course.yaml:9:34",
        "courses/demo/welcome.md:4:6",
    ]


def test_a_link_to_a_lesson_with_an_error_is_no_second_error(check: Check) -> None:
    """welcome.fr.md is missing: the link from the quiz's lesson to it is not also wrong."""
    course = COURSE_YAML.replace(
        "items: [welcome, final.quiz]", "items: [welcome, other, final.quiz]"
    )
    other = "---\ntitle: Other\n---\nSee [the welcome](welcome.md).\n"
    files = {
        COURSE: course,
        "courses/demo/welcome.fr.md": None,
        "courses/demo/other.md": other,
        "courses/demo/other.fr.md": other,
    }
    problems = check(files)
    assert len(problems) == 1
    assert "lesson 'welcome' has no French text" in problems[0]
