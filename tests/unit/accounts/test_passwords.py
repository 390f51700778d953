"""The password policy: length, the common-password list, the person's own email and name."""

from __future__ import annotations

import pytest

from lms.accounts.passwords import (
    COMMON_PASSWORDS_FILE,
    MIN_PASSWORD_LENGTH,
    PasswordProblem,
    common_passwords,
    password_problem,
)


def test_the_shipped_list_is_there_with_its_licence() -> None:
    assert len(common_passwords()) > 25_000
    assert "password" in common_passwords()
    assert (COMMON_PASSWORDS_FILE.parent / "LICENSE").read_text().count("MIT License") == 1


@pytest.mark.parametrize(
    "password",
    [
        "correct horse battery staple",
        "Tr0ub4dor&3-is-long",
        "mon chat s'appelle Biscotte",
        "ẞtraße-über-Québec",
    ],
)
def test_long_uncommon_passwords_pass(password: str) -> None:
    assert password_problem(password, email="ada@example.org", name="Ada Lovelace") is None


def test_short_passwords_are_refused() -> None:
    assert password_problem("a" * (MIN_PASSWORD_LENGTH - 1)) is PasswordProblem.TOO_SHORT


def test_over_long_passwords_are_refused() -> None:
    assert password_problem("ab1" * 400) is PasswordProblem.TOO_LONG


@pytest.mark.parametrize(
    "password",
    [
        "1234567890123",
        "PASSWORD123456",
        "sunshine2024!!",
        "!!football!!99",
        "monkeymonkey",
        "aaaaaaaaaaaaaa",
        "abababababababab",
        "abcabcabcabcabc",
        "123412341234",
        "abcdefghijklmn",
    ],
)
def test_common_passwords_and_their_easy_variants_are_refused(password: str) -> None:
    assert password_problem(password) is PasswordProblem.TOO_COMMON


@pytest.mark.parametrize(
    "password",
    [
        "ada.lovelace@example.org",
        "ADA.LOVELACE@EXAMPLE.ORG",
        "ada.lovelace",
        "Ada  Lovelace-Byron",
        "adalovelace-byron",
        "ada.lovelace2024",
    ],
)
def test_the_person_email_or_name_is_refused(password: str) -> None:
    problem = password_problem(
        password, email="ada.lovelace@example.org", name="Ada Lovelace-Byron"
    )
    assert problem is PasswordProblem.PERSONAL
