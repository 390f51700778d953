"""Helpers for account tests: a complete sign-up form, posting forms with lists of values."""

from __future__ import annotations

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from .helpers import PASSWORD, FormData, submit_form

# Accounts' tests say "post"; it is the one way to submit a form (tests/web/helpers.py).
post_form = submit_form


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


def sign_up(
    client: FlaskClient, email: str = "ada@example.org", **changes: str | list[str]
) -> TestResponse:
    return post_form(client, "/accounts/sign-up", sign_up_data(email, **changes))
