"""What staff are told of errors in the course files: each error, and what learners get."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from lms.content import ContentLoad, Problem

VERSION_SHOWN = 12
"""Characters of a content version shown: enough to tell versions apart in git or a log."""


@dataclass(frozen=True)
class StaleCourse:
    """A course folder with errors, and the version learners are served instead, if any."""

    folder: str
    """Relative to the content root (``courses/por-101-basics``)."""
    course_id: str | None
    title: str | None
    """The served version's title; None when the course is not served."""
    version: str | None
    read_at: datetime | None


@dataclass(frozen=True)
class ContentStatus:
    errors: tuple[str, ...]
    """``path:line:col: message``, paths relative to the content root."""
    courses: tuple[StaleCourse, ...]
    unknown_sessions: tuple[str, ...] = ()
    """``path:line:col: message`` for each session id or tag a definition requires that no
    session scheduled here has: the files load, but nobody can earn that certificate."""

    @property
    def served_from_last_good(self) -> int:
        return sum(1 for course in self.courses if course.version is not None)

    @property
    def not_served(self) -> int:
        return sum(1 for course in self.courses if course.version is None)


def content_status(
    content: ContentLoad, language: str, unknown_sessions: Sequence[Problem] = ()
) -> ContentStatus:
    """What staff are told of ``content``, with ``unknown_sessions``
    (``lms.live.queries.unknown_session_problems``) when the page asked the database."""
    root = content.catalog.root
    courses = []
    for stale in content.stale:
        kept = stale.kept
        courses.append(
            StaleCourse(
                folder=os.path.relpath(stale.folder, root),
                course_id=stale.course_id,
                title=kept.course.title.get(language) if kept else None,
                version=kept.course.version[:VERSION_SHOWN] if kept else None,
                read_at=kept.read_at if kept else None,
            )
        )
    errors = tuple(_line(problem, root) for problem in content.errors)
    sessions = tuple(_line(problem, root) for problem in unknown_sessions)
    return ContentStatus(errors, tuple(courses), sessions)


def _line(problem: Problem, root: Path) -> str:
    return f"{problem.place(relative_to=root)}: {problem.message}"
