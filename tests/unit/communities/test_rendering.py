"""Members' Markdown becomes HTML that cannot run, load or impersonate anything."""

from __future__ import annotations

import pytest

from lms.communities.rendering import render


def test_markdown_becomes_html() -> None:
    assert render("Some *emphasis*, **strength**\n\n- one\n- two", "en") == (
        "<p>Some <em>emphasis</em>, <strong>strength</strong></p>\n"
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
    )


@pytest.mark.parametrize(
    "typed",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "<b onclick=alert(1)>bold</b>",
        "<iframe src=https://evil.example></iframe>",
        '<a href="javascript:alert(1)">x</a>',
    ],
)
def test_raw_html_is_shown_as_typed_never_run(typed: str) -> None:
    html = render(typed, "en")
    assert "<" not in html.replace("<p>", "").replace("</p>", "")
    assert "&lt;" in html


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html;base64,PHNjcmlwdD4=",
        "file:///etc/passwd",
        "//evil.example/path",
    ],
)
def test_links_go_to_the_web_and_this_site_only(link: str) -> None:
    html = render(f"[click]({link})", "en")
    assert "<a " not in html
    assert "href" not in html


def test_web_links_are_marked_as_members_own() -> None:
    html = render("[guide](https://example.org/guide) <https://example.org> [home](/courses)", "en")
    assert html.count('rel="nofollow ugc"') == 3
    assert '<a href="https://example.org/guide" rel="nofollow ugc">guide</a>' in html
    assert '<a href="/courses" rel="nofollow ugc">home</a>' in html


def test_images_are_never_loaded_their_address_becomes_a_link() -> None:
    html = render("![a tracking pixel](https://tracker.example/pixel.png)", "en")
    assert "<img" not in html
    assert (
        '<a href="https://tracker.example/pixel.png" rel="nofollow ugc">a tracking pixel</a>'
        in html
    )


def test_headings_sit_below_the_pages_own() -> None:
    assert (
        render("# Title\n## Sub\n#### Deep", "en")
        == "<h4>Title</h4>\n<h5>Sub</h5>\n<h6>Deep</h6>\n"
    )


def test_code_is_escaped() -> None:
    assert render("```\n<script>x</script>\n```", "en") == (
        "<pre><code>&lt;script&gt;x&lt;/script&gt;\n</code></pre>\n"
    )


def test_french_text_gets_french_typography_but_not_its_code_nor_its_links() -> None:
    typed = (
        "Voici la règle : « citer » ses sources.\n\n"
        "`a : b` et [lien « ici » : là](https://example.org/a)\n\n"
        "```\nclé : valeur\n```"
    )
    html = render(typed, "fr")
    assert "Voici la règle\u00a0: «\u00a0citer\u00a0» ses sources." in html
    assert "<code>a : b</code>" in html
    assert ">lien « ici » : là</a>" in html
    assert "clé : valeur" in html
    assert "règle : «" in render(typed, "en")  # English text is left as typed
