"""The password policy: long enough, not a common password, not the person's own email or name."""

from __future__ import annotations

import enum
import functools
import itertools
import string
from pathlib import Path

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 1024
"""Long enough for any passphrase; bounded so that hashing cannot be made to take forever."""

COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent / "data" / "common-passwords.txt"
"""The 30,000 most common passwords (see ``data/LICENSE`` for where they come from)."""

_DECORATION = string.digits + string.punctuation + " "
MIN_DISTINCT_CHARACTERS = 4
"""``aaaaaaaaaaaa`` or ``abababababab`` are long but guessed at once."""


class PasswordProblem(enum.Enum):
    TOO_SHORT = "too_short"
    TOO_LONG = "too_long"
    TOO_COMMON = "too_common"
    PERSONAL = "personal"


@functools.cache
def common_passwords() -> frozenset[str]:
    """The common passwords, case-folded."""
    text = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8")
    return frozenset(line.strip().casefold() for line in text.splitlines() if line.strip())


def _is_sequence(text: str) -> bool:
    """``1234567890123``, ``abcdefghijkl``, ``987654321098``: each character after the last."""
    steps = {(ord(b) - ord(a)) for a, b in itertools.pairwise(text)}
    # A run of digits wraps: 8, 9, 0, 1.
    return len(text) > 2 and (steps <= {1, -9} or steps <= {-1, 9})


def _is_repeated(text: str) -> str | None:
    """The unit of ``text`` if it is one unit repeated (``monkeymonkey``: ``monkey``)."""
    for size in range(1, len(text) // 2 + 1):
        if len(text) % size == 0 and text[:size] * (len(text) // size) == text:
            return text[:size]
    return None


def _is_common(password: str) -> bool:
    folded = password.casefold()
    common = common_passwords()
    if folded in common or len(set(folded)) < MIN_DISTINCT_CHARACTERS:
        return True
    # "sunshine2024!" or "!!password!!": a common word dressed up with digits and symbols.
    core = folded.strip(_DECORATION) or folded
    if core in common or _is_sequence(core):
        return True
    unit = _is_repeated(core)
    # "monkeymonkey", "abcabcabcabc", "123412341234": a common or short unit, repeated.
    return unit is not None and (unit in common or len(unit) <= MIN_DISTINCT_CHARACTERS)


def _personal_words(email: str | None, name: str | None) -> set[str]:
    words: set[str] = set()
    if email:
        folded = email.strip().casefold()
        words.update({folded, folded.partition("@")[0]})
    if name:
        folded = " ".join(name.split()).casefold()
        words.update({folded, folded.replace(" ", "")})
    return {word for word in words if word}


def password_problem(
    password: str, *, email: str | None = None, name: str | None = None
) -> PasswordProblem | None:
    """What is wrong with ``password`` as a new password for this person, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return PasswordProblem.TOO_SHORT
    if len(password) > MAX_PASSWORD_LENGTH:
        return PasswordProblem.TOO_LONG
    folded = " ".join(password.split()).casefold()
    personal = _personal_words(email, name)
    if folded in personal or folded.strip(_DECORATION) in personal:
        return PasswordProblem.PERSONAL
    if _is_common(password):
        return PasswordProblem.TOO_COMMON
    return None
