"""Keeps the current Catalog, re-reading only the courses whose files changed."""

from __future__ import annotations

import logging
from pathlib import Path

from lms.content.model import Catalog
from lms.content.problems import Problem

log = logging.getLogger(__name__)


class CatalogStore:
    """The live catalogue of one content root.

    ``refresh()`` re-reads the courses whose files changed since the last look; a course
    whose new files have errors keeps its last good version, and the errors are logged.
    """

    def __init__(self, root: Path) -> None:
        raise NotImplementedError  # being written

    @property
    def catalog(self) -> Catalog:
        raise NotImplementedError

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Problems of the latest read of every file."""
        raise NotImplementedError

    def refresh(self) -> bool:
        """Pick up changed files; True when the catalogue changed."""
        raise NotImplementedError
