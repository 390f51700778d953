"""The badge image: a round PNG, with the credential baked in as Open Badges 3.0 says."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

from lms.certificates.badge_image import CREDENTIAL_KEYWORD, SIZE, badge_png, bake

TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"


def chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """Each chunk's type and data, read as a verifier reads them (CRCs checked)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    found, at = [], 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind, data = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", png[at + 8 + length : at + 12 + length])
        assert crc == zlib.crc32(kind + data)
        found.append((kind, data))
        at += 12 + length
    return found


def test_the_badge_is_a_round_png_of_its_size() -> None:
    png = badge_png("Module 101 – Les bases du partenariat patient", "Parcours")
    with Image.open(io.BytesIO(png)) as image:
        assert (image.format, image.size, image.mode) == ("PNG", (SIZE, SIZE), "RGBA")
        assert image.getpixel((0, 0))[3] == 0  # transparent outside the disc
        assert image.getpixel((SIZE // 2, SIZE - 60))[3] == 255


def test_baking_adds_one_uncompressed_itxt_chunk_holding_the_credential() -> None:
    png = badge_png("A very long certificate title " * 6, "An issuer")

    baked = bake(png, TOKEN)

    itxt = [data for kind, data in chunks(baked) if kind == b"iTXt"]
    assert len(itxt) == 1
    keyword, rest = itxt[0].split(b"\x00", 1)
    assert keyword.decode("latin-1") == CREDENTIAL_KEYWORD == "openbadgecredential"
    compressed, _method = rest[0], rest[1]
    assert compressed == 0
    language, rest = rest[2:].split(b"\x00", 1)
    translated, text = rest.split(b"\x00", 1)
    assert (language, translated) == (b"", b"")
    assert text.decode("utf-8") == TOKEN
    with Image.open(io.BytesIO(baked)) as after, Image.open(io.BytesIO(png)) as before:
        assert after.tobytes() == before.tobytes()  # the picture itself is untouched
