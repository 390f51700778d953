"""The key that signs this deployment's Open Badges: from configuration, or made for development."""

from __future__ import annotations

import functools
import logging
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask, current_app

from lms.certificates.badges import generate_signing_key, load_signing_key
from lms.config import PROJECT_ROOT, ConfigurationError, Environment, Settings

EXTENSION_KEY = "lms.signing_key"

DEVELOPMENT_KEY_FILE = PROJECT_ROOT / "instance" / "badge-signing-key.pem"
"""Made on first start in development, next to the development database."""

TESTING_KEY_SIZE = 2048
"""Enough for tests, and quick to make."""

logger = logging.getLogger(__name__)


def key_file(settings: Settings) -> Path | None:
    """Where the signing key is read from; None in testing without ``LMS_SIGNING_KEY_FILE``."""
    if settings.signing_key_file is not None:
        return settings.signing_key_file
    return DEVELOPMENT_KEY_FILE if settings.env is Environment.DEVELOPMENT else None


def load_key(settings: Settings) -> rsa.RSAPrivateKey:
    """The signing key the settings name; raise ``ConfigurationError`` if it cannot be used.

    Production must name a file (``LMS_SIGNING_KEY_FILE``): a key made on the fly would
    leave every badge unverifiable the day the server is rebuilt. Development makes one
    under ``instance/``; tests without a file share one key per process.
    """
    path = key_file(settings)
    if path is None:
        if settings.is_production:
            raise ConfigurationError(
                "LMS_SIGNING_KEY_FILE is not set: certificates' Open Badges must be signed "
                "with a key that outlives the server. Create one with `lms certificates keygen "
                "/path/to/badge-signing-key.pem`, keep a backup, and set LMS_SIGNING_KEY_FILE "
                "to its path."
            )
        return _testing_key()
    if settings.signing_key_file is None and not path.exists():
        _create_development_key(path)
    try:
        return load_signing_key(path)
    except FileNotFoundError:
        raise ConfigurationError(
            f"LMS_SIGNING_KEY_FILE: {path} does not exist. Create it with "
            f"`lms certificates keygen {path}`."
        ) from None
    except (ValueError, TypeError, OSError) as error:
        # TypeError: a key protected by a password, which Parcours has no setting for.
        raise ConfigurationError(f"LMS_SIGNING_KEY_FILE: {path}: {error}") from None


@functools.cache
def _testing_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=TESTING_KEY_SIZE)


def _create_development_key(path: Path) -> None:
    try:
        generate_signing_key(path)
    except FileExistsError:
        return  # Made by another process starting at the same moment: use theirs.
    logger.info("Created a signing key for Open Badges (development only): %s", path)


def init_app(app: Flask, settings: Settings) -> None:
    # Loaded at start, so that a deployment with a missing or unreadable key says so at once
    # rather than when the first learner completes a course.
    app.extensions[EXTENSION_KEY] = load_key(settings)


def signing_key(app: Flask | None = None) -> rsa.RSAPrivateKey:
    """The private key of ``app`` (default: the current app)."""
    target = app if app is not None else current_app
    key: rsa.RSAPrivateKey = target.extensions[EXTENSION_KEY]
    return key
