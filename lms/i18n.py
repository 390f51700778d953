"""The interface language of a request: the user's choice, the ``lang`` cookie, the language
of the person a mailed link was for, the browser."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from babel.support import NullTranslations, Translations
from flask import Flask, g, has_request_context, request
from flask_babel import Domain, get_locale, get_translations, refresh
from flask_login import current_user
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from werkzeug.wrappers import Response

from lms.config import Settings, current_settings
from lms.content import SUPPORTED_LANGUAGES
from lms.content.typography import french_spaces
from lms.extensions import babel

LANGUAGE_COOKIE = "lang"
LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 3600

LANGUAGE_NAMES = {"fr": "Français", "en": "English"}
"""Each language's name in itself, as a language switch shows it."""

SWITCH_FIELD = "switch_language"
"""The name of a language button that submits the page's own form (``keep_form`` in
base.html): the form's view keeps what was typed, then shows the page in that language."""


def select_locale() -> str:
    """The first supported language among: the user's, the cookie's, the mailed link's
    person's (``show_in_language_of``), the browser's; else the default."""
    default = current_settings().default_language
    if not has_request_context():
        return default
    if current_user.is_authenticated and current_user.language in SUPPORTED_LANGUAGES:
        chosen: str = current_user.language
        return chosen
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    if cookie in SUPPORTED_LANGUAGES:
        return cookie
    recipient: str | None = g.get(_RECIPIENT_LANGUAGE)
    if recipient in SUPPORTED_LANGUAGES:
        return recipient
    return request.accept_languages.best_match(SUPPORTED_LANGUAGES) or default


_RECIPIENT_LANGUAGE = "lms_recipient_language"


def show_in_language_of(language: str | None) -> None:
    """Show this request's page in ``language``, that of the person a mailed link was sent
    to (a page opened without signing in, e.g. from a mail client on another device), unless
    the visitor chose one: signed in, or by the language switch's cookie."""
    if language in SUPPORTED_LANGUAGES:
        setattr(g, _RECIPIENT_LANGUAGE, language)
        refresh()  # Flask-Babel keeps the locale it picked for the request: pick again


def current_language() -> str:
    """The request's language code (``fr``, ``en``)."""
    locale = get_locale()
    return locale.language if locale is not None else current_settings().default_language


def switch_requested() -> str | None:
    """The language a form's language button asked for, if this POST came from one."""
    value = request.form.get(SWITCH_FIELD)
    return value if value in SUPPORTED_LANGUAGES else None


def remember_language(response: Response, language: str) -> Response:
    """``response`` with the cookie that keeps ``language`` for a visitor's next pages."""
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=LANGUAGE_COOKIE_MAX_AGE,
        samesite="Lax",
        secure=current_settings().is_production,
        httponly=True,
    )
    return response


def language_or_default(language: str | None) -> str:
    """``language`` if the interface has it, else the default: e.g. for a user's mail."""
    if language is not None and language in SUPPORTED_LANGUAGES:
        return language
    return current_settings().default_language


def _template_globals() -> dict[str, object]:
    language = current_language()
    translations = get_translations()
    return {
        "current_language": language,
        "other_languages": [
            (code, LANGUAGE_NAMES[code]) for code in SUPPORTED_LANGUAGES if code != language
        ],
        "lang_attr": _lang_attr(language),
        # Flask-Babel's template functions find the translations anew on every call, through
        # a dozen context lookups, and a page translates a score of strings: these are bound
        # once a render. Bound at render time, they follow force_locale (a mail's language).
        "gettext": _template_gettext(translations.ugettext),
        "ngettext": _template_ngettext(translations.ungettext),
    }


def _lang_attr(language: str) -> Callable[[str | None], Markup]:
    """``lang_attr(code)`` in templates: `` lang="code"`` on text whose language differs
    from the page's, so that screen readers switch voice; nothing otherwise. A function, not
    a macro: a quiz's result page calls it a hundred times, and a macro call costs ten times
    as much."""

    def lang_attr(text_language: str | None) -> Markup:
        if not text_language or text_language == language:
            return Markup("")
        return Markup(' lang="%s"') % text_language

    return lang_attr


# Both follow the rules of Jinja's "newstyle" gettext, which Flask-Babel installs and
# templates are written for: the translation is safe Markup when autoescaping, and is
# always %-formatted with the keyword arguments (so a literal percent sign is written %%).


def _template_gettext(translate: Callable[[str], str]) -> Callable[..., str]:
    @pass_context
    def gettext(context: Context, message: str, /, **variables: Any) -> str:
        return _formatted(context, translate(message), variables)

    return gettext


def _template_ngettext(translate: Callable[[str, str, int], str]) -> Callable[..., str]:
    @pass_context
    def ngettext(
        context: Context, singular: str, plural: str, num: int, /, **variables: Any
    ) -> str:
        variables.setdefault("num", num)
        return _formatted(context, translate(singular, plural, num), variables)

    return ngettext


def _formatted(context: Context, text: str, variables: dict[str, Any]) -> str:
    # The translation is the project's own (a .po file), trusted like the template text it
    # stands for; the values put into it are escaped by Markup's % when autoescaping.
    template = Markup(text) if context.eval_ctx.autoescape else text  # noqa: S704
    return template % variables


class _TypesetDomain(Domain):
    """The interface's translations, French ones with French typography's non-breaking
    spaces (``lms.content.typography``), put in once as each catalogue is loaded, so that
    translators type ordinary spaces and every page, mail and flash message gets them."""

    def get_translations(self) -> NullTranslations:
        translations = super().get_translations()
        locale = get_locale()
        if (
            not isinstance(translations, Translations)
            or locale is None
            or locale.language != "fr"
            or getattr(translations, _TYPESET, False)
        ):
            return translations
        catalog = translations._catalog  # babel's own dict: msgid (or msgid, n) -> msgstr
        for key, text in catalog.items():
            if key and isinstance(text, str):  # "" is the catalogue's header
                catalog[key] = french_spaces(text)
        setattr(translations, _TYPESET, True)
        return translations


_TYPESET = "_lms_typeset"


def init_app(app: Flask, settings: Settings) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_locale=settings.default_language,
        default_timezone=settings.time_zone,
    )
    # Replaces the domain Flask-Babel would make on first use (a cached property).
    babel.domain_instance = _TypesetDomain(domain="messages")
    app.context_processor(_template_globals)
