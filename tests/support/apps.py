"""Building test apps on real databases, shared by the browser tier and the benchmarks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask

from lms import create_app
from tests.support.databases import create_schema

TESTS = Path(__file__).resolve().parent.parent
PROJECT = TESTS.parent
FIXTURE_CONTENT = TESTS / "fixtures" / "content" / "minimal"
TRANSLATIONS = PROJECT / "lms" / "translations"


def compile_translations() -> None:
    """Compile each .po whose .mo is missing or older, as `make install` does."""
    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        with mo_path.open("wb") as mo_file:
            write_mo(mo_file, catalog)


def build_app(database: Path | str, *, with_schema: bool = True, **overrides: Any) -> Flask:
    """An app in testing mode on ``database`` (a SQLite file, or a database URL), with the
    fixture content by default; ``with_schema`` builds the tables at the latest revision."""
    url = database if isinstance(database, str) else f"sqlite:///{database}"
    settings: dict[str, Any] = {
        "env": "testing",
        "database_url": url,
        "content_dir": FIXTURE_CONTENT,
        "content_reload": False,
    }
    settings.update(overrides)
    if with_schema:
        create_schema(url)
    return create_app(settings)
