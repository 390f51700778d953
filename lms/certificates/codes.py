"""Verification codes: random, 80 bits, written to be read aloud and typed by people."""

from __future__ import annotations

import re
import secrets
import unicodedata

PREFIX = "PRC"
"""Marks a Parcours certificate code wherever it is pasted."""

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base32: no I, L, O (read as 1, 1, 0) and no U (accidental words)."""

GROUP_SIZE = 4
GROUPS = 4
BITS_PER_SYMBOL = 5  # log2(len(ALPHABET))
BITS = GROUP_SIZE * GROUPS * BITS_PER_SYMBOL
"""80: out of reach of guessing, even with /verify unthrottled, and short enough to type."""

_SYMBOLS = GROUP_SIZE * GROUPS
_ALPHABET_SET = frozenset(ALPHABET)
# What people type for a symbol that is not in the alphabet, as Crockford decodes it.
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})

CODE_RE = re.compile(rf"^{PREFIX}(?:-[{ALPHABET}]{{{GROUP_SIZE}}}){{{GROUPS}}}$")
"""The canonical form, e.g. ``PRC-7KQ2-M9XD-4TFA-0WZE``."""

assert len(ALPHABET) == 2**BITS_PER_SYMBOL == len(_ALPHABET_SET)


def new_code() -> str:
    """A fresh code in canonical form, from the operating system's CSPRNG."""
    return _format("".join(secrets.choice(ALPHABET) for _ in range(_SYMBOLS)))


def normalize_code(typed: str) -> str | None:
    """The canonical form of what someone typed, or None when it cannot be a code.

    Tolerates case, spaces and missing or odd dashes (as copied from a PDF or
    dictated), the ``PRC`` prefix being left out, full-width characters from
    phone keyboards, and O, I, L typed for 0, 1, 1.
    """
    text = unicodedata.normalize("NFKC", typed).upper()
    compact = "".join(ch for ch in text if not _is_separator(ch))
    if len(compact) == len(PREFIX) + _SYMBOLS and compact.startswith(PREFIX):
        compact = compact[len(PREFIX) :]
    if len(compact) != _SYMBOLS:
        return None
    symbols = compact.translate(_LOOKALIKES)
    if not set(symbols) <= _ALPHABET_SET:
        return None
    return _format(symbols)


def _is_separator(ch: str) -> bool:
    # Zs: any space (incl. no-break); Pd: hyphen, en/em dash, non-breaking hyphen...
    return ch.isspace() or unicodedata.category(ch) in {"Zs", "Pd", "Cf"} or ch == "\u2212"


def _format(symbols: str) -> str:
    groups = [symbols[i : i + GROUP_SIZE] for i in range(0, _SYMBOLS, GROUP_SIZE)]
    return "-".join([PREFIX, *groups])
