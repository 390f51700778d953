"""The second factor's pure parts: sealing, codes and their time steps, recovery codes, QR."""

from __future__ import annotations

import base64
from urllib.parse import unquote

import pyotp
import pytest

from lms.accounts import totp

KEY = "k" * 64
NOW = 1_800_000_000.0  # a fixed moment, at a step's start plus a few seconds
STEP = int(NOW // totp.STEP_SECONDS)


def code_at(secret: str, step: int) -> str:
    return pyotp.TOTP(secret).generate_otp(step)


def test_a_sealed_secret_opens_with_its_key_only() -> None:
    secret = totp.new_secret()
    sealed = totp.seal(secret, KEY)

    assert secret not in sealed
    assert totp.unseal(sealed, KEY) == secret
    with pytest.raises(totp.SecretUnreadable):
        totp.unseal(sealed, "another key")


def test_a_code_matches_its_step_and_its_neighbours_only() -> None:
    secret = totp.new_secret()

    assert totp.matching_step(secret, code_at(secret, STEP), after_step=None, now=NOW) == STEP
    assert totp.matching_step(secret, code_at(secret, STEP - 1), after_step=None, now=NOW) == (
        STEP - 1
    )
    assert totp.matching_step(secret, code_at(secret, STEP + 1), after_step=None, now=NOW) == (
        STEP + 1
    )
    assert totp.matching_step(secret, code_at(secret, STEP - 3), after_step=None, now=NOW) is None


def test_a_code_of_a_step_already_accepted_is_refused() -> None:
    secret = totp.new_secret()
    code = code_at(secret, STEP)

    assert totp.matching_step(secret, code, after_step=STEP, now=NOW) is None
    assert totp.matching_step(secret, code, after_step=STEP - 1, now=NOW) == STEP


@pytest.mark.parametrize("typed", ["12345", "1234567", "abcdef", "", "12 34 5"])
def test_anything_but_six_digits_is_no_code(typed: str) -> None:
    assert totp.matching_step(totp.new_secret(), typed, after_step=None, now=NOW) is None


def test_a_code_may_be_typed_with_spaces() -> None:
    secret = totp.new_secret()
    code = code_at(secret, STEP)

    assert totp.matching_step(secret, f"{code[:3]} {code[3:]}", after_step=None, now=NOW) == STEP


def test_recovery_codes_are_ten_different_codes_whose_digest_ignores_how_they_are_typed() -> None:
    codes = totp.new_recovery_codes()

    assert len(set(codes)) == totp.RECOVERY_CODES == 10
    assert all(len(code) == 14 and code.count("-") == 2 for code in codes)
    assert totp.recovery_code_digest(codes[0].upper().replace("-", " ")) == (
        totp.recovery_code_digest(codes[0])
    )
    assert totp.recovery_code_digest(codes[0]) != totp.recovery_code_digest(codes[1])


def test_the_qr_code_is_an_svg_of_the_provisioning_address() -> None:
    secret = totp.new_secret()
    uri = totp.provisioning_uri(secret, "ada@example.org", "Parcours")
    image = totp.qr_svg_data_uri(uri)

    assert uri.startswith(f"otpauth://totp/Parcours:ada%40example.org?secret={secret}")
    assert image.startswith("data:image/svg+xml")
    assert "<svg" in _decoded(image)


def _decoded(data_uri: str) -> str:
    header, _comma, body = data_uri.partition(",")
    return base64.b64decode(body).decode() if header.endswith(";base64") else unquote(body)
