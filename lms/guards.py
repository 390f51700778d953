"""What every request must be before a view reads it: small enough, a kind of body the
site reads, text without control characters, and ids a database column can hold.

Each refusal is a 4xx with the usual page, never a 500 from deep inside a view.
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, abort, request
from werkzeug.routing import IntegerConverter, PathConverter, UnicodeConverter

from lms.config import Settings

FORM_FIELDS_BYTES = 512 * 1024
"""The text of a form without its files: the longest reflection is a few pages."""

FORM_PARTS = 1000
"""Fields in one form: the roster import and the quiz are the largest, far below."""

LARGEST_ID = 2**31 - 1
"""PostgreSQL's ``integer``: a larger number in a URL names nothing, and must not reach it."""

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""C0 controls but tab and line breaks: no person types them; PostgreSQL refuses NUL."""

BODY_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data", ""})
"""What the site's forms send. Flask-WTF would read a JSON body as a form, and fail on one
that is not an object."""


class DatabaseInteger(IntegerConverter):
    """``<int:...>`` in every route: a whole number from 0 to ``LARGEST_ID``; larger is a 404."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", LARGEST_ID)
        super().__init__(map, *args, **kwargs)


class PrintableString(UnicodeConverter):
    """``<name>`` (and ``<string:...>``) in every route: no control character, which no link
    holds and PostgreSQL refuses (a NUL); such a URL names nothing and is a 404."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(map, *args, **kwargs)
        # Werkzeug's own "[^/]{1,}" (with its lengths), less the control characters.
        self.regex = self.regex.replace("[^/]", "[^/\\x00-\\x1f\\x7f]", 1)


class PrintablePath(PathConverter):
    """``<path:...>``: slashes allowed, control characters not, as in ``PrintableString``."""

    regex = r"[^/\x00-\x1f\x7f][^\x00-\x1f\x7f]*?"


def has_control_character(text: str) -> bool:
    return CONTROL_CHARACTERS.search(text) is not None


def init_app(app: Flask, settings: Settings) -> None:
    """Call before the blueprints are registered: their routes take the converter then."""
    app.url_map.converters["int"] = DatabaseInteger
    for name in ("default", "string"):
        app.url_map.converters[name] = PrintableString
    app.url_map.converters["path"] = PrintablePath
    app.config.update(
        MAX_CONTENT_LENGTH=settings.max_upload_mb * 1024 * 1024,
        MAX_FORM_MEMORY_SIZE=FORM_FIELDS_BYTES,
        MAX_FORM_PARTS=FORM_PARTS,
    )
    app.before_request(_refuse_unreadable)


def _refuse_unreadable() -> None:
    if request.method in ("POST", "PUT", "PATCH", "DELETE") and request.mimetype not in BODY_TYPES:
        abort(415)
    # Werkzeug bounds multipart text parts by MAX_FORM_MEMORY_SIZE, not urlencoded bodies,
    # which it reads whole: bound them here, before anything reads the form.
    if (
        request.mimetype == "application/x-www-form-urlencoded"
        and (request.content_length or 0) > FORM_FIELDS_BYTES
    ):
        abort(413)
    # A query string is read by views as they are (searches, filters): refuse it whole. A
    # form's fields are checked by the form itself (lms.forms.Form), next to the field.
    if any(
        has_control_character(k) or has_control_character(v)
        for k, v in request.args.items(multi=True)
    ):
        abort(400)
