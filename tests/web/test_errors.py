"""Error pages: in the request's language, never with a traceback."""

from __future__ import annotations

from flask import abort

from lms.errors import DomainError

from .conftest import MakeApp


class ThingLocked(DomainError):
    status_code = 409
    message = "This thing is locked."


def test_not_found_in_french_and_english(make_app: MakeApp) -> None:
    client = make_app().test_client()

    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "<h1>Page introuvable</h1>" in response.get_data(as_text=True)
    assert '<html lang="fr">' in response.get_data(as_text=True)

    response = client.get("/no/such/page", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.get_data(as_text=True)


def test_forbidden_page(make_app: MakeApp) -> None:
    app = make_app()

    @app.get("/staff-only")
    def staff_only() -> str:
        abort(403)

    response = app.test_client().get("/staff-only", headers={"Accept-Language": "en"})
    assert response.status_code == 403
    assert "<h1>Access denied</h1>" in response.get_data(as_text=True)


def test_unexpected_error_shows_a_page_without_traceback(make_app: MakeApp) -> None:
    app = make_app()
    app.config["PROPAGATE_EXCEPTIONS"] = False

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret internal detail")

    response = app.test_client().get("/boom")
    page = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "<h1>Un problème est survenu</h1>" in page
    assert "secret internal detail" not in page
    assert "Traceback" not in page


def test_domain_errors_map_to_their_status_and_message(make_app: MakeApp) -> None:
    app = make_app()

    @app.get("/locked")
    def locked() -> str:
        raise ThingLocked

    response = app.test_client().get("/locked")
    assert response.status_code == 409
    assert "This thing is locked." in response.get_data(as_text=True)
