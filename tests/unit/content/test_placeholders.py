"""Placeholder text in certificate definitions: found, and rated by the environment."""

from __future__ import annotations

import pytest

from lms.content import load_content
from lms.content.placeholders import find_placeholder
from tests.unit.content.conftest import MakeRoot


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Parcours — organisme émetteur à configurer", "a configurer"),
        ("Nom du signataire A CONFIGURER", "a configurer"),
        ("Issuing organization to be configured", "to be configured"),
        ("[Name of the signatory]", "[name"),
        ("https://example.org/a-propos", "example.org"),
        ("https://www.EXAMPLE.com", "example.com"),
        ("Lorem ipsum dolor sit amet", "lorem ipsum"),
        ("TODO: the real title", "todo"),
    ],
)
def test_placeholders_are_found_ignoring_case_and_accents(text: str, phrase: str) -> None:
    assert find_placeholder(text) == phrase


@pytest.mark.parametrize(
    "text",
    [
        "Unité de soutien SSA Québec – Renforcement des capacités",
        "https://ssaquebec.ca",
        "Dr. Todorov",
        "a complété la formation « Configurer son projet »",
    ],
)
def test_real_text_is_not_a_placeholder(text: str) -> None:
    assert find_placeholder(text) is None


CERT = (
    "id: demo\ntitle: Demo\nrequires: [demo]\nstatement: done\n"
    "issuer: {name: Parcours, url: 'https://ssaquebec.ca'}\nsignatories:\n"
    "  - name: Nom à configurer\n"
    "    title: {en: Scientific direction, fr: Direction scientifique}\n"
    "    signature: assets/todo.png\n"
)


def test_a_placeholder_is_an_error_in_production_and_a_warning_elsewhere(
    make_root: MakeRoot,
) -> None:
    root = make_root({"certificates/demo.yaml": CERT, "certificates/assets/todo.png": b"png"})
    load = load_content(root)
    assert load.problems == ()
    (placeholder,) = load.placeholders  # the signature's file name is not printed text
    assert (placeholder.definition_id, placeholder.phrase) == ("demo", "a configurer")
    message = (
        "certificates/demo.yaml:7:11: {}: placeholder text 'a configurer' "
        '("Nom à configurer"): production issues no certificate from this definition '
        "until it is replaced"
    )
    shown = [p.format(relative_to=root) for p in load.problems_in(production=True)]
    assert shown == [message.format("error")]
    shown = [p.format(relative_to=root) for p in load.problems_in(production=False)]
    assert shown == [message.format("warning")]
