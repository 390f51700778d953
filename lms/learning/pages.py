"""What learning's pages show: course content in one language, with the learner's progress."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from lms.content import Catalog, Course, ItemKind, OutlineItem
from lms.learning.progress import CourseProgress, ItemState, adjacent_items


@dataclass(frozen=True)
class CourseLink:
    """Another course named on a page (a prerequisite), in the language it is shown in."""

    course_id: str
    title: str
    language: str


@dataclass(frozen=True)
class ResourceFile:
    format: str
    path: str
    """Its path in the course folder: ``learning.asset`` serves it."""


@dataclass(frozen=True)
class ResourceLink:
    """A resource to take away, as a page offers it: one title in one language, with each
    format it comes in (the ODT to edit and the PDF to print, on one line)."""

    title: str
    language: str
    files: tuple[ResourceFile, ...]


def resource_links(
    course: Course, language: str, lesson: str | None = None
) -> tuple[ResourceLink, ...]:
    """The course's resources (those of ``lesson`` only, if given), each titled in its own
    language, those in ``language`` first, in the order the course lists them."""
    offers: dict[tuple[str, str], list[ResourceFile]] = {}
    for resource in course.resources:
        if lesson is None or resource.lesson == lesson:
            key = (resource.title.get(resource.language), resource.language)
            offers.setdefault(key, []).append(ResourceFile(resource.format, resource.file))
    links = [ResourceLink(title, lang, tuple(files)) for (title, lang), files in offers.items()]
    return tuple(sorted(links, key=lambda link: link.language != language))


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
    prerequisites: tuple[CourseLink, ...] = ()
    progress: CourseProgress | None = None
    """The signed-in learner's progress; None for a visitor."""
    reviewed: date | None = None
    """When the course's content was last reviewed, if its file says."""
    resources: tuple[ResourceLink, ...] = ()


@dataclass(frozen=True)
class ItemEntry:
    """One outline item (lesson or quiz) as a page lists it."""

    key: str
    kind: ItemKind
    title: str
    minutes: int | None
    state: ItemState | None
    """None for a visitor, who has no progress."""


@dataclass(frozen=True)
class SectionEntry:
    title: str
    items: tuple[ItemEntry, ...]


@dataclass(frozen=True)
class LessonPage:
    key: str
    title: str
    minutes: int | None
    html: str
    """Rendered and sanitised when the course was loaded: safe to insert as it is."""
    language: str
    """The content's language: the one asked for if the course offers it, else its default."""
    previous: ItemEntry | None
    next: ItemEntry | None
    state: ItemState
    objectives: tuple[str, ...] = ()
    """What the lesson means the learner to be able to do, in ``language``."""
    resources: tuple[ResourceLink, ...] = ()


@dataclass(frozen=True)
class DashboardEntry:
    course: CatalogEntry
    started_at: datetime
    completed_at: datetime | None


@dataclass(frozen=True)
class Dashboard:
    """A learner's courses: those begun and not completed, and those completed."""

    in_progress: tuple[DashboardEntry, ...]
    completed: tuple[DashboardEntry, ...]


def catalog_entry(
    catalog: Catalog, course: Course, language: str, progress: CourseProgress | None = None
) -> CatalogEntry:
    """``course`` in ``language`` where offered, with its prerequisites named."""
    shown = course.language_for(language)
    return CatalogEntry(
        course_id=course.id,
        title=course.title.get(shown, course.default_language),
        summary=course.summary.get(shown, course.default_language),
        language=shown,
        estimated_minutes=course.estimated_minutes,
        languages=course.languages,
        prerequisites=tuple(_course_link(catalog, p, language) for p in course.prerequisites),
        progress=progress,
        reviewed=course.reviewed,
        resources=resource_links(course, language),
    )


def catalog_entries(
    catalog: Catalog, language: str, progress: Mapping[str, CourseProgress] | None = None
) -> tuple[CatalogEntry, ...]:
    """Every course of ``catalog``, in catalogue order, with the learner's ``progress`` if any."""
    return tuple(
        catalog_entry(catalog, course, language, (progress or {}).get(course.id))
        for course in catalog.courses.values()
    )


@dataclass(frozen=True)
class ProgramOffer:
    """A certificate that several courses lead to (a program's), as the home page offers it."""

    title: str
    courses: tuple[CourseLink, ...]


def program_offers(catalog: Catalog, language: str) -> tuple[ProgramOffer, ...]:
    """The certificates of ``catalog`` that require several courses, in ``language``."""
    return tuple(
        ProgramOffer(
            definition.title.get(language),
            tuple(_course_link(catalog, course_id, language) for course_id in definition.requires),
        )
        for definition in catalog.certificates.values()
        if len(definition.requires) > 1
    )


def outline(
    course: Course, language: str, progress: CourseProgress | None = None
) -> tuple[SectionEntry, ...]:
    """The sections of ``course`` with their items' titles and, for a learner, states."""
    shown = course.language_for(language)
    return tuple(
        SectionEntry(
            title=section.title.get(shown, course.default_language),
            items=tuple(_item_entry(course, item, shown, progress) for item in section.items),
        )
        for section in course.sections
    )


def lesson_page(course: Course, key: str, language: str, progress: CourseProgress) -> LessonPage:
    """The lesson ``key`` of ``course`` (a lesson of its outline) in ``language`` where offered."""
    item = course.item(key)
    if item is None or item.kind is not ItemKind.LESSON:
        raise KeyError(key)
    shown = course.language_for(language)
    lesson = course.lessons[item.stem]
    before, after = adjacent_items(course, key)
    return LessonPage(
        key=key,
        title=lesson.title.get(shown, course.default_language),
        minutes=lesson.minutes,
        html=lesson.html.get(shown, course.default_language),
        language=shown,
        previous=_item_entry(course, before, shown, progress) if before else None,
        next=_item_entry(course, after, shown, progress) if after else None,
        state=progress.state_of(key) or ItemState.OPEN,
        objectives=tuple(o.text.get(shown, course.default_language) for o in lesson.objectives),
        resources=resource_links(course, language, item.stem),
    )


def _item_entry(
    course: Course, item: OutlineItem, language: str, progress: CourseProgress | None
) -> ItemEntry:
    state = progress.state_of(item.key) if progress is not None else None
    if item.kind is ItemKind.LESSON:
        lesson = course.lessons[item.stem]
        title, minutes = lesson.title.get(language, course.default_language), lesson.minutes
    else:
        title, minutes = (
            course.quizzes[item.stem].title.get(language, course.default_language),
            None,
        )
    return ItemEntry(item.key, item.kind, title, minutes, state)


def _course_link(catalog: Catalog, course_id: str, language: str) -> CourseLink:
    course = catalog.course(course_id)
    if course is None:
        # Left out of the catalogue for errors in its files: still name what to complete.
        return CourseLink(course_id, course_id, language)
    shown = course.language_for(language)
    return CourseLink(course_id, course.title.get(shown, course.default_language), shown)
