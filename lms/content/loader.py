"""Reads a content root (``courses/`` and ``certificates/``) into a Catalog and its problems."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from lms.content.certificates import CertificateLoad, SessionReference, load_certificate
from lms.content.courses import COURSE_FILE, CourseLoad, LessonCache
from lms.content.files import Fingerprint, fingerprint, walk_files
from lms.content.kept import KeptCourse
from lms.content.model import Catalog, CertificateDefinition, Course
from lms.content.parsed import PARSED_DIR, ParsedCourses
from lms.content.placeholders import Placeholder
from lms.content.problems import Problem
from lms.content.yamlnodes import Report, suggest

COURSES_DIR = "courses"
CERTIFICATES_DIR = "certificates"


@dataclass(frozen=True)
class StaleCourse:
    """A course folder whose files have errors, and what learners are served instead."""

    folder: Path
    course_id: str | None
    """As its course.yaml declares it; None when that cannot be read."""
    kept: KeptCourse | None
    """Its last good version, served instead; None: the course is not served."""


Fallback = Callable[[CourseLoad], KeptCourse | None]
"""The last good version to serve for a course folder whose files have errors."""


@dataclass(frozen=True)
class ContentLoad:
    """A catalogue of the valid content, and every problem found on the way."""

    catalog: Catalog
    problems: tuple[Problem, ...]
    placeholders: tuple[Placeholder, ...] = ()
    """Placeholder text in certificate definitions; ``problems_in`` rates it."""
    stale: tuple[StaleCourse, ...] = ()
    """Course folders with errors, by folder name."""
    session_references: tuple[SessionReference, ...] = ()
    """The session ids and tags certificate definitions require, for a check that knows the
    sessions scheduled (``lms courses check``): they live in the database, not in files."""

    @property
    def has_errors(self) -> bool:
        return any(p.is_error for p in self.problems)

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_error)

    def problems_in(self, *, production: bool) -> tuple[Problem, ...]:
        """Every problem, placeholders included at the severity the environment gives them."""
        found = self.problems + tuple(p.problem(production=production) for p in self.placeholders)
        return tuple(sorted(found, key=lambda p: (str(p.path), p.line, p.column or 0)))


def load_content(root: Path, cache_dir: Path | None = None) -> ContentLoad:
    """Load and check every course and certificate under ``root`` in one pass.

    With ``cache_dir``, course folders whose files were read before are not read again.
    """
    parsed = ParsedCourses(cache_dir / PARSED_DIR if cache_dir else None)
    courses = list(parsed.load_all(course_folders(root), LessonCache()).values())
    certificates = [load_certificate(path) for path in certificate_files(root)]
    return assemble(root, courses, certificates)


def enclosing_root(folder: Path) -> Path | None:
    """``folder`` or the nearest folder above it holding ``courses/`` or ``certificates/``."""
    for candidate in (folder, *folder.parents):
        if (candidate / COURSES_DIR).is_dir() or (candidate / CERTIFICATES_DIR).is_dir():
            return candidate
    return None


def course_folders(root: Path) -> list[Path]:
    """Folders of ``courses/`` that hold a ``course.yaml``, in name order."""
    base = root / COURSES_DIR
    if not base.is_dir():
        return []
    with os.scandir(base) as entries:
        names = sorted(e.name for e in entries if e.is_dir() and not e.name.startswith("."))
    return [base / name for name in names if is_course_folder(base / name)]


def is_course_folder(folder: Path) -> bool:
    return (folder / COURSE_FILE).is_file()


def certificate_files(root: Path) -> list[Path]:
    base = root / CERTIFICATES_DIR
    return sorted(base.glob("*.yaml")) if base.is_dir() else []


def certificates_fingerprint(root: Path) -> Fingerprint:
    base = root / CERTIFICATES_DIR
    return fingerprint(walk_files(base), base) if base.is_dir() else ()


def assemble(
    root: Path,
    courses: Sequence[CourseLoad],
    certificates: Sequence[CertificateLoad],
    fallback: Fallback | None = None,
) -> ContentLoad:
    """Check what spans files (ids, prerequisites, requirements) and build the catalogue.

    A course whose files have errors is served in the version ``fallback`` gives, if any.
    """
    problems = [p for load in courses for p in load.problems]
    problems += [p for load in certificates for p in load.problems]
    if not courses and not certificates and not (root / COURSES_DIR).is_dir():
        problems.append(Problem.at(root / COURSES_DIR, "there is no courses/ folder here"))
    cross = _CrossChecks(root, courses)
    problems.extend(cross.problems)
    served: dict[str, Course] = {}
    stale: list[StaleCourse] = []
    for load in courses:
        course = load.course if load.folder not in cross.failed else None
        if course is None:
            kept = fallback(load) if fallback is not None else None
            stale.append(StaleCourse(load.folder, load.declared_id, kept))
            course = kept.course if kept is not None else None
        if course is not None and course.id not in served:
            served[course.id] = course
    definitions = _definitions(certificates, cross, problems)
    catalog = Catalog(
        root, MappingProxyType(_recommended_order(served)), MappingProxyType(definitions)
    )
    ordered = sorted(problems, key=lambda p: (str(p.path), p.line, p.column or 0))
    placeholders = tuple(p for load in certificates for p in load.placeholders)
    references = tuple(r for load in certificates for r in load.session_references)
    return ContentLoad(catalog, tuple(ordered), placeholders, tuple(stale), references)


class _CrossChecks:
    """Duplicate course ids, unknown prerequisites and prerequisite cycles."""

    def __init__(self, root: Path, courses: Sequence[CourseLoad]) -> None:
        self.problems: list[Problem] = []
        self.failed: set[Path] = set()
        self.owners: dict[str, CourseLoad] = {}
        for load in courses:
            if load.declared_id is None:
                continue
            owner = self.owners.setdefault(load.declared_id, load)
            if owner is not load:
                first = os.path.relpath(owner.course_file, root)
                self._error(
                    load,
                    load.id_place,
                    f"course id '{load.declared_id}' is already used by {first}",
                )
        self.declared = set(self.owners)
        # A course.yaml whose id could not be read may be the course referred to: its id is
        # guessed (an "id:" line, else the folder's name) rather than telling of no unknown
        # id until that file is fixed.
        self.ids = self.declared | {_guessed_id(c) for c in courses if c.declared_id is None}
        for load in self.owners.values():
            for prerequisite, place in load.prerequisites:
                if prerequisite not in self.ids:
                    self._error(load, place, self.unknown("prerequisite", prerequisite))
        self._check_cycles()
        self._check_order()

    def unknown(self, what: str, course_id: str) -> str:
        """The message for a course id that no course declares, with the closest one."""
        return f"unknown {what} '{course_id}': no course has this id{suggest(course_id, self.ids)}"

    def _check_order(self) -> None:
        """Warnings only: an order that is odd still serves every course."""
        placed = {cid: load.order for cid, load in self.owners.items() if load.order}
        first_with: dict[int, str] = {}
        for course_id, (rank, place) in placed.items():
            other = first_with.setdefault(rank, course_id)
            if other != course_id:
                self._warning(
                    self.owners[course_id], place, f"order {rank} is also course '{other}'s"
                )
            for prerequisite, _where in self.owners[course_id].prerequisites:
                before = placed.get(prerequisite)
                if before is not None and before[0] > rank:
                    self._warning(
                        self.owners[course_id],
                        place,
                        f"order {rank} puts this course before its prerequisite "
                        f"'{prerequisite}' (order {before[0]})",
                    )

    def _warning(self, load: CourseLoad, place: tuple[int, int | None], message: str) -> None:
        report = Report(load.course_file)
        report.warning(place, message)
        self.problems.extend(report.problems)

    def _error(self, load: CourseLoad, place: tuple[int, int | None] | None, message: str) -> None:
        report = Report(load.course_file)
        report.error(place or (1, None), message)
        self.problems.extend(report.problems)
        self.failed.add(load.folder)

    def _check_cycles(self) -> None:
        graph = {cid: [p for p, _ in load.prerequisites] for cid, load in self.owners.items()}
        for cycle in _cycles(graph):
            path = " -> ".join([*cycle, cycle[0]])
            for index, course_id in enumerate(cycle):
                load = self.owners[course_id]
                following = cycle[(index + 1) % len(cycle)]
                place = next(pl for p, pl in load.prerequisites if p == following)
                self._error(load, place, f"prerequisite cycle: {path}")


_ID_LINE = re.compile(r"""^id:[ \t]*(['"]?)([a-z0-9-]+)\1[ \t]*(?:#.*)?$""", re.MULTILINE)


def _guessed_id(load: CourseLoad) -> str:
    """The id on a plain ``id:`` line of a course.yaml YAML could not read, else its folder's."""
    try:
        found = _ID_LINE.search(load.course_file.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        found = None
    return found.group(2) if found else load.folder.name


def _recommended_order(courses: dict[str, Course]) -> dict[str, Course]:
    """``courses`` (in folder order) sorted by their ``order``; those without one last."""
    ranked = sorted(courses.values(), key=lambda c: (c.order is None, c.order or 0))
    return {course.id: course for course in ranked}


def _cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Each cycle once, found by depth-first search in a stable order."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for following in graph.get(node, []):
            if state.get(following) == 1:
                found.append(stack[stack.index(following) :])
            elif following in graph and following not in state:
                visit(following)
        stack.pop()
        state[node] = 2

    for node in graph:
        if node not in state:
            visit(node)
    return found


def _definitions(
    certificates: Iterable[CertificateLoad], cross: _CrossChecks, problems: list[Problem]
) -> dict[str, CertificateDefinition]:
    definitions: dict[str, CertificateDefinition] = {}
    owners: dict[str, Path] = {}
    for load in certificates:
        report = Report(load.path)
        if load.declared_id is not None:
            owner = owners.setdefault(load.declared_id, load.path)
            if owner != load.path:
                report.error(
                    load.id_place or (1, None),
                    f"certificate id '{load.declared_id}' is already used by {owner.name}",
                )
        for course_id, place in load.requires:
            if course_id not in cross.ids:
                report.error(place, cross.unknown("course", course_id))
        problems.extend(report.problems)
        if load.definition is not None and not report.has_errors:
            definitions[load.definition.id] = load.definition
    return definitions
