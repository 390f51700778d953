"""Input the site refuses before any view reads it, each with a 4xx and the usual page: bodies
too large or not a form, control characters in text, ids no column holds, line breaks in a
redirect target, a quiz answer of thousands of digits. Each case was a 500 once."""

from __future__ import annotations

import io
from urllib.parse import unquote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.exceptions import NotFound

from lms.accounts.categories import Role
from tests.web.conftest import MakeApp
from tests.web.helpers import csrf_token, submit_form
from tests.web.quiz_helpers import EVERY_TYPE, QUIZ_CONTENT, start, text_of
from tests.web.staff_helpers import STAFF_CONTENT, add_user


def signed_in(app: Flask, email: str, role: Role = Role.LEARNER) -> FlaskClient:
    add_user(app, email, role=role)
    client = app.test_client()
    submit_form(
        client,
        "/accounts/sign-in",
        {"email": email, "password": "correct horse battery staple"},
    )
    return client


@pytest.fixture
def english(app: Flask) -> FlaskClient:
    """A visitor whose browser asks for English."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-CA,en;q=0.8"
    return client


@pytest.mark.parametrize("body", [b"[1]", b"1", b'"x"', b"{}", b"{"])
@pytest.mark.parametrize("path", ["/accounts/sign-in", "/accounts/language", "/accounts/reset"])
def test_a_json_body_to_a_form_is_refused_with_a_page(
    client: FlaskClient, path: str, body: bytes
) -> None:
    response = client.post(path, data=body, content_type="application/json")

    assert response.status_code == 415
    assert response.mimetype == "text/html"
    assert "n’accepte que les formulaires du site" in text_of(response)  # French by default


def test_the_refusal_speaks_the_reader_s_language(app: Flask) -> None:
    client = app.test_client()
    response = client.post(
        "/accounts/sign-in",
        data=b"[1]",
        content_type="application/json",
        headers={"Accept-Language": "en-CA,en;q=0.8"},
    )

    assert response.status_code == 415
    assert "accepts the site’s forms only" in text_of(response)


def test_a_body_past_the_limit_is_refused_unread(make_app: MakeApp) -> None:
    app = make_app(max_upload_mb=1)
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    token = csrf_token(client, "/accounts/sign-in")
    # Never read, so never parsed: the size the client announces is enough to refuse it.
    body = f"--b\r\nContent-Disposition: form-data; name=csrf_token\r\n\r\n{token}\r\n"
    body += "--b\r\nContent-Disposition: form-data; name=f; filename=big.bin\r\n\r\n"
    response = client.post(
        "/accounts/sign-in",
        data=io.BytesIO(body.encode() + b"x" * (2 * 1024 * 1024) + b"\r\n--b--\r\n"),
        content_type="multipart/form-data; boundary=b",
    )

    assert response.status_code == 413
    assert "larger than this site accepts" in text_of(response)


def test_a_form_s_text_has_a_smaller_limit_than_files(client: FlaskClient) -> None:
    token = csrf_token(client, "/accounts/sign-in")

    response = client.post(
        "/accounts/sign-in",
        data={"csrf_token": token, "email": "a@example.org", "password": "x" * 600_000},
    )

    assert response.status_code == 413


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b", "\x7f"])
def test_a_control_character_in_a_field_is_refused_beside_the_field(
    english: FlaskClient, character: str
) -> None:
    response = submit_form(
        english,
        "/accounts/sign-in",
        {"email": f"lea{character}@example.org", "password": "whatever it is"},
    )

    assert response.status_code == 400
    page = text_of(response)
    assert "This text holds a character that cannot be kept: remove it." in page
    assert 'aria-invalid="true"' in page


def test_line_breaks_and_tabs_stay_allowed_in_long_text(app: Flask) -> None:
    client = signed_in(app, "lea@example.org")

    response = submit_form(
        client,
        "/accounts/profile",
        {"certificate_name": "Léa\tTremblay", "language": "en"},
    )

    assert "This text holds a character" not in text_of(response)


@pytest.mark.parametrize("query", ["q=lea%00", "q=%1b%5b31m", "q%00=1"])
def test_a_control_character_in_a_query_string_is_refused(app: Flask, query: str) -> None:
    staff = signed_in(app, "sam@example.org", Role.STAFF)

    response = staff.get(f"/staff/learners/?{query}")

    assert response.status_code == 400
    assert response.mimetype == "text/html"


@pytest.mark.parametrize(
    "path",
    [
        "/issuers/%00/status/1",  # a name: PostgreSQL would refuse the NUL with an error
        "/issuers/por%1b[31m/status/1",
        "/courses/por%7f",
        "/courses/partnership-essentials/assets/media/%00.png",  # a path
        "/courses/partnership-essentials/assets/media%0a/x.png",
    ],
)
def test_a_control_character_in_a_url_part_names_nothing(app: Flask, path: str) -> None:
    response = app.test_client().get(path)

    assert response.status_code == 404
    assert response.mimetype == "text/html"
    # No route matches it, so no view (nor the database) ever reads it.
    with pytest.raises(NotFound):
        app.url_map.bind("localhost").match(unquote(path))


@pytest.mark.parametrize("number", [2**31, 10**30])
def test_an_id_no_column_holds_is_not_found(make_app: MakeApp, number: int) -> None:
    app = make_app(content_dir=STAFF_CONTENT)
    staff = signed_in(app, "sam@example.org", Role.STAFF)

    for path in (
        f"/staff/learners/{number}",
        f"/staff/cohorts/{number}",
        f"/staff/learners/{number}/courses/basics/reset",
    ):
        assert staff.get(path).status_code == 404, path
    assert staff.get(f"/staff/learners/{2**31 - 1}").status_code == 404


@pytest.mark.parametrize("target", ["/courses\r\nSet-Cookie: evil=1", "/courses\n", "/\x00x"])
def test_a_line_break_in_next_leads_to_the_default_page(app: Flask, target: str) -> None:
    client = signed_in(app, "lea@example.org")

    language = submit_form(
        client, "/accounts/language", {"language": "fr", "next": target}, "/courses"
    )
    sign_in_page = client.get("/accounts/sign-in", query_string={"next": target})

    # Refused as a field with a control character, or ignored for the default page.
    assert language.status_code in (302, 400)
    assert "evil" not in str(language.headers)
    assert "\n" not in language.headers.get("Location", "")
    assert sign_in_page.status_code in (302, 400)
    assert "evil" not in str(sign_in_page.headers)


def test_a_quiz_answer_of_thousands_of_digits_is_refused(make_app: MakeApp) -> None:
    app = make_app(content_dir=QUIZ_CONTENT)
    client = signed_in(app, "lea@example.org")
    location = start(client, EVERY_TYPE).headers["Location"]
    path = location.removeprefix("http://localhost")

    response = submit_form(
        client, path, {"answer-when-to-involve": "9" * 5000, "action": "grade"}, path
    )

    assert 400 <= response.status_code < 500


def test_a_nul_in_a_cohort_name_is_a_field_error_not_a_database_error(
    make_app: MakeApp,
) -> None:
    app = make_app(content_dir=STAFF_CONTENT)
    staff = signed_in(app, "sam@example.org", Role.STAFF)

    response = submit_form(
        staff, "/staff/cohorts/new", {"name": "FRQ\x002026", "certificate_id": "program"}
    )

    assert response.status_code == 400
    assert "This text holds a character that cannot be kept" in text_of(response)
