"""Helpers for web tests: CSRF tokens and form submission as a browser does it."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

PASSWORD = "correct horse battery staple"

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
