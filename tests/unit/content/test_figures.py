"""SVG figures whose text would be too small on a phone are warned about at their lesson line."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from lms.content.figures import FigureError, TextSize, smallest_text
from tests.unit.content.conftest import WELCOME_EN, WELCOME_FR

Check = Callable[..., list[str]]

SVG = '<svg xmlns="http://www.w3.org/2000/svg" {attributes}>{body}</svg>'


def svg(body: str, attributes: str = 'viewBox="0 0 360 200"') -> bytes:
    return SVG.format(attributes=attributes, body=body).encode()


def smallest(body: str, attributes: str = 'viewBox="0 0 360 200"') -> TextSize:
    found = smallest_text(svg(body, attributes))
    assert found is not None
    return found


def test_text_at_twelve_px_on_a_phone_passes() -> None:
    size = smallest('<text font-size="24">Title</text>', 'viewBox="0 0 720 400"')
    assert size.rendered == pytest.approx(12)
    assert not size.too_small


def test_small_text_in_a_wide_view_box_is_too_small() -> None:
    size = smallest(
        '<text font-size="26">Big title</text><text font-size="15">One-way: patients</text>',
        'viewBox="0 0 960 450" width="960"',
    )
    assert (size.words, size.font_size, size.canvas_width) == ("One-way: patients", 15, 960)
    assert size.rendered == pytest.approx(5.625)
    assert size.too_small
    assert size.small_pieces == 2
    assert size.advice() == (
        "text 'One-way: patients' renders at 5.6 px on a 360 px screen (font-size 15 in a "
        "960-wide viewBox); make the text at least 12 px: font-size 32 or more, or a "
        "narrower viewBox (1 other piece(s) of text are under 12 px too)"
    )


def test_font_size_is_inherited_from_the_svg_and_its_groups() -> None:
    size = smallest(
        '<g font-size="10"><g><text>inherited</text></g></g><text>from the root</text>',
        'viewBox="0 0 360 200" font-size="30"',
    )
    assert (size.words, size.font_size) == ("inherited", 10)


def test_a_style_attribute_wins_over_the_presentation_attribute() -> None:
    size = smallest('<text font-size="30" style="fill: #111; font-size: 9px">styled</text>')
    assert size.font_size == 9


def test_a_style_element_with_simple_selectors() -> None:
    size = smallest(
        "<style>/* exported */ text { font-size: 20px } .note, #x { font-size: 8px }</style>"
        '<text>plain</text><text class="big note">classed</text>'
    )
    assert (size.words, size.font_size) == ("classed", 8)


def test_relative_and_absolute_units() -> None:
    size = smallest('<g font-size="20"><text font-size="0.5em">half</text></g>')
    assert size.font_size == 10
    assert smallest('<text font-size="9pt">points</text>').font_size == pytest.approx(12)
    assert smallest('<g font-size="20"><text font-size="150%">more</text></g>').font_size == 30


def test_text_without_any_font_size_is_sixteen() -> None:
    assert smallest("<text>default</text>", 'viewBox="0 0 960 400"').rendered == 6


def test_without_a_view_box_the_width_attribute_is_the_canvas() -> None:
    size = smallest('<text font-size="15">narrow</text>', 'width="720px" height="300"')
    assert (size.canvas_width, size.has_view_box) == (720, False)
    assert size.rendered == 7.5
    assert "in a 720-wide figure (its width; no viewBox)" in size.advice()


def test_without_view_box_or_width_nothing_scales_the_text() -> None:
    size = smallest('<text font-size="11">unscaled</text>', "")
    assert size.canvas_width is None
    assert size.rendered == 11
    assert "with no viewBox or width to scale it by" in size.advice()


def test_a_scale_transform_shrinks_text_and_a_rotation_does_not() -> None:
    size = smallest(
        '<g transform="translate(10 20) scale(0.5)"><text font-size="20">halved</text></g>'
        '<text font-size="14" transform="rotate(-90)">turned</text>'
    )
    assert (size.words, size.scale) == ("halved", pytest.approx(0.5))
    assert "font-size 10, scaled by 0.5" not in size.advice()
    assert "font-size 20, scaled by 0.5" in size.advice()
    assert "font-size 24 or more" in size.advice()
    squashed = smallest('<text font-size="20" transform="matrix(1 0 0 0.4 0 0)">flat</text>')
    assert squashed.scale == pytest.approx(0.4)


def test_tspans_and_undrawn_text() -> None:
    size = smallest(
        '<defs><text id="t" font-size="2">template</text></defs>'
        '<text font-size="20">Big <tspan font-size="13">small</tspan> and after</text>'
        '<text font-size="3" display="none">hidden</text><text font-size="5">  </text>'
    )
    assert (size.words, size.font_size) == ("small", 13)
    assert smallest('<text font-size="20">Big <tspan font-size="30">x</tspan> tail</text>').words


def test_a_figure_without_text_has_no_smallest_text() -> None:
    assert smallest_text(svg('<rect width="10" height="10"/>')) is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><text>open', "not a well-formed SVG (line 1"),
        (b"", "not a well-formed SVG"),
        (b"<html><body/></html>", "not an SVG image: its root element is <html>"),
        (
            b'<!DOCTYPE svg [<!ENTITY lol "lol">]><svg><text>&lol;</text></svg>',
            "declares the XML entity 'lol', which is not read",
        ),
        (
            b'<!DOCTYPE svg [<!ENTITY ext SYSTEM "file:///etc/passwd">]><svg>&ext;</svg>',
            "declares the XML entity 'ext'",
        ),
    ],
)
def test_a_file_that_is_not_a_readable_svg_says_why(data: bytes, message: str) -> None:
    with pytest.raises(FigureError) as caught:
        smallest_text(data)
    assert str(caught.value).startswith(message)


def _lessons_with(figure: str) -> dict[str, str]:
    return {
        "courses/demo/welcome.md": WELCOME_EN + f"\n![A figure](media/{figure})\n",
        "courses/demo/welcome.fr.md": WELCOME_FR + f"\n![Une figure](media/{figure})\n",
    }


def test_the_check_warns_at_each_lesson_line_that_shows_a_small_figure(check: Check) -> None:
    files = {
        **_lessons_with("wide.svg"),
        "courses/demo/media/wide.svg": svg(
            '<text font-size="15">tiny</text>', 'viewBox="0 0 720 9"'
        ),
    }
    advice = (
        "warning: figure 'media/wide.svg': text 'tiny' renders at 7.5 px on a 360 px screen "
        "(font-size 15 in a 720-wide viewBox); make the text at least 12 px: font-size 24 or "
        "more, or a narrower viewBox"
    )
    assert check(files) == [
        f"courses/demo/welcome.fr.md:11:15: {advice}",
        f"courses/demo/welcome.md:11:13: {advice}",
    ]


def test_a_readable_figure_passes_the_check(check: Check) -> None:
    body = '<text font-size="13">fine</text>'
    files = {**_lessons_with("ok.svg"), "courses/demo/media/ok.svg": svg(body, 'width="380"')}
    assert check(files) == []


def test_a_malformed_figure_is_a_warning_not_a_crash(check: Check) -> None:
    files = {**_lessons_with("bad.svg"), "courses/demo/media/bad.svg": "<svg><g></svg>"}
    problems = check(files)
    assert len(problems) == 2
    assert all(
        ": warning: figure 'media/bad.svg': not a well-formed SVG (line 1, column 11: "
        "mismatched tag); browsers show it as a broken image" in p
        for p in problems
    ), problems
