"""Keeps the current Catalog, re-reading only the courses whose files changed."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from lms.content.certificates import CertificateLoad, load_certificate
from lms.content.courses import CourseLoad, load_course
from lms.content.files import Fingerprint, fingerprint, walk_files
from lms.content.loader import (
    ContentLoad,
    assemble,
    certificate_files,
    certificates_fingerprint,
    course_folders,
)
from lms.content.model import Catalog
from lms.content.problems import Problem

log = logging.getLogger(__name__)


class CatalogStore:
    """The live catalogue of one content root.

    ``refresh()`` re-reads the courses whose files changed since the last look; a course
    whose new files have errors keeps its last good version, and the errors are logged.
    At start, a course with errors is left out and its errors are logged.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._courses = {folder: load_course(folder) for folder in course_folders(root)}
        self._certificates_fingerprint = certificates_fingerprint(root)
        self._certificates = [load_certificate(p) for p in certificate_files(root)]
        self._load = assemble(root, list(self._courses.values()), self._certificates)
        _log_problems(self._load.problems)

    @property
    def catalog(self) -> Catalog:
        return self._load.catalog

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Problems of the latest read of every file."""
        return self._load.problems

    @property
    def content(self) -> ContentLoad:
        return self._load

    def refresh(self) -> bool:
        """Pick up changed files; True when anything was re-read."""
        with self._lock:
            courses, courses_changed = self._refreshed_courses()
            certificates, certificates_changed = self._refreshed_certificates()
            if not (courses_changed or certificates_changed):
                return False
            before = set(self._load.problems)
            self._courses, self._certificates = courses, certificates
            self._load = assemble(
                self.root, list(courses.values()), certificates, previous=self._load.catalog
            )
            _log_problems([p for p in self._load.problems if p not in before])
            return True

    def _refreshed_courses(self) -> tuple[dict[Path, CourseLoad], bool]:
        folders = course_folders(self.root)
        changed = set(folders) != set(self._courses)
        courses: dict[Path, CourseLoad] = {}
        for folder in folders:
            load = self._courses.get(folder)
            if load is None or load.fingerprint != _folder_fingerprint(folder):
                log.info("content: re-reading %s", folder)
                load = load_course(folder)
                changed = True
            courses[folder] = load
        return courses, changed

    def _refreshed_certificates(self) -> tuple[list[CertificateLoad], bool]:
        current = certificates_fingerprint(self.root)
        if current == self._certificates_fingerprint:
            return self._certificates, False
        self._certificates_fingerprint = current
        return [load_certificate(p) for p in certificate_files(self.root)], True


def _folder_fingerprint(folder: Path) -> Fingerprint:
    return fingerprint(walk_files(folder), folder)


def _log_problems(problems: tuple[Problem, ...] | list[Problem]) -> None:
    for problem in problems:
        level = logging.ERROR if problem.is_error else logging.WARNING
        log.log(level, "content: %s", problem.format())
