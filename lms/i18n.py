"""The interface language of a request: the user's choice, the ``lang`` cookie, the browser."""

from __future__ import annotations

from flask import Flask, has_request_context, request
from flask_babel import get_locale
from flask_login import current_user

from lms.config import Settings, current_settings
from lms.content import SUPPORTED_LANGUAGES
from lms.extensions import babel

LANGUAGE_COOKIE = "lang"
LANGUAGE_COOKIE_MAX_AGE = 365 * 24 * 3600

LANGUAGE_NAMES = {"fr": "Français", "en": "English"}
"""Each language's name in itself, as a language switch shows it."""


def select_locale() -> str:
    """The first supported language among: the user's, the cookie's, the browser's; else default."""
    default = current_settings().default_language
    if not has_request_context():
        return default
    if current_user.is_authenticated and current_user.language in SUPPORTED_LANGUAGES:
        chosen: str = current_user.language
        return chosen
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    if cookie in SUPPORTED_LANGUAGES:
        return cookie
    return request.accept_languages.best_match(SUPPORTED_LANGUAGES) or default


def current_language() -> str:
    """The request's language code (``fr``, ``en``)."""
    locale = get_locale()
    return locale.language if locale is not None else current_settings().default_language


def language_or_default(language: str | None) -> str:
    """``language`` if the interface has it, else the default: e.g. for a user's mail."""
    if language is not None and language in SUPPORTED_LANGUAGES:
        return language
    return current_settings().default_language


def _template_globals() -> dict[str, object]:
    language = current_language()
    return {
        "current_language": language,
        "other_languages": [
            (code, LANGUAGE_NAMES[code]) for code in SUPPORTED_LANGUAGES if code != language
        ],
    }


def init_app(app: Flask, settings: Settings) -> None:
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_locale=settings.default_language,
        default_timezone="America/Toronto",
    )
    app.context_processor(_template_globals)
