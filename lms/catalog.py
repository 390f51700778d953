"""The app's live course catalogue: one CatalogStore per app, reloaded on request if asked."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask, current_app, request

from lms.config import Settings, current_settings
from lms.content import Catalog, CatalogStore
from lms.content.placeholders import Placeholder

EXTENSION_KEY = "lms.catalog"
CACHE_DIR = "content"
"""Below the instance folder: last good versions of courses, kept for restarts, and reads of
course folders kept by content hash, so that a start parses only what changed."""


def init_app(app: Flask, settings: Settings) -> CatalogStore:
    # Read at start, so a deployment logs its content problems before serving anyone. With
    # reload on, file events say what changed, so a request pays only for what was edited.
    store = CatalogStore(
        settings.content_dir,
        watch=settings.content_reload,
        cache_dir=settings.instance_dir / CACHE_DIR,
    )
    app.extensions[EXTENSION_KEY] = store
    if settings.content_reload:
        app.before_request(_refresh)
    return store


def catalog_store(app: Flask | None = None) -> CatalogStore:
    """The catalogue store of ``app`` (default: the current app)."""
    target = app if app is not None else current_app
    store: CatalogStore = target.extensions[EXTENSION_KEY]
    return store


def current_catalog() -> Catalog:
    """The catalogue as it stands for this request."""
    return catalog_store().catalog


def held_back_certificates() -> Mapping[str, Placeholder]:
    """Definitions production issues nothing from, each with the first placeholder found.

    Placeholder text ("à configurer") must not print on a real certificate; the learners'
    completions stay, and ``lms certificates issue-due`` issues once the file is fixed.
    Empty outside production, where placeholders are warnings only.
    """
    if not current_settings().is_production:
        return {}
    held: dict[str, Placeholder] = {}
    for placeholder in catalog_store().content.placeholders:
        if placeholder.definition_id is not None:
            held.setdefault(placeholder.definition_id, placeholder)
    return held


def _refresh() -> None:
    # Static files do not depend on the content; no need to look at the files for them.
    if request.endpoint != "static":
        catalog_store().refresh()
