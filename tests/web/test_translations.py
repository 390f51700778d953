"""Every interface string in the code and templates has a French translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

PROJECT = Path(__file__).resolve().parents[2]
TRANSLATIONS = PROJECT / "lms" / "translations"


def extracted_messages() -> set[str]:
    with (TRANSLATIONS / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = {**DEFAULT_KEYWORDS, "lazy_gettext": None, "_l": None}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(PROJECT), method_map, options_map, keywords=keywords
    ):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_interface_string_is_translated_in_french() -> None:
    with (TRANSLATIONS / "fr" / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        french = read_po(po_file)
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in french
        if m.id and not m.fuzzy and (all(m.string) if isinstance(m.string, tuple) else m.string)
    }

    extracted = extracted_messages()

    assert "Skip to main content" in extracted
    missing = sorted(extracted - translated)
    assert not missing, f"run `make messages` and translate: {missing}"
