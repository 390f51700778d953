"""Helpers for web tests: the test password, CSRF tokens, form submission as a browser does it."""

from __future__ import annotations

import functools
import html
import re

from argon2 import PasswordHasher
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from lms.accounts import hashing

PASSWORD = "correct horse battery staple"


@functools.cache
def stored_hash(password: str = PASSWORD) -> str:
    """The hash of ``password`` that test users get, made once per process (at the testing
    cost): fixtures store it instead of hashing for each user, who signs in all the same."""
    return PasswordHasher.from_parameters(hashing.TESTING).hash(password)


CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client: FlaskClient, path: str) -> str:
    """The CSRF token in the page at ``path``, as a browser would submit it."""
    page = client.get(path).get_data(as_text=True)
    found = CSRF_INPUT.search(page)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S)
ACTION = re.compile(r'\baction="([^"]*)"')
HIDDEN_INPUT = re.compile(r"<input\b[^>]*\btype=\"hidden\"[^>]*>")
NAME = re.compile(r'\bname="([^"]+)"')
VALUE = re.compile(r'\bvalue="([^"]*)"')


def hidden_fields(page: str, path: str) -> dict[str, str]:
    """The hidden inputs of the first form of ``page`` that posts to ``path`` (its CSRF token,
    a one-shot form's key); {} when no form there does."""
    for form in FORM.findall(page):
        action = ACTION.search(form[: form.index(">")])
        if action is None or html.unescape(action.group(1)).split("?")[0] != path:
            continue
        fields = {}
        for tag in HIDDEN_INPUT.findall(form):
            name, value = NAME.search(tag), VALUE.search(tag)
            if name:
                fields[name.group(1)] = html.unescape(value.group(1)) if value else ""
        return fields
    return {}


FormData = dict[str, str | list[str]]


def submit_form(
    client: FlaskClient, path: str, data: FormData, page: str | None = None
) -> TestResponse:
    """POST ``data`` to ``path`` as a browser submits the form of ``page`` (default: ``path``
    itself) that posts there: with that form's hidden fields (CSRF token, one-shot key), or
    the page's CSRF token when no form of the page posts to ``path``."""
    text = client.get(page or path).get_data(as_text=True)
    hidden: FormData = dict(hidden_fields(text, path))
    if not any(name.endswith("csrf_token") for name in hidden):  # a prefixed form's too
        found = CSRF_INPUT.search(text)
        assert found, f"no CSRF token on {page or path}"
        hidden["csrf_token"] = found.group(1)
    return client.post(path, data={**hidden, **data})
