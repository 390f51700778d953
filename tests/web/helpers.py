"""Helpers for web tests: the test password, CSRF tokens, form submission as a browser does it."""

from __future__ import annotations

import functools
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


def submit_form(
    client: FlaskClient, path: str, data: dict[str, str], page: str | None = None
) -> TestResponse:
    """POST ``data`` to ``path`` with the CSRF token of ``page`` (default: ``path`` itself)."""
    token = csrf_token(client, page or path)
    return client.post(path, data={**data, "csrf_token": token})
