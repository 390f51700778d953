"""Line breaking and shrink-to-fit: text never leaves its box."""

from __future__ import annotations

import pytest

from lms.certificates.document import FONTS_DIR
from lms.certificates.typesetting import ELLIPSIS, balanced, fit, load_fonts, width, wrap, wrap_url

SENTENCE = "a complété avec succès la formation en ligne « Module 101 – Les bases »."


@pytest.fixture(scope="module")
def font() -> str:
    return load_fonts(FONTS_DIR).regular


def test_fonts_are_registered_once_per_folder() -> None:
    assert load_fonts(FONTS_DIR) == load_fonts(FONTS_DIR / ".")


def test_wrap_keeps_every_line_within_the_width_and_every_word(font: str) -> None:
    lines = wrap(SENTENCE, font, 12, 150)
    assert len(lines) > 1
    assert all(width(line, font, 12) <= 150 for line in lines)
    assert " ".join(lines) == SENTENCE


def test_a_word_wider_than_the_line_is_cut_between_characters(font: str) -> None:
    word = "Wolfeschlegelsteinhausenbergerdorff"
    lines = wrap(word, font, 20, 80)
    assert "".join(lines) == word
    assert all(width(line, font, 20) <= 80 for line in lines)


def test_no_break_spaces_hold(font: str) -> None:
    room = width("Module 101", font, 12) + 2
    assert wrap("a Module 101", font, 12, room) == ["a Module", "101"]
    assert wrap("a Module\u00a0101", font, 12, room) == ["a", "Module\u00a0101"]


def test_balanced_lines_are_as_many_and_more_even(font: str) -> None:
    greedy = wrap(SENTENCE, font, 12, 300)
    even = balanced(SENTENCE, font, 12, 300)
    assert len(even) == len(greedy) == 2
    assert all(width(line, font, 12) <= 300 for line in even)
    gap = abs(width(even[0], font, 12) - width(even[1], font, 12))
    assert gap < abs(width(greedy[0], font, 12) - width(greedy[1], font, 12))


def test_fit_shrinks_to_the_line_limit(font: str) -> None:
    (fitted,) = fit((SENTENCE,), font, max_size=30, min_size=6, max_width=300, max_lines=1)
    assert len(fitted.lines) == 1
    assert fitted.size < 30
    assert not fitted.truncated
    assert width(fitted.lines[0], font, fitted.size) <= 300


def test_fit_shares_one_size_between_paragraphs_within_the_height(font: str) -> None:
    texts = (SENTENCE * 3, SENTENCE)
    parts = fit(texts, font, max_size=14, min_size=6, max_width=300, max_height=80, gap=0.5)
    assert parts[0].size == parts[1].size
    assert sum(p.height for p in parts) + 0.5 * parts[0].size <= 80


def test_what_cannot_fit_even_at_the_smallest_size_ends_in_an_ellipsis(font: str) -> None:
    (fitted,) = fit((SENTENCE * 50,), font, max_size=12, min_size=8, max_width=200, max_lines=3)
    assert fitted.truncated
    assert fitted.size == 8
    assert len(fitted.lines) == 3
    assert fitted.lines[-1].endswith(ELLIPSIS)
    assert all(width(line, font, 8) <= 200 for line in fitted.lines)


def test_urls_break_after_slashes(font: str) -> None:
    url = "https://parcours.example.org/verify/PRC-7KQ2-M9XD-4TFA-0WZE"
    lines = wrap_url(url, font, 8, 150)
    assert lines == ["https://parcours.example.org/verify/", "PRC-7KQ2-M9XD-4TFA-0WZE"]
    assert wrap_url("x" * 200, font, 8, 150) == wrap("x" * 200, font, 8, 150)
