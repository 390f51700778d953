"""Parcours: the application factory."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Flask
from flask_babel import lazy_gettext

from lms import catalog, db, errors, i18n, logs, mail, security
from lms.config import EXTENSION_KEY as SETTINGS_KEY
from lms.config import Environment, Settings, load_settings
from lms.extensions import csrf, limiter, login_manager


def _blueprints() -> tuple[Blueprint, ...]:
    """Every blueprint of the app, in one list; imported here so features load with the app."""
    from lms.accounts.views import blueprint as accounts
    from lms.accounts.views import privacy_blueprint as privacy
    from lms.certificates.views import blueprint as certificates
    from lms.health import blueprint as health
    from lms.learning.views import blueprint as learning
    from lms.privacy.views import blueprint as personal_data
    from lms.quizzes.views import blueprint as quizzes
    from lms.staff.admin_views import blueprint as admin
    from lms.staff.invitation_views import blueprint as invitations
    from lms.staff.learner_views import blueprint as staff_learners
    from lms.staff.quiz_views import blueprint as staff_quizzes
    from lms.staff.views import blueprint as staff

    return (
        accounts,
        privacy,
        learning,
        quizzes,
        certificates,
        staff,
        staff_learners,
        staff_quizzes,
        admin,
        invitations,
        personal_data,
        health,
    )


def create_app(config: Settings | Mapping[str, Any] | None = None) -> Flask:
    """Build the Parcours app.

    ``config`` is a ``Settings``, or a mapping of settings fields to override over the
    ``LMS_*`` environment variables (as tests do), or None for the environment alone.
    """
    settings = config if isinstance(config, Settings) else load_settings(overrides=config)

    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        TESTING=settings.env is Environment.TESTING,
        # Flask-WTF's token would otherwise expire after an hour: too short for slow readers.
        WTF_CSRF_TIME_LIMIT=None,
        RATELIMIT_STORAGE_URI=settings.limiter_storage_url,
        # Retry-After on a 429, so that clients know when to come back.
        RATELIMIT_HEADERS_ENABLED=True,
    )
    app.extensions[SETTINGS_KEY] = settings
    # First, so that every later hook's log lines carry the request id.
    logs.init_app(app, settings)
    # Cookies (Secure, HttpOnly, SameSite), the session's lifetime, the security headers.
    security.init_app(app, settings)
    # Templates are indented for reading; keep that indentation out of the HTML sent.
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    db.init_app(app, settings.database_url)
    csrf.init_app(app)
    limiter.init_app(app)
    mail.init_app(app, settings)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = lazy_gettext("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    i18n.init_app(app, settings)
    errors.init_app(app)
    for blueprint in _blueprints():
        app.register_blueprint(blueprint)
    catalog.init_app(app, settings)
    # A feature's hooks (signing key, the receiver that issues certificates): imported here,
    # like the blueprints, so that features load with the app.
    from lms.certificates import issuing

    issuing.init_app(app, settings)
    return app
