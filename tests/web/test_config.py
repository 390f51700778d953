"""Settings: read from LMS_* variables, defaults, and refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from lms import create_app
from lms.config import (
    DEVELOPMENT_SECRET_KEY,
    PROJECT_ROOT,
    ConfigurationError,
    Environment,
    load_settings,
)


def test_defaults_suit_a_fresh_checkout() -> None:
    settings = load_settings({})

    assert settings.env is Environment.DEVELOPMENT
    assert settings.database_url == f"sqlite:///{PROJECT_ROOT / 'instance' / 'parcours.db'}"
    assert settings.secret_key == DEVELOPMENT_SECRET_KEY
    assert settings.content_dir == PROJECT_ROOT
    assert (settings.content_dir / "courses").is_dir()
    assert settings.content_reload is True
    assert settings.default_language == "fr"


def test_every_variable_is_read(tmp_path: Path) -> None:
    settings = load_settings(
        {
            "LMS_ENV": "production",
            "LMS_DATABASE_URL": "postgresql+psycopg://lms@db/lms",
            "LMS_SECRET_KEY": "a-real-secret-key-from-the-operator",
            "LMS_CONTENT_DIR": str(tmp_path),
            "LMS_CONTENT_RELOAD": "yes",
            "LMS_DEFAULT_LANGUAGE": "EN",
        }
    )

    assert settings.env is Environment.PRODUCTION
    assert settings.database_url == "postgresql+psycopg://lms@db/lms"
    assert settings.secret_key == "a-real-secret-key-from-the-operator"
    assert settings.content_dir == tmp_path
    assert settings.content_reload is True
    assert settings.default_language == "en"


def test_sessions_last_thirty_days_at_most_unless_set() -> None:
    assert load_settings({}).session_max_days == 30
    assert load_settings({"LMS_SESSION_MAX_DAYS": " 7 "}).session_max_days == 7


@pytest.mark.parametrize(("env", "reload"), [("development", True), ("testing", False)])
def test_content_reload_defaults_to_on_in_development_only(env: str, reload: bool) -> None:
    assert load_settings({"LMS_ENV": env}).content_reload is reload


def test_content_reload_is_off_by_default_in_production() -> None:
    settings = load_settings({"LMS_ENV": "production", "LMS_SECRET_KEY": "s3cret-value"})
    assert settings.content_reload is False


def test_production_refuses_the_development_secret_key() -> None:
    with pytest.raises(ConfigurationError, match="LMS_SECRET_KEY"):
        load_settings({"LMS_ENV": "production"})


def test_create_app_refuses_the_development_secret_key_in_production(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LMS_ENV", "production")
    with pytest.raises(ConfigurationError, match="development key"):
        create_app()


def test_development_and_testing_accept_the_development_key() -> None:
    for env in ("development", "testing"):
        assert load_settings({"LMS_ENV": env}).secret_key == DEVELOPMENT_SECRET_KEY


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("LMS_ENV", "staging", "LMS_ENV must be"),
        ("LMS_CONTENT_RELOAD", "sometimes", "LMS_CONTENT_RELOAD must be true or false"),
        ("LMS_DEFAULT_LANGUAGE", "de", "LMS_DEFAULT_LANGUAGE must be one of fr, en"),
        ("LMS_SESSION_MAX_DAYS", "0", "LMS_SESSION_MAX_DAYS must be 1 or more"),
        ("LMS_SESSION_MAX_DAYS", "a month", "LMS_SESSION_MAX_DAYS must be a number of days"),
    ],
)
def test_bad_values_are_refused_with_the_variable_named(
    variable: str, value: str, message: str
) -> None:
    with pytest.raises(ConfigurationError, match=message):
        load_settings({variable: value})


def test_overrides_win_over_the_environment() -> None:
    settings = load_settings(
        {"LMS_ENV": "development", "LMS_DEFAULT_LANGUAGE": "en"},
        overrides={"env": "testing", "default_language": "fr"},
    )
    assert settings.env is Environment.TESTING
    assert settings.default_language == "fr"
    assert settings.content_reload is False


def test_unknown_override_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="databse_url"):
        load_settings({}, overrides={"databse_url": "sqlite://"})


def test_the_secret_key_is_not_shown_in_repr() -> None:
    settings = load_settings({"LMS_SECRET_KEY": "do-not-print-me"})
    assert "do-not-print-me" not in repr(settings)


def test_rate_limits_are_counted_in_redis_when_lms_redis_url_is_set() -> None:
    assert load_settings({}).limiter_storage_url == "memory://"
    shared = load_settings({"LMS_REDIS_URL": " redis://cache:6379/0 "})
    assert shared.redis_url == "redis://cache:6379/0"
    assert shared.limiter_storage_url == "redis://cache:6379/0"


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({"LMS_REDIS_URL": "http://cache:6379"}, "LMS_REDIS_URL must be a redis://"),
        (
            {"LMS_REDIS_URL": "redis://a:6379/0", "LMS_RATELIMIT_STORAGE_URL": "redis://b:6379"},
            "unset LMS_RATELIMIT_STORAGE_URL",
        ),
    ],
)
def test_a_wrong_redis_url_is_refused(environ: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        load_settings(environ)


def test_the_time_zone_is_one_setting_checked_at_start() -> None:
    assert load_settings(environ={}).time_zone == "America/Toronto"
    settings = load_settings(environ={"LMS_TIME_ZONE": "Europe/Paris"})
    assert settings.zone.key == "Europe/Paris"
    with pytest.raises(ConfigurationError, match="LMS_TIME_ZONE"):
        load_settings(environ={"LMS_TIME_ZONE": "Mars/Olympus"})


def test_staff_need_a_second_factor_by_default_in_production_only() -> None:
    production = {"LMS_ENV": "production", "LMS_SECRET_KEY": "s3cret-value"}

    assert load_settings(production).require_2fa_for_staff is True
    assert load_settings({}).require_2fa_for_staff is False
    assert load_settings({"LMS_ENV": "testing"}).require_2fa_for_staff is False
    off = load_settings({**production, "LMS_REQUIRE_2FA_FOR_STAFF": "false"})
    assert off.require_2fa_for_staff is False
    assert load_settings({"LMS_REQUIRE_2FA_FOR_STAFF": "true"}).require_2fa_for_staff is True
