"""A second factor: time-based one-time codes (TOTP, RFC 6238) and single-use recovery codes.

Pure functions, no Flask and no database: the secret's sealing, a code's check (with the
time step it matched, so that a code is never accepted twice), the enrolment QR code as
SVG, and recovery codes with their digests.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

DIGITS = 6
STEP_SECONDS = 30
DRIFT_STEPS = 1
"""A code of the step before or after is accepted too: phones' clocks drift."""
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper
_RECOVERY_GROUPS, _RECOVERY_GROUP_LENGTH = 3, 4


class SecretUnreadable(ValueError):
    """A sealed secret that the app's key does not open (the key changed)."""


def new_secret() -> str:
    """A new TOTP secret, in base32 as authenticator apps take it (160 bits)."""
    return pyotp.random_base32(length=32)


def _fernet(secret_key: str) -> Fernet:
    # A key of its own, derived from the app's secret: a leaked database alone does not
    # give the secrets away, and no other use of LMS_SECRET_KEY shares this key.
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"parcours totp secret"
    ).derive(secret_key.encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(derived))


def seal(secret: str, secret_key: str) -> str:
    """``secret`` encrypted (and authenticated) for storage."""
    return _fernet(secret_key).encrypt(secret.encode("ascii")).decode("ascii")


def unseal(sealed: str, secret_key: str) -> str:
    try:
        return _fernet(secret_key).decrypt(sealed.encode("ascii")).decode("ascii")
    except InvalidToken as error:
        raise SecretUnreadable from error


def normalize_code(code: str) -> str:
    """A code as typed, without spaces, dashes and case: "123 456", "ABCD-efgh-2345"."""
    return "".join(c for c in code.lower() if c.isalnum())


def matching_step(
    secret: str, code: str, *, after_step: int | None, now: float | None = None
) -> int | None:
    """The time step whose code ``code`` is, within ``DRIFT_STEPS``; None if it is none, or
    if that step is not after ``after_step`` (the last step accepted: no replay)."""
    typed = normalize_code(code)
    if len(typed) != DIGITS or not typed.isdigit():
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    current = int((time.time() if now is None else now) // STEP_SECONDS)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if after_step is not None and step <= after_step:
            continue
        if hmac.compare_digest(totp.generate_otp(step), typed):
            return step
    return None


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    """The ``otpauth://`` address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=account, issuer_name=issuer
    )


def qr_svg_data_uri(uri: str) -> str:
    """The QR code of ``uri`` as an SVG ``data:`` address, for an ``<img>``."""
    qr = segno.make(uri, error="m")
    return str(qr.svg_data_uri(scale=5, border=2, dark="#000", light="#fff"))


def new_recovery_codes() -> list[str]:
    """``RECOVERY_CODES`` new codes, as shown to the person: "abcd-efgh-jkmn" (about 59 bits)."""
    return [
        "-".join(
            "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_GROUP_LENGTH))
            for _ in range(_RECOVERY_GROUPS)
        )
        for _ in range(RECOVERY_CODES)
    ]


def recovery_code_digest(code: str) -> str:
    """What is stored of a recovery code. A plain SHA-256 is enough, unlike for passwords:
    the codes are random, too many to try one by one, and tries are rate-limited."""
    return hashlib.sha256(normalize_code(code).encode("ascii")).hexdigest()
