"""One course folder (``course.yaml``, lessons, quizzes) read on its own."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

from lms.content.coursefile import CourseHeader, read_header
from lms.content.files import Fingerprint, content_hash, fingerprint, read_text, walk_files
from lms.content.lessons import LessonText, read_lesson
from lms.content.markdown import LinkTargets, MarkdownRenderer
from lms.content.model import Course, ItemKind, Lesson, Localized, Objective, Quiz, Section
from lms.content.outline_files import (
    find_lesson_files,
    lesson_link_keys,
    read_outline,
    warn_unused_files,
)
from lms.content.problems import Problem
from lms.content.quizzes import read_quiz
from lms.content.sources import SOURCES_FILE, read_sources
from lms.content.yamlnodes import Place, Report, compose, suggest

COURSE_FILE = "course.yaml"
_QUIZ_FILE = re.compile(r"(?P<stem>[^/]+)\.quiz\.yaml")


@dataclass(frozen=True)
class CourseLoad:
    """What one folder gave: the course if its own files are valid, and their problems.

    The declared id and prerequisites (with their places) are kept even when the course
    is not valid, so that checks across courses still see them.
    """

    folder: Path
    fingerprint: Fingerprint
    course: Course | None
    problems: tuple[Problem, ...]
    course_file: Path
    declared_id: str | None = None
    id_place: Place | None = None
    prerequisites: tuple[tuple[str, Place], ...] = ()
    order: tuple[int, Place] | None = None


@dataclass(frozen=True)
class _RenderedLesson:
    text: LessonText | None
    problems: tuple[Problem, ...]
    assets: frozenset[str]
    cited: frozenset[str] = frozenset()


class LessonCache:
    """Rendered lesson files, reused while neither the file nor its course's files changed.

    A lesson's HTML depends on its own bytes and on which files exist beside it (links are
    checked against them), so both are part of the key: editing one lesson re-renders one.
    """

    def __init__(self) -> None:
        self._by_folder: dict[Path, dict[tuple[object, ...], _RenderedLesson]] = {}

    def entries(self, folder: Path) -> dict[tuple[object, ...], _RenderedLesson]:
        return self._by_folder.get(folder, {})

    def replace(self, folder: Path, entries: dict[tuple[object, ...], _RenderedLesson]) -> None:
        self._by_folder[folder] = entries


def load_course(folder: Path, cache: LessonCache | None = None) -> CourseLoad:
    """Read one course folder; ``cache`` keeps rendered lessons between reads of it."""
    files = walk_files(folder)
    course_file = folder / COURSE_FILE
    report = Report(course_file)
    text = read_text(course_file, report)
    node = compose(text, report) if text is not None else None
    header = read_header(node, report) if node is not None else None
    base = CourseLoad(folder, fingerprint(files, folder), None, (), course_file)
    if header is None:
        return _finish(base, [report], None)
    base = replace(
        base,
        declared_id=header.course_id,
        id_place=header.id_place,
        prerequisites=header.prerequisites,
        order=header.order,
    )
    lesson_files = find_lesson_files(folder, header.languages[0])
    quiz_files = {
        m["stem"]: folder / name
        for name in sorted(p.name for p in folder.glob("*.quiz.yaml"))
        if (m := _QUIZ_FILE.fullmatch(name))
    }
    sections = read_outline(header, lesson_files, quiz_files, report)
    warn_unused_files(header, lesson_files, quiz_files, report)
    if not sections:
        return _finish(base, [report], None)
    # Read even when the id, the title or some outline items have errors: the author then
    # sees the lessons' and quizzes' errors too, in the same run. No course comes of it.
    items = _ItemReader(
        base,
        header,
        (header.course_id or "", header.title or Localized.plain("")),
        sections,
        lesson_files,
        files,
        cache or LessonCache(),
    )
    return items.read(quiz_files, report)


class _ItemReader:
    """Reads the lessons and quizzes of the outline's valid items."""

    def __init__(
        self,
        base: CourseLoad,
        header: CourseHeader,
        identity: tuple[str, Localized],
        sections: tuple[Section, ...],
        lesson_files: dict[str, dict[str, Path]],
        files: list[Path],
        cache: LessonCache,
    ) -> None:
        self.base, self.header, self.sections, self.files = base, header, sections, files
        self.course_id, self.title = identity
        self.lesson_files = lesson_files
        link_keys = lesson_link_keys(header, lesson_files)
        self.sources_report = Report(base.folder / SOURCES_FILE)
        self.sources = read_sources(base.folder / SOURCES_FILE, self.sources_report)
        self.targets = LinkTargets(
            base.folder,
            header.languages,
            link_keys,
            sources={source_id: source for source_id, (source, _) in self.sources.items()},
        )
        self.renderer = MarkdownRenderer(self.targets)
        self.cache = cache
        self.cached = cache.entries(base.folder)
        self.rendered: dict[tuple[object, ...], _RenderedLesson] = {}
        self.stats = {name: (mtime, size) for name, mtime, size in base.fingerprint}
        self.context = (tuple(self.stats), tuple(sorted(link_keys.items())))
        self._objective_lines: dict[str, tuple[Report, dict[str, int]]] = {}

    def read(self, quiz_files: dict[str, Path], report: Report) -> CourseLoad:
        reports = [report, self.sources_report]
        lessons: dict[str, Lesson] = {}
        quizzes: dict[str, Quiz] = {}
        waiting: list[tuple[str, Report]] = []
        for item in (item for section in self.sections for item in section.items):
            if item.kind is ItemKind.LESSON:
                lesson = self._lesson(item.stem, reports)
                if lesson is not None:
                    lessons[item.stem] = lesson
            else:
                # Read once every lesson is, so that its questions' objectives can be checked;
                # its report keeps its place in the outline's order.
                waiting.append((item.stem, Report(quiz_files[item.stem])))
                reports.append(waiting[-1][1])
        objectives = {o.id for lesson in lessons.values() for o in lesson.objectives}
        for stem, quiz_report in waiting:
            quiz = read_quiz(
                quiz_files[stem],
                stem,
                self.header.languages,
                self.renderer,
                quiz_report,
                objectives=objectives,
            )
            if quiz is not None:
                quizzes[stem] = quiz
        if len(quizzes) == len(waiting):  # a quiz that could not be read checks nothing yet
            self._warn_unchecked(lessons, quizzes)
        self._check_resources(report)
        for source_id, (_source, place) in self.sources.items():
            if source_id not in self.targets.cited:
                self.sources_report.warning(place, f"source '{source_id}' is cited by no lesson")
        self.cache.replace(self.base.folder, self.rendered)
        if any(r.has_errors for r in reports):
            return _finish(self.base, reports, None)
        return _finish(self.base, reports, self._course(lessons, quizzes))

    def _course(self, lessons: dict[str, Lesson], quizzes: dict[str, Quiz]) -> Course:
        header, folder = self.header, self.base.folder
        minutes = header.estimated_minutes
        if minutes is None:
            minutes = sum(lesson.minutes or 0 for lesson in lessons.values())
        return Course(
            id=self.course_id,
            title=self.title,
            short_title=header.short_title or self.title,
            summary=header.summary,
            languages=header.languages,
            estimated_minutes=minutes,
            prerequisites=tuple(p for p, _ in header.prerequisites),
            sections=self.sections,
            lessons=MappingProxyType(lessons),
            quizzes=MappingProxyType(quizzes),
            assets=frozenset(self.targets.used_assets),
            folder=folder,
            version=content_hash(self.files, folder),
            order=header.order[0] if header.order is not None else None,
            reviewed=header.reviewed,
            resources=tuple(resource for resource, _place in header.resources),
        )

    def _lesson(self, stem: str, reports: list[Report]) -> Lesson | None:
        languages = self.header.languages
        texts: dict[str, LessonText] = {}
        by_language: dict[str, Report] = {}
        for language in languages:
            rendered = self._render(self.lesson_files[stem][language], language)
            report = by_language[language] = Report(self.lesson_files[stem][language])
            report.problems.extend(rendered.problems)
            reports.append(report)
            self.targets.used_assets.update(rendered.assets)
            self.targets.cited.update(rendered.cited)
            if rendered.text is not None:
                texts[language] = rendered.text
        if len(texts) < len(languages):
            return None
        self._objective_lines[stem] = (
            by_language[languages[0]],
            {o.id: o.line for o in texts[languages[0]].objectives},
        )
        return Lesson(
            stem=stem,
            title=Localized.of({lang: t.title for lang, t in texts.items()}),
            minutes=texts[languages[0]].minutes,
            html=Localized.of({lang: t.html for lang, t in texts.items()}),
            objectives=_objectives(texts, languages, by_language),
        )

    def _check_resources(self, report: Report) -> None:
        """Each resource's file must be in the course folder, and its lesson in the outline;
        the files are then served like the lessons' images."""
        names = {path.relative_to(self.base.folder).as_posix() for path in self.files}
        lessons = {
            item.stem for s in self.sections for item in s.items if item.kind is ItemKind.LESSON
        }
        for resource, place in self.header.resources:
            if resource.file not in names:
                report.error(
                    place,
                    f"resource file '{resource.file}' is not in the course folder"
                    + suggest(resource.file, names),
                )
            else:
                self.targets.used_assets.add(resource.file)
            if resource.lesson is not None and resource.lesson not in lessons:
                report.error(
                    place,
                    f"resource '{resource.file}': lesson '{resource.lesson}' is not in the "
                    "outline" + suggest(resource.lesson, lessons),
                )

    def _warn_unchecked(self, lessons: dict[str, Lesson], quizzes: dict[str, Quiz]) -> None:
        """A lesson objective that no question checks: a warning, on its line."""
        checked = {q.objective for quiz in quizzes.values() for q in quiz.questions}
        for stem, lesson in lessons.items():
            report, lines = self._objective_lines[stem]
            for objective in lesson.objectives:
                if objective.id not in checked:
                    report.warning(
                        (lines[objective.id], 3),
                        f"objective '{objective.id}' is checked by no quiz question",
                    )

    def _render(self, path: Path, language: str) -> _RenderedLesson:
        name = path.relative_to(self.base.folder).as_posix()
        key = (name, language, self.stats.get(name), self.context)
        rendered = self.cached.get(key)
        if rendered is None:
            report = Report(path)
            assets_before, self.targets.used_assets = self.targets.used_assets, set()
            cited_before, self.targets.cited = self.targets.cited, set()
            text = read_lesson(path, language, self.renderer, report)
            rendered = _RenderedLesson(
                text,
                tuple(report.problems),
                frozenset(self.targets.used_assets),
                frozenset(self.targets.cited),
            )
            self.targets.used_assets, self.targets.cited = assets_before, cited_before
        self.rendered[key] = rendered
        return rendered


def _objectives(
    texts: Mapping[str, LessonText], languages: Sequence[str], reports: Mapping[str, Report]
) -> tuple[Objective, ...]:
    """The lesson's objectives, in its first language's order, each with its text in every
    language; one missing from a language's file is reported there."""
    found = []
    for objective in texts[languages[0]].objectives:
        text = {languages[0]: objective.text}
        for language in languages[1:]:
            match = next((o for o in texts[language].objectives if o.id == objective.id), None)
            if match is None:
                reports[language].error(
                    (2, None), f"objective '{objective.id}' is missing from this file"
                )
            else:
                text[language] = match.text
        if len(text) == len(languages):
            found.append(Objective(objective.id, Localized.of(text)))
    return tuple(found)


def _finish(base: CourseLoad, reports: list[Report], course: Course | None) -> CourseLoad:
    problems = tuple(p for r in reports for p in r.problems)
    return replace(base, course=course, problems=problems)
