"""Resources to take away: listed in course.yaml, their files and lessons checked, served."""

from __future__ import annotations

from collections.abc import Callable

from lms.content import load_content
from tests.unit.content.conftest import COURSE_YAML, MakeRoot

Check = Callable[..., list[str]]

COURSE = "courses/demo/course.yaml"
ROLE_FR = "courses/demo/media/role.fr.odt"


def with_resources(resources: str) -> str:
    return COURSE_YAML.replace("prerequisites: []", f"prerequisites: []\nresources:\n{resources}")


def test_a_resource_is_read_and_its_file_served(make_root: MakeRoot) -> None:
    course = with_resources(
        "  - file: media/role.fr.odt\n"
        '    title: "Description de rôle"\n'
        "    language: fr\n"
        "    lesson: welcome\n"
    )
    root = make_root({COURSE: course, ROLE_FR: b"PK odt"})
    load = load_content(root)

    assert load.problems == ()
    demo = load.catalog.courses["demo"]
    (resource,) = demo.resources
    assert (resource.file, resource.language, resource.format, resource.lesson) == (
        "media/role.fr.odt",
        "fr",
        "ODT",
        "welcome",
    )
    assert resource.title.get("fr") == "Description de rôle"
    assert "media/role.fr.odt" in demo.assets


def test_a_missing_file_an_unknown_lesson_and_a_format_are_errors(check: Check) -> None:
    course = with_resources(
        '  - {file: media/role.fr.od, title: "Rôle", language: fr}\n'
        '  - {file: media/rol.fr.odt, title: "Rôle", language: fr, lesson: welcom}\n'
    )
    assert check({COURSE: course, ROLE_FR: b"PK"}) == [
        f"{COURSE}:8:12: error: resource 'media/role.fr.od' must be one of: odt, ods, docx, "
        "xlsx, pdf, txt, csv files",
        f"{COURSE}:9:12: error: resource file 'media/rol.fr.odt' is not in the course folder "
        "(did you mean 'media/role.fr.odt'?)",
        f"{COURSE}:9:12: error: resource 'media/rol.fr.odt': lesson 'welcom' is not in the "
        "outline (did you mean 'welcome'?)",
    ]
