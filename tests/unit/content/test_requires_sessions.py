"""``requires_sessions:`` in certificate definitions: its shape, and each entry's place."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from lms.content import SessionRequirement, load_content

from .conftest import CERTIFICATE_YAML, MakeRoot

Check = Callable[..., list[str]]
CERTIFICATE = "certificates/demo.yaml"


def _with(requirement: str) -> str:
    return CERTIFICATE_YAML + f"requires_sessions: {requirement}\n"


def test_a_requirement_is_read_with_each_entry_and_its_place(make_root: MakeRoot) -> None:
    root = make_root({CERTIFICATE: _with("{count: 2, of: [frq-webinar, kickoff-2026]}")})

    load = load_content(root)

    assert load.problems == ()
    definition = load.catalog.certificates["demo"]
    assert definition.requires_sessions == SessionRequirement(2, ("frq-webinar", "kickoff-2026"))
    places = [(r.reference, r.line, r.column) for r in load.session_references]
    assert places == [("frq-webinar", 6, 36), ("kickoff-2026", 6, 49)]


def test_a_definition_without_it_requires_no_session(make_root: MakeRoot) -> None:
    load = load_content(make_root())

    assert load.catalog.certificates["demo"].requires_sessions is None
    assert load.session_references == ()


def test_an_unknown_reference_is_reported_at_its_place_with_the_closest_known(
    make_root: MakeRoot,
) -> None:
    root = make_root({CERTIFICATE: _with("{count: 1, of: [frq-webinr]}")})
    (reference,) = load_content(root).session_references

    problem = reference.unknown({"frq-webinar", "kickoff-2026"})

    assert problem.format(relative_to=root) == (
        "certificates/demo.yaml:6:36: error: 'requires_sessions': no live session has the id "
        "or tag 'frq-webinr' (did you mean 'frq-webinar'?)"
    )


WHAT = "'requires_sessions'"


@pytest.mark.parametrize(
    ("requirement", "place", "message"),
    [
        ("2", "6:20", f"{WHAT} must be a mapping of keys to values, not a whole number"),
        ("{of: [frq-webinar]}", "6:20", f"{WHAT} needs 'count'"),
        ("{count: 1}", "6:20", f"{WHAT} needs 'of'"),
        ("{count: 0, of: [a]}", "6:28", f"{WHAT} 'count' must be at least 1, not 0"),
        ("{count: two, of: [a]}", "6:28", f"{WHAT} 'count' must be a whole number"),
        ("{count: 1, of: a}", "6:35", f"{WHAT} 'of' must be a list"),
        ("{count: 1, of: []}", "6:35", f"{WHAT} 'of' must list at least one"),
        ("{count: 1, of: [Webinar_1]}", "6:36", "session id or tag 'Webinar_1' is not a valid id"),
        ("{count: 1, of: [a, a]}", "6:39", f"{WHAT} lists 'a' twice"),
        ("{count: 1, of: [a], at: b}", "6:40", f"{WHAT}: unknown key 'at'"),
    ],
)
def test_a_bad_shape_is_an_error_at_its_place(
    check: Check, requirement: str, place: str, message: str
) -> None:
    problems = check({CERTIFICATE: _with(requirement)})

    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{CERTIFICATE}:{place}: error: {message}")


def test_a_definition_with_a_bad_requirement_is_not_served(make_root: MakeRoot) -> None:
    load = load_content(make_root({CERTIFICATE: _with("{count: 0, of: [a]}")}))

    assert "demo" not in load.catalog.certificates
