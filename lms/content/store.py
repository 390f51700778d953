"""Keeps the current Catalog, re-reading only the courses whose files changed."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from lms.content.certificates import load_certificate
from lms.content.courses import CourseLoad, LessonCache
from lms.content.files import Fingerprint, fingerprint, walk_files
from lms.content.kept import KeptCourse, LastGoodVersions
from lms.content.loader import (
    CERTIFICATES_DIR,
    COURSES_DIR,
    ContentLoad,
    assemble,
    certificate_files,
    certificates_fingerprint,
    course_folders,
    is_course_folder,
)
from lms.content.model import Catalog
from lms.content.parsed import PARSED_DIR, ParsedCourses
from lms.content.problems import Problem
from lms.content.watch import ChangeWatcher

log = logging.getLogger(__name__)

LAST_GOOD_DIR = "last-good"


class CatalogStore:
    """The live catalogue of one content root.

    ``refresh()`` re-reads the courses whose files changed since the last look. A course
    whose files have errors is served in its last good version, and the errors are logged.
    With ``cache_dir``, last good versions are kept in files there, so that a course with
    errors at start is still served as it last was (without, such a course is left out),
    and so are the reads of course folders, so that a start parses only what changed.

    With ``watch=True`` filesystem events tell which folders changed, so a refresh costs
    what changed, not the size of the catalogue; otherwise a refresh compares every file's
    size and modification time.
    """

    def __init__(self, root: Path, *, watch: bool = False, cache_dir: Path | None = None) -> None:
        self.root = root.resolve()
        self._lock = threading.Lock()
        self._lessons = LessonCache()
        self._last_good = LastGoodVersions(cache_dir / LAST_GOOD_DIR if cache_dir else None)
        self._good: dict[Path, KeptCourse] = {}
        self._watcher = _start_watcher(self.root) if watch else None
        self._compare_all = False
        """Set when file events may have been missed: the next refresh compares every file."""
        self._parsed = ParsedCourses(cache_dir / PARSED_DIR if cache_dir else None)
        self._courses = self._parsed.load_all(course_folders(self.root), self._lessons)
        self._certificates_fingerprint = certificates_fingerprint(self.root)
        self._certificates = [load_certificate(p) for p in certificate_files(self.root)]
        self._load = self._assemble()
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

    @property
    def watching(self) -> bool:
        return self._watcher is not None

    def wait_for_change(self, timeout: float) -> bool:
        """With ``watch``, block until a file event arrives; False on timeout."""
        return self._watcher.wait(timeout) if self._watcher else False

    def close(self) -> None:
        if self._watcher is not None:
            self._watcher.stop()
            self._watcher = None

    def after_fork(self) -> None:
        """In a process forked from the one that made this store (a server's worker): watch
        the files from here, as the watcher's thread stayed in the parent, and compare every
        file at the next refresh, for what changed before this watcher started."""
        if self._watcher is not None:
            self._watcher = _start_watcher(self.root)
            self._compare_all = True

    def refresh(self) -> bool:
        """Pick up changed files; True when anything was re-read."""
        with self._lock:
            if self._watcher is not None and not self._compare_all:
                touched = self._watcher.take()
                if not touched:
                    return False
                folders = [t for t in touched if t.parent == self.root / COURSES_DIR]
                check_certificates = self.root / CERTIFICATES_DIR in touched
            else:
                if self._watcher is not None:
                    self._watcher.take()  # what it saw is compared below
                self._compare_all = False
                folders, check_certificates = course_folders(self.root), True
                folders += [f for f in self._courses if f not in folders]
            courses_changed = self._refresh_courses(folders)
            certificates_changed = check_certificates and self._refresh_certificates()
            if not (courses_changed or certificates_changed):
                return False
            before = set(self._load.problems)
            self._load = self._assemble()
            _log_problems([p for p in self._load.problems if p not in before])
            return True

    def _assemble(self) -> ContentLoad:
        load = assemble(self.root, self._ordered_courses(), self._certificates, self._fallback)
        stale = {s.folder for s in load.stale}
        for course in load.catalog.courses.values():
            known = self._good.get(course.folder)
            if course.folder not in stale and (
                known is None or known.course.version != course.version
            ):
                self._good[course.folder] = KeptCourse(course, datetime.now(UTC))
                self._last_good.remember(self._good[course.folder])
        return load

    def _fallback(self, load: CourseLoad) -> KeptCourse | None:
        kept = self._good.get(load.folder)
        if kept is None:
            kept = self._last_good.recall(load.declared_id, load.folder)
            if kept is not None:
                self._good[load.folder] = kept
        return kept

    def _refresh_courses(self, folders: Iterable[Path]) -> bool:
        changed = False
        for folder in folders:
            known = self._courses.get(folder)
            if not is_course_folder(folder):
                changed = changed or self._courses.pop(folder, None) is not None
            elif known is None or known.fingerprint != _folder_fingerprint(folder):
                log.info("content: re-reading %s", folder)
                self._courses[folder] = self._parsed.load(folder, self._lessons)
                changed = True
        return changed

    def _refresh_certificates(self) -> bool:
        current = certificates_fingerprint(self.root)
        if current == self._certificates_fingerprint:
            return False
        self._certificates_fingerprint = current
        self._certificates = [load_certificate(p) for p in certificate_files(self.root)]
        return True

    def _ordered_courses(self) -> list[CourseLoad]:
        return [self._courses[folder] for folder in sorted(self._courses)]


def _start_watcher(root: Path) -> ChangeWatcher | None:
    try:
        return ChangeWatcher(root, (COURSES_DIR, CERTIFICATES_DIR))
    except OSError as exc:
        # Too many inotify watches, say: comparing files still works.
        log.warning("content: file events unavailable (%s); polling for changes", exc)
        return None


def _folder_fingerprint(folder: Path) -> Fingerprint:
    return fingerprint(walk_files(folder), folder)


def _log_problems(problems: Iterable[Problem]) -> None:
    for problem in problems:
        level = logging.ERROR if problem.is_error else logging.WARNING
        log.log(level, "content: %s", problem.format())
