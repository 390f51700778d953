"""Password hashing: production's Argon2 parameters, the cheap ones of tests, chosen by env."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher, Type, extract_parameters, profiles

from lms.accounts import hashing
from lms.config import Environment, Settings

PREFIX = re.compile(r"^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$")


def cost_of(password_hash: str) -> tuple[int, int, int]:
    """Memory (KiB), passes and lanes, as the hash's prefix states them."""
    found = PREFIX.match(password_hash)
    assert found, password_hash
    memory, passes, lanes = found.groups()
    return int(memory), int(passes), int(lanes)


@pytest.fixture(autouse=True)
def _restore_parameters() -> Iterator[None]:
    """These tests switch the process's parameters: put them back as they were."""
    before = hashing.active_parameters()
    yield
    hashing.use(before)


@pytest.fixture(scope="module")
def production_hash() -> str:
    """A hash made as production makes them, once: each takes a quarter of a second."""
    before = hashing.active_parameters()
    hashing.configure(Settings(env=Environment.PRODUCTION, secret_key="a-real-secret"))
    try:
        return hashing.hash_password("correct horse battery staple")
    finally:
        hashing.use(before)


def test_production_and_development_hash_as_argon2_cffi_does_by_default(
    production_hash: str,
) -> None:
    default = PasswordHasher()
    assert hashing.PRODUCTION == profiles.RFC_9106_LOW_MEMORY
    assert (
        default.time_cost,
        default.memory_cost,
        default.parallelism,
        default.hash_len,
        default.salt_len,
        default.type,
    ) == (
        hashing.PRODUCTION.time_cost,
        hashing.PRODUCTION.memory_cost,
        hashing.PRODUCTION.parallelism,
        hashing.PRODUCTION.hash_len,
        hashing.PRODUCTION.salt_len,
        Type.ID,
    )
    assert hashing.parameters_for(Environment.PRODUCTION) == hashing.PRODUCTION
    assert hashing.parameters_for(Environment.DEVELOPMENT) == hashing.PRODUCTION

    assert cost_of(production_hash) == (65536, 3, 4)
    assert extract_parameters(production_hash) == profiles.RFC_9106_LOW_MEMORY


def test_testing_hashes_at_the_least_cost_argon2id_accepts() -> None:
    hashing.configure(Settings(env=Environment.TESTING))
    made = hashing.hash_password("correct horse battery staple")

    assert cost_of(made) == (8, 1, 1)
    assert extract_parameters(made) == hashing.TESTING
    # Salt and hash keep production's length: only the work is cut.
    assert hashing.TESTING.salt_len == hashing.PRODUCTION.salt_len
    assert hashing.TESTING.hash_len == hashing.PRODUCTION.hash_len


def test_a_hash_verifies_whatever_parameters_are_active() -> None:
    # A check costs what the hash's own parameters say, whatever the active ones.
    other = PasswordHasher(time_cost=2, memory_cost=1024, parallelism=2)
    hashes = (
        other.hash("correct horse battery staple"),
        PasswordHasher.from_parameters(hashing.TESTING).hash("correct horse battery staple"),
    )
    for active in (hashing.PRODUCTION, hashing.TESTING):
        hashing.use(active)
        for made in hashes:
            assert hashing.verify_password(made, "correct horse battery staple")
            assert not hashing.verify_password(made, "correct horse battery stapler")
        assert not hashing.verify_password("not a hash", "correct horse battery staple")


def test_only_hashes_made_with_other_parameters_need_a_new_hash(production_hash: str) -> None:
    hashing.use(hashing.TESTING)
    cheap = hashing.hash_password("correct horse battery staple")
    assert not hashing.needs_rehash(cheap)
    assert hashing.needs_rehash(production_hash)

    hashing.use(hashing.PRODUCTION)
    assert not hashing.needs_rehash(production_hash)
    assert hashing.needs_rehash(cheap)
    older = PasswordHasher(time_cost=2, memory_cost=1024, parallelism=4).hash("a password")
    assert hashing.needs_rehash(older)


def test_the_dummy_check_costs_what_a_check_with_the_active_parameters_costs() -> None:
    for parameters in (hashing.TESTING, hashing.PRODUCTION):
        hashing.use(parameters)
        hashing.dummy_check("a password")
        # The hash it checks against has the active parameters...
        made = hashing._dummy_hash(parameters)
        assert extract_parameters(made) == parameters
        # ...and is made once for each set of them.
        assert hashing._dummy_hash(parameters) is made
