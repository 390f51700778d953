"""What cohorts' pages show beyond their records: the roster import page's help, and a
member's program on their dashboard. Pure: no Flask, no database."""

from __future__ import annotations

import enum
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from lms.cohorts.roster import Column
from lms.content import Catalog
from lms.learning.pages import CourseLink, catalog_entry
from lms.learning.progress import CourseProgress
from lms.live.pages import ProgramSessions

if TYPE_CHECKING:
    from lms.cohorts.models import CohortMembership

ROSTER_COLUMN_LABELS = {
    Column.EMAIL: ("email", "courriel"),
    Column.FIRST_NAME: ("first name", "prénom"),
    Column.LAST_NAME: ("last name", "nom"),
    Column.SECTOR: ("sector", "secteur"),
    Column.FELLOWSHIP_NUMBER: ("fellowship number", "numéro de bourse"),
    Column.NOTES: ("notes", "remarques"),
}
"""Header names to show in the import page's help, in English and French."""


class CourseStanding(enum.StrEnum):
    """Where a member stands in one course their program requires, as their dashboard says."""

    COMPLETED = "completed"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"
    LOCKED = "locked"
    """Its prerequisites are not completed yet."""
    OUT_OF_ATTEMPTS = "out_of_attempts"
    """A quiz of it is failed as often as allowed: only staff can let them on."""


@dataclass(frozen=True)
class RequiredCourse:
    link: CourseLink
    standing: CourseStanding
    percent: int


@dataclass(frozen=True)
class Program:
    """A cohort a learner belongs to, as their dashboard shows it: the certificate it leads
    to, its due date, and each course that certificate requires."""

    cohort: str
    certificate: str | None
    """The title of the certificate the cohort works towards, if it names one."""
    due_date: date | None
    courses: tuple[RequiredCourse, ...]
    sessions: ProgramSessions | None = None
    """The live sessions the certificate requires (``requires_sessions``), as steps."""

    @property
    def completed(self) -> int:
        return sum(1 for c in self.courses if c.standing is CourseStanding.COMPLETED)

    @property
    def next_course(self) -> RequiredCourse | None:
        """The first required course still to do that the member can work on now."""
        return next(
            (
                c
                for c in self.courses
                if c.standing in (CourseStanding.IN_PROGRESS, CourseStanding.NOT_STARTED)
            ),
            None,
        )


def program(
    membership: CohortMembership,
    catalog: Catalog,
    language: str,
    completed: Collection[str],
    progress: Mapping[str, CourseProgress],
    sessions: ProgramSessions | None = None,
) -> Program:
    """``membership``'s cohort in ``language``, with the member's standing in each course its
    certificate requires (``completed`` course ids; ``progress`` by course id), and toward
    the live sessions it requires (``sessions``)."""
    cohort = membership.cohort
    definition = catalog.certificates.get(cohort.certificate_id or "")
    courses = []
    for course_id in definition.requires if definition is not None else ():
        course = catalog.course(course_id)
        if course is None:
            continue  # left out of the catalogue for errors: nothing to link to
        entry = catalog_entry(catalog, course, language)
        found = progress.get(course_id)
        courses.append(
            RequiredCourse(
                CourseLink(entry.course_id, entry.title, entry.language),
                _standing(course_id in completed, found),
                found.percent if found is not None else 0,
            )
        )
    certificate = definition.title.get(language) if definition is not None else None
    due_date = membership.due_date or cohort.due_date  # an extension stands for the cohort's
    return Program(cohort.name, certificate, due_date, tuple(courses), sessions)


def _standing(completed: bool, progress: CourseProgress | None) -> CourseStanding:
    if completed:
        return CourseStanding.COMPLETED
    if progress is None:
        return CourseStanding.NOT_STARTED
    if progress.locked:
        return CourseStanding.LOCKED
    if progress.out_of_attempts and progress.next_item is None:
        return CourseStanding.OUT_OF_ATTEMPTS
    return CourseStanding.IN_PROGRESS if progress.started else CourseStanding.NOT_STARTED
