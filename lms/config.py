"""One typed, frozen settings object read from ``LMS_*`` environment variables."""

from __future__ import annotations

import enum
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

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
    default_language: str = "fr"

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

    @property
    def is_production(self) -> bool:
        return self.env is Environment.PRODUCTION


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


def _parse_path(value: str) -> Path:
    return Path(value).expanduser().resolve()


_VARIABLES: dict[str, tuple[str, Callable[[str], Any]]] = {
    "env": ("LMS_ENV", _parse_env),
    "database_url": ("LMS_DATABASE_URL", str),
    "secret_key": ("LMS_SECRET_KEY", str),
    "content_dir": ("LMS_CONTENT_DIR", _parse_path),
    "content_reload": ("LMS_CONTENT_RELOAD", _parse_bool("LMS_CONTENT_RELOAD")),
    "default_language": ("LMS_DEFAULT_LANGUAGE", lambda v: v.strip().lower()),
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
    if "content_dir" in values:
        values["content_dir"] = Path(values["content_dir"])
    # Reloading content on each request suits authors editing files, not a busy server.
    values.setdefault("content_reload", values["env"] is Environment.DEVELOPMENT)
    return Settings(**values)


EXTENSION_KEY = "lms.settings"


def current_settings() -> Settings:
    """The settings of the current Flask app."""
    from flask import current_app  # here, so that reading settings needs no Flask

    found: Settings = current_app.extensions[EXTENSION_KEY]
    return found
