"""Helpers for account tests: a complete sign-up form, posting forms with lists of values."""

from __future__ import annotations

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from .helpers import PASSWORD, csrf_token

FormData = dict[str, str | list[str]]


def sign_up_data(email: str = "ada@example.org", **changes: str | list[str]) -> FormData:
    """A valid sign-up form; ``changes`` replace fields (an empty string removes one)."""
    data: FormData = {
        "email": email,
        "password": PASSWORD,
        "confirm_password": PASSWORD,
        "certificate_name": "Ada Lovelace-Côté",
        "language": "fr",
        "research_roles": ["patient", "researcher"],
        "affiliation": "university",
        "affiliation_other": "",
        "frq_fellowship": "yes",
        "frq_sector": "society_culture",
        "privacy_consent": "y",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value != ""}


def post_form(
    client: FlaskClient, path: str, data: FormData, page: str | None = None
) -> TestResponse:
    """POST ``data`` to ``path`` with the CSRF token of ``page`` (default: ``path``)."""
    return client.post(path, data={**data, "csrf_token": csrf_token(client, page or path)})


def sign_up(
    client: FlaskClient, email: str = "ada@example.org", **changes: str | list[str]
) -> TestResponse:
    return post_form(client, "/accounts/sign-up", sign_up_data(email, **changes))
