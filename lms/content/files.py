"""Reading content files as text, and fingerprints that tell when files changed."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from lms.content.yamlnodes import Report

Fingerprint = tuple[tuple[str, int, int], ...]
"""(relative path, mtime in ns, size) of every file: cheap to take, changes with any edit."""


def read_text(path: Path, report: Report) -> str | None:
    """The file as text (UTF-8, with or without a byte-order mark), or None after a report."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        report.error((1, None), f"cannot read the file: {exc.strerror}")
        return None
    try:
        return data.decode("utf-8-sig").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        report.error((line, column), "the file is not UTF-8 text: save it as UTF-8")
        return None


def walk_files(folder: Path) -> list[Path]:
    """Every file below ``folder``, in a stable order, skipping hidden files and folders."""
    found: list[Path] = []
    for directory, subdirectories, names in os.walk(folder):
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith("."))
        found.extend(Path(directory, n) for n in sorted(names) if not n.startswith("."))
    return found


def fingerprint(paths: list[Path], base: Path) -> Fingerprint:
    entries = []
    for path in paths:
        try:
            stat = path.stat()
        except OSError:
            continue  # removed while we looked: the next look sees it gone
        entries.append((path.relative_to(base).as_posix(), stat.st_mtime_ns, stat.st_size))
    return tuple(entries)


def content_hash(paths: list[Path], base: Path) -> str:
    """SHA-256 over the files' relative paths and bytes."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.relative_to(base).as_posix().encode() + b"\0")
        try:
            digest.update(path.read_bytes())
        except OSError:
            continue
        digest.update(b"\0")
    return digest.hexdigest()
