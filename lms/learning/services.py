"""Learning rules: what the catalogue shows, in which language."""

from __future__ import annotations

from dataclasses import dataclass

from lms.content import Catalog


@dataclass(frozen=True)
class CatalogEntry:
    """One course as the catalogue lists it, in one language."""

    course_id: str
    title: str
    summary: str
    language: str
    """The language of ``title`` and ``summary``: the one asked for, if the course has it."""
    estimated_minutes: int
    languages: tuple[str, ...]


def catalog_entries(catalog: Catalog, language: str) -> tuple[CatalogEntry, ...]:
    """Every course of ``catalog``, in catalogue order, in ``language`` where offered."""
    entries = []
    for course in catalog.courses.values():
        shown = course.language_for(language)
        entries.append(
            CatalogEntry(
                course_id=course.id,
                title=course.title.get(shown, course.default_language),
                summary=course.summary.get(shown, course.default_language),
                language=shown,
                estimated_minutes=course.estimated_minutes,
                languages=course.languages,
            )
        )
    return tuple(entries)
