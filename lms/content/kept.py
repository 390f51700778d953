"""The last good version of each course, kept in files so that a restart still serves it."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from lms.content.model import Course
from lms.content.snapshots import FORMAT, SnapshotError, decode, encode

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class KeptCourse:
    """A version of a course that had no error, and when it was read."""

    course: Course
    read_at: datetime


class LastGoodVersions:
    """``<folder>/<course id>/<content version>.json``, one version a course: its last good.

    Learners in the middle of a course keep it when its author breaks it and the server
    restarts. Without a folder nothing is kept beyond the process. A file that cannot be
    read or written is logged and ignored: the worst case is the behaviour without files.
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._written: dict[str, str] = {}
        """Course id to the version known to be on disk, so that a refresh writes no more."""

    def remember(self, kept: KeptCourse) -> None:
        course = kept.course
        if self.folder is None or self._written.get(course.id) == course.version:
            return
        place = self.folder / course.id
        target = place / f"{course.version}.json"
        data = {
            "format": FORMAT,
            "read_at": kept.read_at.isoformat(),
            "course": encode(course, course.folder),
        }
        try:
            place.mkdir(parents=True, exist_ok=True)
            if not target.exists():
                write_atomically(target, json.dumps(data, ensure_ascii=False))
            for other in place.glob("*.json"):
                if other != target:
                    other.unlink(missing_ok=True)
        except OSError as error:
            log.warning("content: cannot keep course %s's good version (%s)", course.id, error)
            return
        self._written[course.id] = course.version

    def recall(self, course_id: str | None, folder: Path) -> KeptCourse | None:
        """The last good version of ``course_id`` (None: the course kept from ``folder``)."""
        if self.folder is None or not self.folder.is_dir():
            return None
        places = [self.folder / course_id] if course_id else list(self.folder.iterdir())
        for place in places:
            for path in sorted(place.glob("*.json")) if place.is_dir() else ():
                kept = _read(path, folder)
                if kept is not None and (course_id or kept.course.folder.name == folder.name):
                    return kept
        return None


def _read(path: Path, folder: Path) -> KeptCourse | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None
        course = decode(Course, data["course"], folder)
        read_at = datetime.fromisoformat(data["read_at"]).astimezone(UTC)
    except (OSError, ValueError, KeyError, TypeError, AttributeError, SnapshotError) as error:
        log.warning("content: ignoring the kept version %s (%s)", path, error)
        return None
    if course.version != path.stem or course.id != path.parent.name:
        log.warning("content: ignoring the kept version %s (it names another)", path)
        return None
    return KeptCourse(course, read_at)


def write_atomically(path: Path, text: str) -> None:
    """Write to a file of our own, then rename: a reader never sees half a file."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
