"""Citations: a course's sources.yaml, cited from lessons with [@id], listed per lesson."""

from __future__ import annotations

from collections.abc import Callable

from lms.content import load_content
from lms.content.courses import LessonCache, load_course
from tests.unit.content.conftest import WELCOME_EN, WELCOME_FR, MakeRoot

Check = Callable[..., list[str]]

SOURCES = "courses/demo/sources.yaml"
EN = "courses/demo/welcome.md"
FR = "courses/demo/welcome.fr.md"
SOURCES_YAML = """\
- id: pomey2015
  authors: Pomey, Flora, Karazivan et al.
  year: 2015
  title: Le « Montreal model »
  journal: Santé Publique 27(S1)
  url: https://www.cairn.info/revue-sante-publique-2015-HS-page-41.htm
  language: fr
- id: carman2013
  authors: Carman et al.
  year: 2013
  title: Patient and family engagement
  journal: Health Affairs 32(2)
  url: https://www.healthaffairs.org/doi/10.1377/hlthaff.2012.1133
  accessed: 2026-11-30
  language: en
"""


def citing(lesson: str, text: str) -> str:
    return lesson + f"\n{text}\n"


def test_citations_are_numbered_and_listed_in_the_lesson_language(make_root: MakeRoot) -> None:
    body = "The continuum [@pomey2015; @carman2013, p. 224], again [@pomey2015]."
    root = make_root(
        {SOURCES: SOURCES_YAML, EN: citing(WELCOME_EN, body), FR: citing(WELCOME_FR, body)}
    )
    load = load_content(root)

    assert load.problems == ()
    html = load.catalog.courses["demo"].lessons["welcome"].html
    english, french = html.get("en"), html.get("fr")
    assert (
        '[<a class="citation" href="#source-1">1</a>; '
        '<a class="citation" href="#source-2">2, p. 224</a>]'
    ) in english
    assert 'again <span class="citations">[<a class="citation" href="#source-1">1</a>]' in english
    assert '<h2 id="lesson-sources">Sources</h2>' in english
    assert (
        '<li id="source-1">Pomey, Flora, Karazivan et al. (2015). <cite>Le « Montreal model »'
        "</cite>. Santé Publique 27(S1). "
        '<a href="https://www.cairn.info/revue-sante-publique-2015-HS-page-41.htm">'
    ) in english
    assert "(in French)" in english
    assert "(en anglais; consulté le 2026-11-30)" in french


def test_an_unknown_source_is_an_error_with_the_closest_id(check: Check) -> None:
    problems = check({SOURCES: SOURCES_YAML, EN: citing(WELCOME_EN, "See [@pomey2016].")})
    assert (
        f"{EN}:11:6: error: unknown source 'pomey2016' (sources.yaml) (did you mean 'pomey2015'?)"
        in problems
    )


def test_sources_no_lesson_cites_or_without_url_or_year_are_warnings(check: Check) -> None:
    sources = SOURCES_YAML + "- id: brochure\n  authors: Someone\n  title: A leaflet\n"
    problems = check({SOURCES: sources, EN: citing(WELCOME_EN, "[@pomey2015]")})
    assert problems == [
        f"{SOURCES}:8:3: warning: source 'carman2013' is cited by no lesson",
        f"{SOURCES}:16:3: warning: source 'brochure' has no url and no year"
        " (write 'year: n.d.' for a page that shows none)",
        f"{SOURCES}:16:3: warning: source 'brochure' is cited by no lesson",
    ]


def test_a_source_link_must_be_a_web_address(check: Check) -> None:
    sources = "- id: bad\n  authors: X\n  title: Y\n  year: 2020\n  url: javascript:alert(1)\n"
    assert check({SOURCES: sources}) == [
        f"{SOURCES}:5:8: error: source 'bad': 'url' must start with https://"
    ]


def test_a_lesson_read_from_the_cache_still_counts_its_citations(make_root: MakeRoot) -> None:
    root = make_root({SOURCES: SOURCES_YAML, EN: citing(WELCOME_EN, "[@pomey2015]")})
    cache = LessonCache()
    first = load_course(root / "courses" / "demo", cache)
    again = load_course(root / "courses" / "demo", cache)

    assert [p.message for p in again.problems] == [p.message for p in first.problems]
    assert [p.message for p in first.problems] == ["source 'carman2013' is cited by no lesson"]


UNDATED_PAGE = """\
- id: unit-page
  authors: Unité de soutien SSA Québec
  year: n.d.
  title: What do patient partners do?
  publisher: SSA Québec
  url: https://ssaquebec.ca/en/
  accessed: 2026-12-07
  language: en
"""


def test_an_undated_page_says_so_and_a_title_keeps_its_question_mark(make_root: MakeRoot) -> None:
    root = make_root(
        {
            SOURCES: UNDATED_PAGE,
            EN: citing(WELCOME_EN, "As the unit says [@unit-page]."),
            FR: citing(WELCOME_FR, "Selon l’unité [@unit-page]."),
        }
    )
    load = load_content(root)

    assert load.problems == ()
    html = load.catalog.courses["demo"].lessons["welcome"].html
    assert (
        "Unité de soutien SSA Québec (n.d.). <cite>What do patient partners do?</cite> SSA Québec."
    ) in html.get("en")
    assert "Unité de soutien SSA Québec (s. d.)." in html.get("fr")
    assert "do?</cite>." not in html.get("en")


def test_an_undated_page_needs_the_day_it_was_read(check: Check) -> None:
    sources = UNDATED_PAGE.replace("  accessed: 2026-12-07\n", "")
    problems = check({SOURCES: sources, EN: citing(WELCOME_EN, "[@unit-page]")})

    assert problems == [
        f"{SOURCES}:1:3: warning: source 'unit-page' is undated (n.d.): "
        "give the day it was 'accessed'"
    ]


def test_a_year_that_is_neither_a_number_nor_n_d_is_an_error(check: Check) -> None:
    sources = UNDATED_PAGE.replace("year: n.d.", "year: recent")
    problems = check({SOURCES: sources, EN: citing(WELCOME_EN, "[@unit-page]")})

    assert (
        f"{SOURCES}:3:9: error: 'year' (a year, or n.d. for an undated page) must be a whole "
        "number, not text"
    ) in problems
