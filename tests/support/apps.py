"""Building test apps on real databases, shared by the browser tier and the benchmarks."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask
from jinja2 import BytecodeCache, Environment
from jinja2.bccache import Bucket

from lms import create_app
from tests.support.databases import create_schema

TESTS = Path(__file__).resolve().parent.parent
PROJECT = TESTS.parent
FIXTURE_CONTENT = TESTS / "fixtures" / "content" / "minimal"
TRANSLATIONS = PROJECT / "lms" / "translations"


def compile_translations() -> None:
    """Compile each .po whose .mo is missing or older, as `make install` does.

    Test workers run this at once: each writes a file of its own and renames it over the
    .mo, so that none ever reads a half-written one."""
    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        written = mo_path.with_name(f"{mo_path.name}.{os.getpid()}")
        with written.open("wb") as mo_file:
            write_mo(mo_file, catalog)
        written.replace(mo_path)


class SharedTemplateCode(BytecodeCache):
    """Templates compiled once per test process, not once per app: every test builds its own
    app, and compiling its templates again took more of a web test's time than anything but
    password hashing. A template is compiled again when its source changes, and code compiled
    by an environment of other settings is never used (the key names them)."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def get_bucket(
        self, environment: Environment, name: str, filename: str | None, source: str
    ) -> Bucket:
        key = hashlib.sha256(
            repr((_compile_options(environment), name, filename)).encode()
        ).hexdigest()
        bucket = Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


def _compile_options(environment: Environment) -> tuple[object, ...]:
    """What the code Jinja compiles from a template depends on, besides its source."""

    def named(value: object) -> object:
        function = getattr(value, "__func__", value)
        return getattr(function, "__qualname__", value) if callable(function) else value

    return (
        environment.block_start_string,
        environment.block_end_string,
        environment.variable_start_string,
        environment.variable_end_string,
        environment.comment_start_string,
        environment.comment_end_string,
        environment.line_statement_prefix,
        environment.line_comment_prefix,
        environment.trim_blocks,
        environment.lstrip_blocks,
        environment.newline_sequence,
        environment.keep_trailing_newline,
        tuple(sorted(environment.extensions)),
        environment.optimized,
        environment.is_async,
        getattr(environment, "newstyle_gettext", None),
        named(environment.finalize),
        named(environment.autoescape),
    )


TEMPLATE_CODE = SharedTemplateCode()


def share_compiled_templates(app: Flask) -> Flask:
    """Let ``app`` use (and add to) the templates this process compiled already."""
    app.jinja_env.bytecode_cache = TEMPLATE_CODE
    return app


def build_app(database: Path | str, *, with_schema: bool = True, **overrides: Any) -> Flask:
    """An app in testing mode on ``database`` (a SQLite file, or a database URL), with the
    fixture content by default; ``with_schema`` builds the tables at the latest revision."""
    url = database if isinstance(database, str) else f"sqlite:///{database}"
    settings: dict[str, Any] = {
        "env": "testing",
        "database_url": url,
        "content_dir": FIXTURE_CONTENT,
        "content_reload": False,
        # Its own, so that no test serves a course version another test kept.
        "instance_dir": Path(tempfile.mkdtemp(prefix="parcours-instance-")),
    }
    settings.update(overrides)
    if with_schema:
        create_schema(url)
    return share_compiled_templates(create_app(settings))
