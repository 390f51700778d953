"""Security headers on every answer, cookies' flags, the signed-in session's idle lifetime."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from lms.certificates.badges import generate_signing_key
from lms.security import CONTENT_SECURITY_POLICY

from .conftest import MadeUser, MakeApp
from .helpers import submit_form


def test_pages_forbid_inline_scripts_styles_and_framing(client: FlaskClient) -> None:
    response = client.get("/courses")

    policy = response.headers["Content-Security-Policy"]
    assert policy == CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_error_pages_json_and_static_files_get_the_headers_too(client: FlaskClient) -> None:
    for path in ("/no/such/page", "/healthz", "/static/css/parcours.css", "/verify/NOPE.json"):
        response = client.get(path)
        response.close()
        assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, path
        assert response.headers["X-Content-Type-Options"] == "nosniff", path


def test_reset_pages_keep_their_stricter_referrer_policy(client: FlaskClient) -> None:
    response = client.get("/accounts/reset/some-token")
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_hsts_only_over_https(make_app: MakeApp) -> None:
    client = make_app().test_client()
    assert "Strict-Transport-Security" not in client.get("/courses").headers

    secure = client.get("/courses", base_url="https://parcours.example.org")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")

    forced = make_app(force_https=True).test_client().get("/courses")
    assert "max-age=" in forced.headers["Strict-Transport-Security"]


def test_no_template_has_inline_script_style_or_handler() -> None:
    """What keeps the policy free of unsafe-inline: mails aside (never shown under the CSP)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "lms"
    inline = re.compile(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=", re.IGNORECASE)
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if "email" not in path.parts and inline.search(path.read_text(encoding="utf-8"))
    ]
    assert not offenders


def _cookie_header(response: TestResponse, name: str) -> str:
    found = [h for h in response.headers.getlist("Set-Cookie") if h.startswith(f"{name}=")]
    assert found, f"no {name} cookie set"
    return found[0]


def test_session_and_remember_cookies_are_httponly_lax_and_secure_in_production(
    make_app: MakeApp,
) -> None:
    app = make_app()
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["SESSION_COOKIE_SECURE"] is False  # tests and development: plain HTTP
    assert app.config["REMEMBER_COOKIE_HTTPONLY"] is True
    assert app.config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=12)
    assert app.config["REMEMBER_COOKIE_DURATION"] == timedelta(days=30)

    forced = make_app(force_https=True, session_hours=2, remember_days=7)
    assert forced.config["SESSION_COOKIE_SECURE"] is True
    assert forced.config["REMEMBER_COOKIE_SECURE"] is True
    assert forced.config["PERMANENT_SESSION_LIFETIME"] == timedelta(hours=2)
    assert forced.config["REMEMBER_COOKIE_DURATION"] == timedelta(days=7)


def test_a_signed_in_session_expires_after_the_idle_lifetime(
    app: Flask, client: FlaskClient, make_user: Callable[..., MadeUser]
) -> None:
    user = make_user()
    response = submit_form(
        client, "/accounts/sign-in", {"email": user.email, "password": user.password}
    )
    assert response.status_code == 302
    # The next request makes the session permanent: its cookie now has an expiry.
    cookie = _cookie_header(client.get("/accounts/profile"), "session")
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Expires=" in cookie
    assert client.get("/accounts/profile").status_code == 200

    # The cookie is signed with its time: once older than the lifetime, it is refused.
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(seconds=-1)
    assert client.get("/accounts/profile").status_code == 302


def test_behind_a_trusted_proxy_its_forwarded_scheme_counts(make_app: MakeApp) -> None:
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.4"}

    direct = make_app().test_client().get("/courses", headers=forwarded)
    assert "Strict-Transport-Security" not in direct.headers

    proxied = make_app(trusted_proxies=1).test_client().get("/courses", headers=forwarded)
    assert proxied.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_a_signed_in_person_s_pages_are_never_stored(
    client: FlaskClient, make_user: Callable[..., MadeUser]
) -> None:
    public = client.get("/courses")
    user = make_user(email="lea@example.org")
    submit_form(client, "/accounts/sign-in", {"email": user.email, "password": user.password or ""})

    for path in ("/dashboard", "/accounts/profile", "/courses", "/certificates"):
        assert client.get(path).headers.get("Cache-Control") == "no-store", path
    assert public.headers.get("Cache-Control") is None


def test_rate_limits_in_each_worker_s_memory_are_warned_of_and_reported(
    make_app: MakeApp, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    key = tmp_path / "key.pem"
    generate_signing_key(key, key_size=2048)
    production = {"env": "production", "secret_key": "z" * 48, "signing_key_file": key}

    apart = make_app(**production, workers=4)
    one_worker = make_app(**production, workers=1)
    redis = make_app(**production, workers=4, redis_url="redis://127.0.0.1:1/0")

    warnings = [r.getMessage() for r in caplog.records if "LMS_REDIS_URL" in r.getMessage()]
    assert warnings == [
        "Rate limits are counted in each worker's memory (LMS_WORKERS=4): set LMS_REDIS_URL "
        "so that every worker and server counts together."
    ]
    reported = [
        app.test_client().get("/healthz").get_json()["rate_limits"]
        for app in (apart, one_worker, redis)
    ]
    assert reported == ["per-process", "shared", "shared"]
