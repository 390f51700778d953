"""The password hasher: Argon2id at production cost, at the cheapest one under LMS_ENV=testing."""

from __future__ import annotations

import contextlib
import dataclasses
import secrets
from typing import Final

from argon2 import Parameters, PasswordHasher, Type, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from lms.config import Environment, Settings

PRODUCTION: Final = profiles.RFC_9106_LOW_MEMORY
"""argon2-cffi's default, what ``PasswordHasher()`` uses (RFC 9106's low-memory profile: 64 MiB,
3 passes, 4 lanes): production and development hash with it."""

TESTING: Final = Parameters(
    type=Type.ID,
    version=19,
    salt_len=PRODUCTION.salt_len,
    hash_len=PRODUCTION.hash_len,
    time_cost=1,
    memory_cost=8,
    parallelism=1,
)
"""The least work Argon2id accepts (8 KiB, one pass, one lane), for test apps only: hashing at
production cost was most of the test suite's set-up time. Salt and hash keep their length."""

_parameters: Parameters = PRODUCTION
_hasher = PasswordHasher.from_parameters(PRODUCTION)
_dummy_hashes: dict[tuple[object, ...], str] = {}
"""For ``dummy_check``: a hash of a random password per set of parameters, made when needed."""


def parameters_for(env: Environment) -> Parameters:
    """The Argon2 parameters of new hashes in ``env``."""
    return TESTING if env is Environment.TESTING else PRODUCTION


def configure(settings: Settings) -> None:
    """Hash with the parameters of ``settings.env`` from now on; ``create_app`` calls it.

    The choice is the process's, as a process serves one environment; until an app is
    created, hashes get production's parameters.
    """
    use(parameters_for(settings.env))


def use(parameters: Parameters) -> None:
    """Hash with ``parameters`` from now on."""
    global _parameters, _hasher
    _parameters = parameters
    _hasher = PasswordHasher.from_parameters(parameters)


def active_parameters() -> Parameters:
    """The parameters of new hashes."""
    return _parameters


def hash_password(password: str) -> str:
    """An Argon2id hash of ``password``, with its own salt and the active parameters."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``, whatever parameters made it."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether ``password_hash`` was made with other parameters than the active ones (in
    production: before they were raised), so that it is made again while the password is known."""
    return _hasher.check_needs_rehash(password_hash)


def dummy_check(password: str) -> None:
    """Spend the time of a real check, so that response times do not tell which emails exist."""
    with contextlib.suppress(VerificationError):
        _hasher.verify(_dummy_hash(_parameters), password)


def _dummy_hash(parameters: Parameters) -> str:
    """A hash of a random password, made once per set of parameters: checking it costs what
    checking a hash made now costs."""
    key = dataclasses.astuple(parameters)
    if key not in _dummy_hashes:
        _dummy_hashes[key] = PasswordHasher.from_parameters(parameters).hash(
            secrets.token_urlsafe(16)
        )
    return _dummy_hashes[key]
