"""French typography in the interface: translations get their non-breaking spaces as they are
loaded; what people type, and English pages, are left as they are."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from lms.content.typography import NBSP
from tests.web.account_helpers import post_form
from tests.web.conftest import MadeUser


def test_french_pages_get_non_breaking_spaces_and_typed_values_do_not(
    app: Flask, make_user: Callable[..., MadeUser]
) -> None:
    user = make_user()
    client = app.test_client()
    post_form(client, "/accounts/sign-in", {"email": user.email, "password": user.password or ""})
    saved = post_form(
        client,
        "/accounts/profile",
        {
            "certificate_name": "Ada : « Lovelace »",
            "language": "fr",
            "research_roles": "patient",
            "affiliation": "university",
            "frq_fellowship": "no",
        },
    )
    assert saved.status_code == 302

    french = client.get("/accounts/two-step/set-up").get_data(as_text=True)
    profile = client.get("/accounts/profile").get_data(as_text=True)
    assert f"Ou entrez cette clé dans l’application{NBSP}:" in french
    assert 'value="Ada : « Lovelace »"' in profile  # as typed, in its attribute

    post_form(
        client,
        "/accounts/profile",
        {
            "certificate_name": "Ada",
            "language": "en",
            "research_roles": "patient",
            "affiliation": "university",
            "frq_fellowship": "no",
        },
    )
    english = client.get("/accounts/two-step/set-up").get_data(as_text=True)
    assert "Or type this key in the app:" in english
    assert NBSP not in english
