"""Templates translate with the request's language, or the one a mail is forced to, and
follow Jinja's "newstyle" rules: values escaped, always %-formatted, ``num`` for plurals."""

from __future__ import annotations

from flask import Flask, render_template_string
from flask_babel import force_locale

PAGE = (
    '{{ _("Courses") }}|{{ ngettext("About %(num)s minute", "About %(num)s minutes", 5) }}'
    '|{{ _("We sent a link to %(email)s. Open it to confirm that this address is yours.",'
    ' email="<b>x</b>@example.org") }}|{{ _("100%% sure") }}'
)


def render(app: Flask, language: str) -> list[str]:
    with app.test_request_context(headers={"Accept-Language": language}):
        return render_template_string(PAGE).split("|")


def test_templates_speak_the_requests_language(app: Flask) -> None:
    courses, minutes, sent, literal = render(app, "fr")

    assert courses == "Formations"
    assert minutes == "Environ 5 minutes"
    assert sent.startswith("Nous avons envoyé un lien à &lt;b&gt;x&lt;/b&gt;@example.org.")
    assert literal == "100% sure"

    assert render(app, "en")[:2] == ["Courses", "About 5 minutes"]


def test_a_forced_language_holds_within_a_request_in_another(app: Flask) -> None:
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        before = render_template_string('{{ _("Courses") }}')
        with force_locale("en"):
            forced = render_template_string('{{ _("Courses") }}')
        after = render_template_string('{{ _("Courses") }}')

    assert (before, forced, after) == ("Formations", "Courses", "Formations")
