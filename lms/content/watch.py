"""Filesystem events (inotify and the like) marking which course folders changed."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

log = logging.getLogger(__name__)


class ChangeWatcher(FileSystemEventHandler):
    """Collects the top-level content entries (``courses/<folder>``, ``certificates``) touched.

    It lets a refresh look only at what changed instead of every file of the catalogue.
    """

    def __init__(self, root: Path, units: tuple[str, ...]) -> None:
        self.root = root.resolve()
        self.units = units
        self._lock = threading.Lock()
        self._dirty: set[Path] = set()
        self._changed = threading.Event()
        self._observer = Observer()
        self._observer.schedule(self, str(self.root), recursive=True)
        self._observer.daemon = True
        self._observer.start()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        paths = [event.src_path, getattr(event, "dest_path", "")]
        touched = {unit for p in paths if p and (unit := self._unit_of(Path(str(p))))}
        if touched:
            with self._lock:
                self._dirty.update(touched)
            self._changed.set()

    def _unit_of(self, path: Path) -> Path | None:
        try:
            parts = path.relative_to(self.root).parts
        except ValueError:
            return None
        if len(parts) >= 2 and parts[0] == "courses":
            return self.root / parts[0] / parts[1]
        if parts and parts[0] in self.units:
            return self.root / parts[0]
        return None

    def take(self) -> set[Path]:
        """The entries changed since the last call."""
        with self._lock:
            dirty, self._dirty = self._dirty, set()
            self._changed.clear()
        return dirty

    def wait(self, timeout: float) -> bool:
        """Block until a change is seen (for tools and tests); False on timeout."""
        return self._changed.wait(timeout)

    def stop(self) -> None:
        self._observer.stop()
        self._observer.join(timeout=5)
