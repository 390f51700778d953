"""Building test apps on real SQLite files, shared by the web and browser tiers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask

from lms import create_app, schema
from lms.db import database
from lms.models import Base

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


def build_app(database_file: Path, *, with_schema: bool = True, **overrides: Any) -> Flask:
    """An app in testing mode on ``database_file``, with the fixture content by default."""
    settings: dict[str, Any] = {
        "env": "testing",
        "database_url": f"sqlite:///{database_file}",
        "content_dir": FIXTURE_CONTENT,
        "content_reload": False,
    }
    settings.update(overrides)
    app = create_app(settings)
    if with_schema:
        # Tables from the models (fast), stamped at the latest revision; test_migrations
        # proves the revisions build the same schema.
        Base.metadata.create_all(database(app).engine)
        command.stamp(schema.alembic_config(settings["database_url"]), "head")
    return app
