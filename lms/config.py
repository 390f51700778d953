"""One typed, frozen settings object read from ``LMS_*`` environment variables."""

from __future__ import annotations

import enum
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from email.headerregistry import Address
from email.policy import SMTP
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from lms.content import SUPPORTED_LANGUAGES

PROJECT_ROOT = Path(__file__).resolve().parent.parent
"""The folder holding ``lms/``, ``courses/`` and ``certificates/`` in a checkout."""

DEVELOPMENT_SECRET_KEY = "parcours-development-key-not-secret"  # noqa: S105
"""Lets a fresh checkout run at once; refused in production, where sessions must be unforgeable."""


class ConfigurationError(ValueError):
    """A setting is missing or has a value the application cannot run with."""


class Environment(enum.StrEnum):
    DEVELOPMENT = "development"
    TESTING = "testing"
    PRODUCTION = "production"


def default_database_url() -> str:
    return f"sqlite:///{PROJECT_ROOT / 'instance' / 'parcours.db'}"


@dataclass(frozen=True, kw_only=True)
class Settings:
    """Everything the application reads from its environment, checked once at start."""

    env: Environment = Environment.DEVELOPMENT
    database_url: str = field(default_factory=default_database_url)
    secret_key: str = field(default=DEVELOPMENT_SECRET_KEY, repr=False)
    content_dir: Path = PROJECT_ROOT
    content_reload: bool = True
    instance_dir: Path = PROJECT_ROOT / "instance"
    """This server's own files: the last good version of each course and parsed content."""
    default_language: str = "fr"
    base_url: str = "http://127.0.0.1:5000"
    """Where people reach the site; absolute links in mails start with it."""
    smtp_host: str = ""
    """Empty (the development default): mails are written to the log instead of sent."""
    smtp_port: int = 587
    smtp_username: str = ""
    smtp_password: str = field(default="", repr=False)
    smtp_starttls: bool = True
    mail_from: str = "Parcours <no-reply@localhost>"
    contact_email: str = ""
    """The program's address for learners who need a person (more attempts at a quiz, a
    certificate in another name), shown where they may; empty: pages say to ask the staff."""
    ratelimit_storage_url: str = "memory://"
    """Where sign-in attempts are counted; shared storage (``redis://...``) for several servers."""
    redis_url: str = ""
    """A Redis server (``redis://host:6379/0``) shared by every app server: rate limits are
    counted there. Empty: in this process's memory (``ratelimit_storage_url``)."""
    reminder_window_days: int = 14
    """Cohort members who are behind get reminders from this many days before the due date."""
    reminder_interval_days: int = 7
    """Never two reminders to one learner within this many days."""
    signing_key_file: Path | None = None
    """PEM file of the RSA key that signs Open Badges; None: see ``lms.certificates.keys``."""
    certificate_renewal_days: int = 60
    """Learners are told that a certificate expires, and may renew it, this many days before."""
    session_hours: int = 12
    """A signed-in session without "keep me signed in" ends after this many idle hours."""
    remember_days: int = 30
    """How long "keep me signed in on this device" lasts."""
    session_max_days: int = 30
    """Every signed-in session ends this many days after the sign-in, however active."""
    max_upload_mb: int = 8
    workers: int = 0
    """Gunicorn's worker processes (LMS_WORKERS, read by gunicorn.conf.py too; 0: its default,
    several per core). Rate limits counted in memory are per process: see ``shared_limits``."""
    """The largest request body, a roster file included; bigger ones are refused unread (413)."""
    require_2fa_for_staff: bool = False
    """Staff and admin pages refuse a session that has not passed a second factor (default:
    on in production, off elsewhere)."""
    force_https: bool = False
    sqlite_durable: bool = False
    """SQLite only: sync the disk at every commit (``synchronous=FULL``), so that a commit
    survives even a power loss or a system crash. Off: synced at checkpoints
    (``synchronous=NORMAL``, what SQLite advises with WAL), never corrupt, and a crash of the
    app loses nothing; a power loss may undo the last commits before it."""
    """Send HSTS even when the app sees plain HTTP (TLS ended by a proxy that hides it)."""
    trusted_proxies: int = 0
    """Reverse proxies in front of the app whose X-Forwarded-For and -Proto are believed."""
    log_format: str = ""
    """``json`` (one object a line) or ``text``; empty: json in production, text otherwise."""
    retention_years: int = 3
    """Accounts inactive this many years are deleted by ``lms privacy purge``; 0: never."""
    time_zone: str = "America/Toronto"
    """The zone days are counted and times shown in: pages, exports, mails and PDFs alike."""
    digest_hour: int = 7
    """The hour (0-23, in ``time_zone``) the communities' daily digests go out."""

    def __post_init__(self) -> None:
        if self.env is Environment.PRODUCTION and self.secret_key == DEVELOPMENT_SECRET_KEY:
            raise ConfigurationError(
                "LMS_SECRET_KEY is the built-in development key, which is public: set "
                "LMS_SECRET_KEY to a long random value (e.g. the output of "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`) in production."
            )
        if not self.secret_key:
            raise ConfigurationError("LMS_SECRET_KEY is empty.")
        if self.default_language not in SUPPORTED_LANGUAGES:
            raise ConfigurationError(
                f"LMS_DEFAULT_LANGUAGE must be one of {', '.join(SUPPORTED_LANGUAGES)}, "
                f"not {self.default_language!r}."
            )
        if self.reminder_window_days < 0:
            raise ConfigurationError("LMS_REMINDER_WINDOW_DAYS must be 0 or more.")
        if self.reminder_interval_days < 1:
            raise ConfigurationError("LMS_REMINDER_INTERVAL_DAYS must be 1 or more.")
        if self.certificate_renewal_days < 1:
            raise ConfigurationError("LMS_CERTIFICATE_RENEWAL_DAYS must be 1 or more.")
        if self.retention_years < 0:
            raise ConfigurationError("LMS_RETENTION_YEARS must be 0 (keep forever) or more.")
        if self.trusted_proxies < 0:
            raise ConfigurationError("LMS_TRUSTED_PROXIES must be 0 (none) or more.")
        if self.session_hours < 1 or self.remember_days < 1:
            raise ConfigurationError("LMS_SESSION_HOURS and LMS_REMEMBER_DAYS must be 1 or more.")
        if not 0 <= self.digest_hour <= 23:
            raise ConfigurationError("LMS_DIGEST_HOUR must be an hour from 0 to 23.")
        if self.session_max_days < 1:
            raise ConfigurationError("LMS_SESSION_MAX_DAYS must be 1 or more.")
        if self.max_upload_mb < 1:
            raise ConfigurationError("LMS_MAX_UPLOAD_MB must be 1 or more.")
        if self.log_format not in {"", "json", "text"}:
            raise ConfigurationError(
                f"LMS_LOG_FORMAT must be json or text, not {self.log_format!r}."
            )
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigurationError(
                f"LMS_TIME_ZONE must be a zone such as America/Toronto, not {self.time_zone!r}."
            ) from None
        self._check_mail()

    def _check_mail(self) -> None:
        base = urlsplit(self.base_url)
        if base.scheme not in {"http", "https"} or not base.netloc or base.query or base.fragment:
            raise ConfigurationError(
                f"LMS_BASE_URL must be an http(s) address such as https://parcours.example.org, "
                f"not {self.base_url!r}."
            )
        if not 0 < self.smtp_port < 65536:
            raise ConfigurationError(f"LMS_SMTP_PORT must be 1 to 65535, not {self.smtp_port}.")
        if self.smtp_password and not self.smtp_username:
            raise ConfigurationError("LMS_SMTP_PASSWORD is set but LMS_SMTP_USERNAME is empty.")
        if not _is_mailbox(self.mail_from):
            raise ConfigurationError(
                "LMS_MAIL_FROM must be an address such as "
                f"'Parcours <no-reply@parcours.example.org>', not {self.mail_from!r}."
            )
        if self.contact_email and not _is_address(self.contact_email):
            raise ConfigurationError(
                "LMS_CONTACT_EMAIL must be one address such as formation@parcours.example.org, "
                f"not {self.contact_email!r}."
            )
        if not self.ratelimit_storage_url.strip():
            raise ConfigurationError("LMS_RATELIMIT_STORAGE_URL is empty.")
        self._check_redis()

    def _check_redis(self) -> None:
        if not self.redis_url:
            return
        if urlsplit(self.redis_url).scheme not in {"redis", "rediss", "redis+unix"}:
            raise ConfigurationError(
                f"LMS_REDIS_URL must be a redis:// (or rediss://) address such as "
                f"redis://127.0.0.1:6379/0, not {self.redis_url!r}."
            )
        if self.ratelimit_storage_url not in {"memory://", self.redis_url}:
            raise ConfigurationError(
                "LMS_REDIS_URL and LMS_RATELIMIT_STORAGE_URL are both set: rate limits are "
                "counted in LMS_REDIS_URL; unset LMS_RATELIMIT_STORAGE_URL."
            )

    @property
    def limits_counted_apart(self) -> bool:
        """Whether each worker counts rate limits on its own: limits in memory with several
        workers, where one address gets the limit once per worker."""
        return self.limiter_storage_url.startswith("memory://") and self.workers != 1

    @property
    def limiter_storage_url(self) -> str:
        """Where rate limits are counted: the shared Redis if there is one."""
        return self.redis_url or self.ratelimit_storage_url

    @property
    def mail_is_sent(self) -> bool:
        """Whether mails go to an SMTP server; if not, they are only logged."""
        return bool(self.smtp_host)

    @property
    def zone(self) -> ZoneInfo:
        """``time_zone`` as a ``ZoneInfo``: midnights computed with it are right."""
        return ZoneInfo(self.time_zone)

    @property
    def is_production(self) -> bool:
        return self.env is Environment.PRODUCTION

    @property
    def logs_as_json(self) -> bool:
        return self.log_format == "json" or (not self.log_format and self.is_production)


def _is_mailbox(text: str) -> bool:
    """Whether ``text`` is one address with an optional display name, fit for a From header."""
    try:
        header = SMTP.header_factory("From", text)
    except (ValueError, IndexError):
        return False
    addresses: tuple[Address, ...] = getattr(header, "addresses", ())
    return (
        not getattr(header, "defects", ())
        and len(addresses) == 1
        and bool(addresses[0].username and addresses[0].domain)
    )


def _is_address(text: str) -> bool:
    """Whether ``text`` is one bare address (no display name), fit for a mailto: link."""
    return _is_mailbox(text) and "<" not in text and " " not in text.strip()


def _parse_env(value: str) -> Environment:
    try:
        return Environment(value.strip().lower())
    except ValueError:
        allowed = " | ".join(e.value for e in Environment)
        raise ConfigurationError(f"LMS_ENV must be {allowed}, not {value!r}.") from None


def _parse_bool(name: str) -> Callable[[str], bool]:
    def parse(value: str) -> bool:
        text = value.strip().lower()
        if text in {"1", "true", "yes", "on"}:
            return True
        if text in {"0", "false", "no", "off"}:
            return False
        raise ConfigurationError(f"{name} must be true or false, not {value!r}.")

    return parse


def _parse_port(value: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise ConfigurationError(f"LMS_SMTP_PORT must be a number, not {value!r}.") from None


def _parse_days(name: str) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            return int(value.strip())
        except ValueError:
            raise ConfigurationError(f"{name} must be a number of days, not {value!r}.") from None

    return parse


def _parse_count(name: str) -> Callable[[str], int]:
    def parse(value: str) -> int:
        try:
            return int(value.strip())
        except ValueError:
            raise ConfigurationError(f"{name} must be a whole number, not {value!r}.") from None

    return parse


def _parse_path(value: str) -> Path:
    return Path(value).expanduser().resolve()


_VARIABLES: dict[str, tuple[str, Callable[[str], Any]]] = {
    "env": ("LMS_ENV", _parse_env),
    "database_url": ("LMS_DATABASE_URL", str),
    "secret_key": ("LMS_SECRET_KEY", str),
    "content_dir": ("LMS_CONTENT_DIR", _parse_path),
    "content_reload": ("LMS_CONTENT_RELOAD", _parse_bool("LMS_CONTENT_RELOAD")),
    "instance_dir": ("LMS_INSTANCE_DIR", _parse_path),
    "default_language": ("LMS_DEFAULT_LANGUAGE", lambda v: v.strip().lower()),
    "base_url": ("LMS_BASE_URL", lambda v: v.strip().rstrip("/")),
    "smtp_host": ("LMS_SMTP_HOST", str.strip),
    "smtp_port": ("LMS_SMTP_PORT", _parse_port),
    "smtp_username": ("LMS_SMTP_USERNAME", str),
    "smtp_password": ("LMS_SMTP_PASSWORD", str),
    "smtp_starttls": ("LMS_SMTP_STARTTLS", _parse_bool("LMS_SMTP_STARTTLS")),
    "mail_from": ("LMS_MAIL_FROM", str.strip),
    "contact_email": ("LMS_CONTACT_EMAIL", str.strip),
    "ratelimit_storage_url": ("LMS_RATELIMIT_STORAGE_URL", str.strip),
    "redis_url": ("LMS_REDIS_URL", str.strip),
    "reminder_window_days": ("LMS_REMINDER_WINDOW_DAYS", _parse_days("LMS_REMINDER_WINDOW_DAYS")),
    "reminder_interval_days": (
        "LMS_REMINDER_INTERVAL_DAYS",
        _parse_days("LMS_REMINDER_INTERVAL_DAYS"),
    ),
    "signing_key_file": ("LMS_SIGNING_KEY_FILE", _parse_path),
    "certificate_renewal_days": (
        "LMS_CERTIFICATE_RENEWAL_DAYS",
        _parse_days("LMS_CERTIFICATE_RENEWAL_DAYS"),
    ),
    "session_hours": ("LMS_SESSION_HOURS", _parse_count("LMS_SESSION_HOURS")),
    "remember_days": ("LMS_REMEMBER_DAYS", _parse_count("LMS_REMEMBER_DAYS")),
    "session_max_days": ("LMS_SESSION_MAX_DAYS", _parse_days("LMS_SESSION_MAX_DAYS")),
    "max_upload_mb": ("LMS_MAX_UPLOAD_MB", _parse_count("LMS_MAX_UPLOAD_MB")),
    "workers": ("LMS_WORKERS", _parse_count("LMS_WORKERS")),
    "force_https": ("LMS_FORCE_HTTPS", _parse_bool("LMS_FORCE_HTTPS")),
    "sqlite_durable": ("LMS_SQLITE_DURABLE", _parse_bool("LMS_SQLITE_DURABLE")),
    "require_2fa_for_staff": (
        "LMS_REQUIRE_2FA_FOR_STAFF",
        _parse_bool("LMS_REQUIRE_2FA_FOR_STAFF"),
    ),
    "trusted_proxies": ("LMS_TRUSTED_PROXIES", _parse_count("LMS_TRUSTED_PROXIES")),
    "log_format": ("LMS_LOG_FORMAT", lambda v: v.strip().lower()),
    "retention_years": ("LMS_RETENTION_YEARS", _parse_count("LMS_RETENTION_YEARS")),
    "time_zone": ("LMS_TIME_ZONE", str.strip),
    "digest_hour": ("LMS_DIGEST_HOUR", _parse_count("LMS_DIGEST_HOUR")),
}
"""Settings field -> (environment variable, parser of its text)."""


def load_settings(
    environ: Mapping[str, str] | None = None, overrides: Mapping[str, Any] | None = None
) -> Settings:
    """Settings from ``environ`` (default: the process environment), then ``overrides``.

    ``overrides`` maps field names (``database_url``...) to values and wins over the
    environment; unknown names are refused so that a typo cannot go unnoticed.
    """
    environ = os.environ if environ is None else environ
    overrides = dict(overrides or {})
    unknown = set(overrides) - {f.name for f in fields(Settings)}
    if unknown:
        raise ConfigurationError(f"Unknown settings: {', '.join(sorted(unknown))}.")

    values: dict[str, Any] = {}
    for name, (variable, parse) in _VARIABLES.items():
        if name in overrides:
            values[name] = overrides[name]
        elif environ.get(variable, "").strip():
            values[name] = parse(environ[variable])

    values["env"] = Environment(values.get("env", Environment.DEVELOPMENT))
    for name in ("content_dir", "instance_dir", "signing_key_file"):
        if values.get(name) is not None:
            values[name] = Path(values[name])
    # Reloading content on each request suits authors editing files, not a busy server.
    values.setdefault("content_reload", values["env"] is Environment.DEVELOPMENT)
    values.setdefault("require_2fa_for_staff", values["env"] is Environment.PRODUCTION)
    return Settings(**values)


EXTENSION_KEY = "lms.settings"


def current_settings() -> Settings:
    """The settings of the current Flask app."""
    from flask import current_app  # here, so that reading settings needs no Flask

    found: Settings = current_app.extensions[EXTENSION_KEY]
    return found
