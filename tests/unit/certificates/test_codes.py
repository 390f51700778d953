"""Verification codes: 80 random bits, an unambiguous alphabet, forgiving input."""

from __future__ import annotations

import math

import pytest

from lms.certificates.codes import (
    ALPHABET,
    BITS,
    CODE_RE,
    GROUP_SIZE,
    GROUPS,
    PREFIX,
    new_code,
    normalize_code,
)

# "PRC-7KQ2-M9XD-4TFA-0WZE" in full-width forms (U+FF01 onwards mirror ASCII).
FULL_WIDTH = "".join(chr(ord(ch) + 0xFEE0) for ch in "PRC-7KQ2-M9XD-4TFA-0WZE")


def test_a_code_carries_at_least_80_random_bits() -> None:
    assert len(set(ALPHABET)) == len(ALPHABET) == 32
    assert GROUPS * GROUP_SIZE * math.log2(len(ALPHABET)) == BITS >= 80


def test_the_alphabet_has_no_ambiguous_symbol() -> None:
    assert set(ALPHABET) == set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    assert not set(ALPHABET) & set("ILOU")


def test_new_codes_are_canonical_distinct_and_use_the_whole_alphabet() -> None:
    codes = [new_code() for _ in range(2000)]
    assert all(CODE_RE.fullmatch(code) for code in codes)
    assert len(set(codes)) == len(codes)
    assert codes[0].startswith(f"{PREFIX}-")
    assert len(codes[0]) == len(PREFIX) + GROUPS * (GROUP_SIZE + 1)
    # 32 000 symbols: a symbol never drawn would mean a broken generator.
    assert set("".join(code[len(PREFIX) :] for code in codes)) - {"-"} == set(ALPHABET)


def test_normalising_a_canonical_code_gives_it_back() -> None:
    for _ in range(200):
        code = new_code()
        assert normalize_code(code) == code


@pytest.mark.parametrize(
    "typed",
    [
        "PRC-7KQ2-M9XD-4TFA-0WZE",
        "prc-7kq2-m9xd-4tfa-0wze",
        "  PRC 7KQ2 M9XD 4TFA 0WZE  ",
        "PRC7KQ2M9XD4TFA0WZE",
        "7KQ2-M9XD-4TFA-0WZE",
        "7kq2m9xd4tfa0wze",
        "PRC-7KQ2-M9XD-4TFA-OWZE",  # O typed for 0
        # en dash, em dash, non-breaking hyphen, no-break space: as copied from a PDF
        "PRC\u20137KQ2\u2014M9XD\u20114TFA\u00a00WZE",
        FULL_WIDTH,  # from a phone keyboard
    ],
)
def test_normalising_tolerates_how_people_type(typed: str) -> None:
    assert normalize_code(typed) == "PRC-7KQ2-M9XD-4TFA-0WZE"


def test_i_and_l_read_as_one() -> None:
    assert normalize_code("PRC-IL11-0000-0000-0000") == "PRC-1111-0000-0000-0000"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "PRC",
        "PRC-",
        "PRC-7KQ2-M9XD-4TFA",  # a group short
        "PRC-7KQ2-M9XD-4TFA-0WZE-1",  # a symbol too many
        "PRC-7KQ2-M9XD-4TFA-0WZU",  # U is not in the alphabet
        "PRC-7KQ2-M9XD-4TFA-0WZ!",
        "XYZ-7KQ2-M9XD-4TFA-0WZE",  # another prefix
        "https://example.org/verify/PRC-7KQ2-M9XD-4TFA-0WZE",
        "PRC-7KQ2-M9XD-4TFA-0WZÉ",
        "'; DROP TABLE certificates; --",
    ],
)
def test_what_cannot_be_a_code_is_refused(typed: str) -> None:
    assert normalize_code(typed) is None
