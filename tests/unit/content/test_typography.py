"""French typography's non-breaking spaces: the rules, and where lessons apply them."""

from __future__ import annotations

import pytest

from lms.content import load_content
from lms.content.typography import NBSP, french_spaces
from tests.unit.content.conftest import MakeRoot


@pytest.mark.parametrize(
    ("typed", "typeset"),
    [
        ("Objectif : comprendre", f"Objectif{NBSP}: comprendre"),
        ("« patient partenaire »", f"«{NBSP}patient partenaire{NBSP}»"),
        ("«partenaire»", f"«{NBSP}partenaire{NBSP}»"),
        ("50 % des 10 663 membres", f"50{NBSP}% des 10{NBSP}663 membres"),
        ("1 000 000 $", f"1{NBSP}000{NBSP}000{NBSP}$"),
        # Left alone: no space typed before these colons, Quebec's ? and !, years side by side.
        ("https://example.org à 10:30", "https://example.org à 10:30"),
        ("Pourquoi? Voilà!", "Pourquoi? Voilà!"),
        ("de 2014 à 2015, 2014 2015", "de 2014 à 2015, 2014 2015"),
    ],
)
def test_french_spaces(typed: str, typeset: str) -> None:
    assert french_spaces(typed) == typeset


def test_a_french_lesson_gets_them_but_not_its_code_nor_its_links(make_root: MakeRoot) -> None:
    body = "Définition : voir « [la page](https://example.org/?q=a%20:b) ».\n\n`code : x`\n"
    root = make_root(
        {"courses/demo/welcome.fr.md": f"---\ntitle: Bienvenue\nminutes: 7\n---\n{body}"}
    )
    lessons = load_content(root).catalog.courses["demo"].lessons["welcome"]

    french, english = lessons.html.get("fr"), lessons.html.get("en")
    assert f"Définition{NBSP}: voir «{NBSP}<a" in french
    assert 'href="https://example.org/?q=a%20:b"' in french
    assert f"</a>{NBSP}»" in french
    assert "<code>code : x</code>" in french
    assert NBSP not in english
