"""Parcours: the application factory."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Flask
from flask_babel import lazy_gettext

from lms import catalog, db, errors, guards, i18n, jobs, logs, mail, panels, security
from lms.accounts import hashing
from lms.config import EXTENSION_KEY as SETTINGS_KEY
from lms.config import Environment, Settings, load_settings
from lms.extensions import csrf, limiter, login_manager
from lms.forms import new_action_key
from lms.outbox import sending as outbox


def _blueprints() -> tuple[Blueprint, ...]:
    """Every blueprint of the app, in one list; imported here so features load with the app."""
    from lms.accounts.views.accounts import blueprint as accounts
    from lms.accounts.views.devices import blueprint as devices
    from lms.accounts.views.links import blueprint as links
    from lms.accounts.views.second_factor import blueprint as second_factor
    from lms.admin.views.admin import blueprint as admin
    from lms.admin.views.content import blueprint as content_problems
    from lms.admin.views.learners import blueprint as learners
    from lms.admin.views.mail import blueprint as mail_admin
    from lms.admin.views.progress import blueprint as progress
    from lms.certificates.views import blueprint as certificates
    from lms.cohorts.views import blueprint as cohorts
    from lms.communities.views import blueprint as communities
    from lms.communities.views import staff_blueprint as community_staff
    from lms.communities.views import unsubscribe_blueprint as community_mail
    from lms.health import blueprint as health
    from lms.learning.views import blueprint as learning
    from lms.live.views import blueprint as live
    from lms.live.views import staff_blueprint as live_staff
    from lms.privacy.views import blueprint as personal_data
    from lms.quizzes.views.authors import blueprint as quiz_analysis
    from lms.quizzes.views.learners import blueprint as quizzes

    return (
        accounts,
        devices,
        links,
        second_factor,
        learning,
        quizzes,
        certificates,
        live,
        cohorts,
        live_staff,
        communities,
        community_staff,
        community_mail,
        learners,
        progress,
        quiz_analysis,
        admin,
        mail_admin,
        content_problems,
        personal_data,
        health,
    )


def _error_pages() -> dict[type[errors.DomainError], errors.ErrorPage]:
    """The domain errors with a page of their own (the others show their message)."""
    from lms.learning.services import CourseLocked
    from lms.learning.views import locked_page

    return {CourseLocked: locked_page}


def _panels() -> dict[str, Any]:
    """What the features above learning add to its pages and the profile's: the dashboard
    (their program at the top, their certificates at the bottom), what a learner who completed
    a course is told (on the course page, and the result of the quiz that completed it), and
    what a new name on the profile means for certificates already issued."""
    from lms.certificates import views as certificates
    from lms.cohorts import views as cohorts

    return {
        "dashboard_top": [cohorts.program_panel],
        "dashboard_bottom": [certificates.dashboard_panel],
        "completed_course": [certificates.completed_course_panel],
        "profile": [certificates.profile_panel],
    }


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
        # With Redis down, count in this process's memory (warned in the log) rather than
        # fail every sign-in; Redis is asked again now and then, and used once it is back.
        RATELIMIT_IN_MEMORY_FALLBACK_ENABLED=True,
        RATELIMIT_SWALLOW_ERRORS=True,
    )
    app.extensions[SETTINGS_KEY] = settings
    # First, so that every later hook's log lines carry the request id.
    logs.init_app(app, settings)
    # Cookies (Secure, HttpOnly, SameSite), the session's lifetime, the security headers.
    security.init_app(app, settings)
    # Templates are indented for reading; keep that indentation out of the HTML sent.
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    # Every page that sends a learner to a person (templates/macros.html: help_line).
    app.jinja_env.globals["contact_email"] = settings.contact_email
    # Pages with several one-shot forms (lms.forms.OneShotForm) give each its own key.
    app.jinja_env.globals["new_action_key"] = new_action_key

    # Before the blueprints: their routes' ids take its bounded converter.
    guards.init_app(app, settings)
    db.init_app(app, settings.database_url, durable=settings.sqlite_durable)
    csrf.init_app(app)
    limiter.init_app(app)
    if settings.is_production and settings.limits_counted_apart:
        # One address would get each limit once per worker: 20 sign-ins a minute become 80.
        logging.getLogger("lms").warning(
            "Rate limits are counted in each worker's memory (LMS_WORKERS=%s): set "
            "LMS_REDIS_URL so that every worker and server counts together.",
            settings.workers or "gunicorn's default",
        )
    mail.init_app(app, settings)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.sign_in"
    login_manager.login_message = lazy_gettext("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    i18n.init_app(app, settings)
    errors.init_app(app, _error_pages())
    for blueprint in _blueprints():
        app.register_blueprint(blueprint)
    catalog.init_app(app, settings)
    panels.init_app(app, **_panels())
    # A feature's hooks (signing key, the receiver that issues certificates): imported here,
    # like the blueprints, so that features load with the app.
    from lms.accounts import request_jobs
    from lms.audit import services as audit
    from lms.certificates import issuing
    from lms.cohorts import import_jobs
    from lms.communities import mail_jobs as community_mail
    from lms.live import reminders as live_reminders
    from lms.quizzes import limits

    jobs.init_app(app, settings)
    import_jobs.init_app(app)
    community_mail.init_app(app)
    request_jobs.init_app(app)
    live_reminders.init_app(app)
    # After each commit, the mails it queued leave (lms.outbox: the outbox keeps the rest).
    outbox.init_app(app, settings)
    issuing.init_app(app, settings)
    limits.connect_receivers()
    audit.connect_receivers()
    # Passwords are hashed at production cost, except under LMS_ENV=testing. Last, so that an
    # app refused for its settings leaves the process hashing as it did.
    hashing.configure(settings)
    return app
