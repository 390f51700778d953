"""Course folders read once: each read kept in a file named by the folder's content hash, and
a catalogue's folders read side by side on every core when there are many to read."""

from __future__ import annotations

import copyreg
import functools
import gc
import hashlib
import importlib.metadata
import json
import logging
import multiprocessing
import os
import time
import warnings
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

from lms.content.courses import CourseLoad, LessonCache, load_course
from lms.content.files import content_hash, fingerprint, walk_files
from lms.content.kept import write_atomically
from lms.content.snapshots import FORMAT, SnapshotError, decode, encode

log = logging.getLogger(__name__)

PARSED_DIR = "parsed"
"""Below a cache folder: the kept reads."""
PARALLEL_FROM = 8
"""Folders to read before starting processes pays: below, one process is as fast."""
UNUSED_DAYS = 7
"""A kept read no load has used for this long is deleted: its folder has changed since."""
_LIBRARIES = ("markdown-it-py", "mdit-py-plugins", "PyYAML")


@functools.cache
def code_version() -> str:
    """Changes with the code that reads content: a read kept by other code is not used."""
    digest = hashlib.sha256(str(FORMAT).encode())
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.read_bytes())
    for library in _LIBRARIES:
        digest.update(importlib.metadata.version(library).encode())
    return digest.hexdigest()


class ParsedCourses:
    """Reads course folders, keeping each read in ``folder`` (None: keeping none).

    A read is named by the hash of the folder's files and of the code, so an edit, even
    one that keeps the size and modification time, is read afresh; a file that cannot be
    read or decoded is a miss, never an error.
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder

    def load(self, course_folder: Path, lessons: LessonCache) -> CourseLoad:
        """One folder, from its kept read or read now (``lessons`` keeps its lessons)."""
        key = self._key(course_folder)
        found = self._recall(key, course_folder)
        if found is None:
            found = load_course(course_folder, lessons)
            self._keep(key, json.dumps(encode(found, course_folder)))
        return found

    def load_all(self, course_folders: list[Path], lessons: LessonCache) -> dict[Path, CourseLoad]:
        """Every folder: those kept, and the others read, on every core if there are many."""
        keys = {folder: self._key(folder) for folder in course_folders}
        loads = {folder: self._recall(keys[folder], folder) for folder in course_folders}
        missing = [folder for folder, load in loads.items() if load is None]
        keep = self.folder is not None
        for folder, read in zip(missing, _read_many(missing, lessons, keep=keep), strict=True):
            loads[folder], text = read
            self._keep(keys[folder], text)
        self._forget_unused(set(keys.values()))
        return {folder: load for folder, load in loads.items() if load is not None}

    def _key(self, course_folder: Path) -> str:
        if self.folder is None:
            return ""
        version = content_hash(walk_files(course_folder), course_folder)
        return hashlib.sha256(f"{code_version()}:{version}".encode()).hexdigest()

    def _recall(self, key: str, course_folder: Path) -> CourseLoad | None:
        if self.folder is None:
            return None
        path = self.folder / f"{key}.json"
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            return None
        try:
            load = decode(CourseLoad, json.loads(text), course_folder)
        except (ValueError, SnapshotError) as error:
            log.warning("content: ignoring the kept read %s (%s)", path, error)
            return None
        # Modification times are not part of the key: the fingerprint is taken now.
        return replace(load, fingerprint=fingerprint(walk_files(course_folder), course_folder))

    def _keep(self, key: str, text: str) -> None:
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_atomically(self.folder / f"{key}.json", text)
        except OSError as error:
            log.warning("content: cannot keep a course read in %s (%s)", self.folder, error)

    def _forget_unused(self, used: set[str]) -> None:
        if self.folder is None or not self.folder.is_dir():
            return
        old = time.time() - UNUSED_DAYS * 86400
        for path in self.folder.glob("*.json"):
            try:
                if path.stem not in used and path.stat().st_mtime < old:
                    path.unlink()
            except OSError:
                continue  # another process took it first


def _read_many(
    folders: list[Path], lessons: LessonCache, *, keep: bool
) -> list[tuple[CourseLoad, str]]:
    """Each folder's read, and with ``keep`` its JSON text to keep."""
    workers = min(len(folders), _cores())
    if len(folders) >= PARALLEL_FROM and workers > 1 and _can_fork():
        try:
            return _read_in_workers(folders, workers, keep=keep)
        except OSError as error:
            log.warning("content: reading in one process (%s)", error)
    return [_read(folder, lessons, keep=keep) for folder in folders]


def _read_in_workers(
    folders: list[Path], workers: int, *, keep: bool
) -> list[tuple[CourseLoad, str]]:
    # Forked workers only parse files: they take no lock that another thread may hold, and
    # Python renews logging's locks in them; so the warning about threads does not apply.
    # Frozen, the objects the workers inherit (a whole app's) are left out of their garbage
    # collections, which would otherwise touch, and so copy, every page of them: in an app,
    # that made reading on two cores slower than on one.
    gc.freeze()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                return pool.map(functools.partial(_read, keep=keep), folders, chunksize=1)
    finally:
        gc.unfreeze()


def _read(
    folder: Path, lessons: LessonCache | None = None, *, keep: bool
) -> tuple[CourseLoad, str]:
    """A folder's read, and with ``keep`` its JSON text (made where the read was, in a worker
    process when it was one)."""
    load = load_course(folder, lessons)
    return load, json.dumps(encode(load, folder)) if keep else ""


def _proxy(values: dict[str, object]) -> MappingProxyType[str, object]:
    return MappingProxyType(values)


# Reads come back from worker processes pickled; the model's read-only mappings need this.
copyreg.pickle(MappingProxyType, lambda proxy: (_proxy, (dict(proxy),)))


def _cores() -> int:
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()
