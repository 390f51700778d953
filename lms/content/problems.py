"""Problems found in content files, each with the place where it stands."""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass
from pathlib import Path


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One message about one place in one file; line and column count from 1."""

    path: Path
    line: int
    column: int | None
    severity: Severity
    message: str

    @classmethod
    def at(cls, path: Path, message: str, line: int = 1) -> Problem:
        """An error about a file or folder as a whole."""
        return cls(path, line, None, Severity.ERROR, message)

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def format(self, relative_to: Path | None = None) -> str:
        """``path:line:col: severity: message``, the path as seen from ``relative_to``."""
        return f"{self.place(relative_to)}: {self.severity}: {self.message}"

    def place(self, relative_to: Path | None = None) -> str:
        """``path:line:col`` (no column when unknown), the path as seen from ``relative_to``."""
        base = relative_to if relative_to is not None else Path.cwd()
        shown = os.path.relpath(self.path, base)
        return f"{shown}:{self.line}" + (f":{self.column}" if self.column else "")
