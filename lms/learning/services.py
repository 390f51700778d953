"""Learning rules: enrolments, opening and completing outline items, progress, prerequisites."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.accounts import queries as accounts
from lms.content import Catalog, Course, ItemKind, OutlineItem
from lms.db import insert_for, rows_changed, utcnow
from lms.errors import DomainError
from lms.learning import pages, progress, queries, signals
from lms.learning.models import Enrolment, ItemCompletion
from lms.learning.progress import CourseProgress

if TYPE_CHECKING:
    from lms.accounts.models import User


class CourseNotFound(DomainError):
    status_code = 404
    message = lazy_gettext(
        "There is no course at this address. Start again from the list of courses."
    )


class ItemNotFound(DomainError):
    status_code = 404
    message = lazy_gettext(
        "This course has no lesson at this address. Start again from the course’s outline."
    )


class AssetNotFound(DomainError):
    status_code = 404
    message = lazy_gettext("There is no file at this address.")


class CourseLocked(DomainError):
    """The course has prerequisites the learner has not completed; its items stay closed."""

    status_code = 403
    message = lazy_gettext("This course opens once its prerequisite courses are complete.")

    def __init__(self, course: Course, missing: tuple[str, ...]) -> None:
        super().__init__(course.id, missing)
        self.course = course
        self.missing = missing
        """Ids of the prerequisite courses still to complete."""


def find_course(catalog: Catalog, course_id: str) -> Course:
    """The course ``course_id`` of ``catalog``; raise ``CourseNotFound`` if there is none."""
    course = catalog.course(course_id)
    if course is None:
        raise CourseNotFound
    return course


def find_item(course: Course, item_key: str, kind: ItemKind | None = None) -> OutlineItem:
    """The outline item ``item_key`` (of ``kind``, if given); raise ``ItemNotFound`` otherwise."""
    item = course.item(item_key)
    if item is None or (kind is not None and item.kind is not kind):
        raise ItemNotFound
    return item


def require_asset(course: Course, path: str) -> str:
    """``path`` if a lesson of ``course`` links to that file; raise ``AssetNotFound`` otherwise.

    Only listed files are served: course.yaml, quiz files (which hold the answers) and
    authors' other files in the folder stay private, and ``..`` can never match.
    """
    if path not in course.assets:
        raise AssetNotFound
    return path


def completed_prerequisites(session: Session, user: User, course: Course) -> frozenset[str]:
    """The prerequisites of ``course`` that ``user`` completed; no query when it has none."""
    if not course.prerequisites:
        return frozenset()
    return queries.completed_courses(session, user, course.prerequisites)


def require_open(
    session: Session, user: User, course: Course, completed: frozenset[str] | None = None
) -> None:
    """Raise ``CourseLocked`` if ``user`` has not completed every prerequisite of ``course``.

    ``completed`` is ``completed_prerequisites`` when the caller read it already.
    """
    if completed is None:
        completed = completed_prerequisites(session, user, course)
    missing = progress.missing_prerequisites(course, completed)
    if missing:
        raise CourseLocked(course, missing)


def ensure_enrolment(session: Session, user: User, course: Course) -> Enrolment:
    """``user``'s enrolment in ``course``, added if this is their first step in it."""
    enrolment = queries.find_enrolment(session, user, course.id)
    if enrolment is not None:
        return enrolment
    enrolment = Enrolment(user_id=user.id, course_id=course.id)
    try:
        # The unique (user, course) settles two first steps at once (two tabs, two devices);
        # the savepoint keeps the caller's transaction usable when the other one won.
        with session.begin_nested():
            session.add(enrolment)
    except IntegrityError:
        return session.scalars(
            select(Enrolment).where(Enrolment.user_id == user.id, Enrolment.course_id == course.id)
        ).one()
    return enrolment


def open_item(session: Session, user: User, course: Course, item_key: str) -> OutlineItem:
    """Let ``user`` open an outline item (lesson or quiz) and remember it as their place.

    Raises ``ItemNotFound`` for a key not in the outline and ``CourseLocked`` while a
    prerequisite is missing. The place is kept in the database, so it follows the learner
    from one device to another.
    """
    item = find_item(course, item_key)
    require_open(session, user, course)
    _remember_place(ensure_enrolment(session, user, course), item.key)
    return item


def _remember_place(enrolment: Enrolment, item_key: str) -> None:
    # Assigning the same value still marks the row dirty, and a flush of a dirty row costs
    # as much as the rest of a lesson view's queries: only a change is assigned.
    if enrolment.last_item != item_key:
        enrolment.last_item = item_key


def open_lesson(session: Session, user: User, course: Course, item_key: str) -> CourseProgress:
    """``open_item`` for a lesson (``ItemNotFound`` for a quiz's key too); return where
    ``user`` stands in the course, which the lesson's page shows.

    The page a learner reads most: the enrolment and the prerequisites are read once for
    both, and the lesson's place is written only when it changes.
    """
    item = find_item(course, item_key, ItemKind.LESSON)
    completed_courses = completed_prerequisites(session, user, course)
    require_open(session, user, course, completed_courses)
    enrolment, completed = queries.enrolment_and_completions(session, user, course.id)
    if enrolment is None:
        enrolment = ensure_enrolment(session, user, course)
    _remember_place(enrolment, item.key)
    return progress.course_progress(
        course,
        completed,
        completed_courses=completed_courses,
        last_item=item.key,
        out_of_attempts=out_of_attempts(session, user, [course]).get(course.id, ()),
    )


def record_item_completed(session: Session, user: User, course: Course, item_key: str) -> bool:
    """Record a lesson completed or a quiz passed; True if this made the course complete.

    Idempotent: the unique (user, course, item) keeps the first record, its date and content
    version, and a second call changes nothing. When every outline item is done, the
    enrolment's completion date and version are set, once: later calls, even after the
    author adds items and the learner does them, leave them as they are; the call that sets
    them sends ``signals.course_completed``. Raises ``ItemNotFound`` and ``CourseLocked`` as
    ``open_item`` does.
    """
    item = find_item(course, item_key)
    require_open(session, user, course)
    enrolment = ensure_enrolment(session, user, course)
    # One of the learner's completions at a time: two last steps at once (a quiz passed and
    # a lesson marked, two courses of a program) would each read the other's as not done,
    # and neither would complete the course or issue the certificate. The second waits here
    # until the first commits, then reads its item and its course as done.
    accounts.lock_user(session, user.id)
    done = queries.completed_items(session, user.id, course.id)
    if item.key not in done:
        # Recorded by a concurrent request meanwhile, the first record stands.
        session.execute(
            insert_for(session, ItemCompletion)
            .values(
                user_id=user.id,
                course_id=course.id,
                item=item.key,
                content_version=course.version,
            )
            .on_conflict_do_nothing()
        )
        done = done | {item.key}
    # Checked even when the item was already done, so that a retry repairs a completion
    # lost before completions waited for each other.
    return _complete_if_every_item_done(session, user, course, enrolment, done)


def complete_if_every_item_done(session: Session, user: User, course: Course) -> bool:
    """Complete ``user``'s enrolment in ``course`` if every outline item is done and its
    completion is not recorded yet, as their last step would have; True if this completed it.

    The safety net of ``lms certificates issue-due``, for completions lost before
    ``record_item_completed`` serialised them: ``signals.course_completed`` is sent, so
    certificates follow.
    """
    enrolment = queries.find_enrolment(session, user, course.id)
    if enrolment is None:
        return False
    accounts.lock_user(session, user.id)
    done = queries.completed_items(session, user.id, course.id)
    return _complete_if_every_item_done(session, user, course, enrolment, done)


def _complete_if_every_item_done(
    session: Session, user: User, course: Course, enrolment: Enrolment, done: Collection[str]
) -> bool:
    if not all(outline_item.key in done for outline_item in course.items()):
        return False
    completed = _mark_course_completed(session, enrolment, course)
    if completed:
        # Certificates are issued by a receiver, in this transaction: learning cannot import
        # them. The receiver is lms.certificates.issuing._on_course_completed (every receiver
        # is listed beside the signal, in lms/learning/signals.py).
        signals.course_completed.send(session, user=user, course=course)
    return completed


def complete_lesson(session: Session, user: User, course: Course, item_key: str) -> bool:
    """The learner's "mark as complete" on a lesson; True if the course just became complete.

    Only lessons: a quiz is completed by passing it, never by asking.
    """
    item = find_item(course, item_key, ItemKind.LESSON)
    return record_item_completed(session, user, course, item.key)


def course_progress(session: Session, user: User, course: Course) -> CourseProgress:
    """Where ``user`` stands in ``course``: item states, percent, where to continue, lock."""
    return course_standing(session, user, course)[0]


def course_standing(
    session: Session, user: User, course: Course
) -> tuple[CourseProgress, datetime | None]:
    """``course_progress``, and when ``user`` completed the course (None if not yet)."""
    enrolment, completed = queries.enrolment_and_completions(session, user, course.id)
    learner_progress = progress.course_progress(
        course,
        completed,
        completed_courses=completed_prerequisites(session, user, course),
        last_item=enrolment.last_item if enrolment is not None else None,
        out_of_attempts=out_of_attempts(session, user, [course]).get(course.id, ()),
    )
    return learner_progress, enrolment.completed_at if enrolment is not None else None


def reset_progress(session: Session, user: User, course_ids: tuple[str, ...]) -> None:
    """Forget ``user``'s progress in these courses, as if never done (renewing a certificate
    means taking them again); the enrolments stay, without completion or place."""
    session.execute(
        delete(ItemCompletion).where(
            ItemCompletion.user_id == user.id, ItemCompletion.course_id.in_(course_ids)
        )
    )
    session.execute(
        update(Enrolment)
        .where(Enrolment.user_id == user.id, Enrolment.course_id.in_(course_ids))
        .values(completed_at=None, completed_version=None, last_item=None)
        .execution_options(synchronize_session="fetch")
    )


def progress_by_course(session: Session, user: User, catalog: Catalog) -> dict[str, CourseProgress]:
    """``user``'s progress in every course of ``catalog``, by course id."""
    return _progress_by_course(session, user, catalog, queries.enrolments_by_course(session, user))


def dashboard(session: Session, user: User, catalog: Catalog, language: str) -> pages.Dashboard:
    """The courses ``user`` began, in catalogue order: those in progress and those completed.

    A course counts as completed once its completion is recorded, even if its author has
    since added items; courses no longer in the catalogue are left out (their records stay).
    """
    enrolments = queries.enrolments_by_course(session, user)
    progress_map = _progress_by_course(session, user, catalog, enrolments)
    in_progress: list[pages.DashboardEntry] = []
    completed: list[pages.DashboardEntry] = []
    for course in catalog.courses.values():
        enrolment = enrolments.get(course.id)
        if enrolment is None:
            continue
        entry = pages.DashboardEntry(
            course=pages.catalog_entry(catalog, course, language, progress_map[course.id]),
            started_at=enrolment.started_at,
            completed_at=enrolment.completed_at,
        )
        (in_progress if enrolment.completed_at is None else completed).append(entry)
    return pages.Dashboard(tuple(in_progress), tuple(completed))


def _progress_by_course(
    session: Session, user: User, catalog: Catalog, enrolments: Mapping[str, Enrolment]
) -> dict[str, CourseProgress]:
    # Two queries for the whole catalogue, not two per course.
    completed = queries.completed_items_by_course(session, user)
    completed_courses = frozenset(
        course_id for course_id, e in enrolments.items() if e.completed_at is not None
    )
    closed = out_of_attempts(
        session, user, [c for c in catalog.courses.values() if c.id in enrolments]
    )
    return {
        course.id: progress.course_progress(
            course,
            completed.get(course.id, set()),
            completed_courses=completed_courses,
            last_item=enrolments[course.id].last_item if course.id in enrolments else None,
            out_of_attempts=closed.get(course.id, ()),
        )
        for course in catalog.courses.values()
    }


def out_of_attempts(
    session: Session, user: User, courses: Collection[Course]
) -> dict[str, frozenset[str]]:
    """By course id, the quizzes of ``courses`` that ``user`` may no longer attempt, as the
    quizzes feature answers ``signals.quizzes_out_of_attempts``; no question if no course."""
    if not courses:
        return {}
    found: dict[str, frozenset[str]] = {}
    for _receiver, answer in signals.quizzes_out_of_attempts.send(
        session, user=user, courses=courses
    ):
        for course_id, keys in answer.items():
            found[course_id] = found.get(course_id, frozenset()) | frozenset(keys)
    return found


def _mark_course_completed(session: Session, enrolment: Enrolment, course: Course) -> bool:
    """Set the completion date and version unless set already; True if this call set them."""
    # A conditional UPDATE, not a read then a write: of two requests completing the course
    # at once, exactly one sees its row change, so the date is recorded once.
    completed = (
        update(Enrolment)
        .where(Enrolment.id == enrolment.id, Enrolment.completed_at.is_(None))
        .values(completed_at=utcnow(), completed_version=course.version)
    )
    return rows_changed(session, completed) == 1
