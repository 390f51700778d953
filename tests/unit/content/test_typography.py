"""French typography's non-breaking spaces: the rules, and where lessons apply them."""

from __future__ import annotations

import pytest

from lms.content import load_content
from lms.content.typography import NBSP, french_spaces
from tests.unit.content.conftest import (
    CERTIFICATE_YAML,
    COURSE_YAML,
    QUIZ_YAML,
    WELCOME_FR,
    MakeRoot,
)


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


def test_french_titles_and_plain_texts_of_yaml_files_get_them_too(make_root: MakeRoot) -> None:
    root = make_root(
        {
            "courses/demo/course.yaml": COURSE_YAML.replace(
                'fr: "Cours démo"', 'fr: "Module 201 : le « partenariat »"'
            ).replace('fr: "Début"', 'fr: "Étape 1 : lire"'),
            "courses/demo/welcome.fr.md": WELCOME_FR.replace(
                "title: Bienvenue", "title: 'Bienvenue : « premiers pas »'"
            ),
            "courses/demo/final.quiz.yaml": QUIZ_YAML.replace(
                'fr: "Questionnaire final"', 'fr: "Questionnaire : final"'
            ),
            "certificates/demo.yaml": CERTIFICATE_YAML.replace(
                'fr: "Certificat démo"', 'fr: "Attestation : « démo »"'
            ),
        }
    )
    load = load_content(root)
    assert load.problems == ()
    catalog = load.catalog
    course = catalog.courses["demo"]

    assert course.title.get("fr") == f"Module 201{NBSP}: le «{NBSP}partenariat{NBSP}»"
    assert course.title.get("en") == "Demo course"
    assert course.sections[0].title.get("fr") == f"Étape 1{NBSP}: lire"
    assert course.lessons["welcome"].title.get("fr") == (
        f"Bienvenue{NBSP}: «{NBSP}premiers pas{NBSP}»"
    )
    assert course.quizzes["final"].title.get("fr") == f"Questionnaire{NBSP}: final"
    assert catalog.certificates["demo"].title.get("fr") == f"Attestation{NBSP}: «{NBSP}démo{NBSP}»"
