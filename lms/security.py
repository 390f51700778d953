"""Security headers on every response, cookie settings and the signed-in session's lifetime."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask, request, session
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from lms.config import Settings, current_settings

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "img-src 'self' data:",
        "style-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
"""No inline script or style anywhere: templates keep both in static files."""

PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
)

HSTS = "max-age=31536000; includeSubDomains"
"""One year. Sent only over HTTPS (or with LMS_FORCE_HTTPS): on plain HTTP it would be ignored,
and on a developer's http://127.0.0.1 it must not stick."""

SESSION_USER_KEY = "_user_id"
"""Where Flask-Login keeps the signed-in user in the session."""


def _add_headers(response: Response) -> Response:
    headers = response.headers
    # A view may set a stricter policy of its own: a lesson's SVG file, a reset page's
    # no-referrer. Keep it.
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure or current_settings().force_https:
        headers.setdefault("Strict-Transport-Security", HSTS)
    # A signed-in person's pages (records, scores, addresses) are for them only: not for a
    # shared cache, nor for the browser's back button after sign-out. Read from the session,
    # not current_user, so that no response loads the user only to set a header.
    if SESSION_USER_KEY in session and request.endpoint != "static":
        headers.setdefault("Cache-Control", "no-store")
    return response


def _expire_idle_sessions() -> None:
    # A permanent session's cookie is signed with its time and refused once older than
    # PERMANENT_SESSION_LIFETIME; refreshed on each request, that makes an idle timeout.
    if SESSION_USER_KEY in session and not session.permanent:
        session.permanent = True


def init_app(app: Flask, settings: Settings) -> None:
    secure = settings.is_production or settings.force_https
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.session_hours),
        SESSION_REFRESH_EACH_REQUEST=True,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=secure,
        REMEMBER_COOKIE_DURATION=timedelta(days=settings.remember_days),
    )
    app.before_request(_expire_idle_sessions)
    app.after_request(_add_headers)
    if settings.trusted_proxies:
        # Behind a proxy every request comes from the proxy's address: rate limits would
        # count all users as one. Each trusted proxy appends the address it saw to
        # X-Forwarded-For; headers beyond that count were written by the client and ignored.
        hops = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
