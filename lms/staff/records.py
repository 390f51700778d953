"""A learner's record as staff see it: profile, cohorts, lessons done, quiz scores.

The profile leaves out the password hash, and quiz attempts are read without their answers
(where reflections are): no page can show them by mistake.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from lms.accounts.models import Affiliation, FrqSector, ResearchRole, Role, User
from lms.content import Catalog, ItemKind, Localized
from lms.learning.models import Enrolment, ItemCompletion
from lms.quizzes import grading
from lms.quizzes.models import QuizAttempt
from lms.staff import invitations, services
from lms.staff.models import CohortMembership


@dataclass(frozen=True)
class Profile:
    """What staff may know of an account: no password, no secret."""

    id: int
    email: str
    certificate_name: str | None
    language: str | None
    role: Role
    created_at: datetime
    last_seen_at: datetime | None
    email_confirmed_at: datetime | None
    research_roles: frozenset[ResearchRole]
    affiliation: Affiliation | None
    affiliation_other: str | None
    frq_fellowship: bool | None
    frq_sector: FrqSector | None
    privacy_consent_at: datetime | None
    privacy_notice_version: str | None
    invitation_pending: bool

    @classmethod
    def of(cls, user: User) -> Profile:
        return cls(
            id=user.id,
            email=user.email,
            certificate_name=user.certificate_name,
            language=user.language,
            role=user.role,
            created_at=user.created_at,
            last_seen_at=user.last_seen_at,
            email_confirmed_at=user.email_confirmed_at,
            research_roles=user.roles_in_research,
            affiliation=user.affiliation,
            affiliation_other=user.affiliation_other,
            frq_fellowship=user.frq_fellowship,
            frq_sector=user.frq_sector,
            privacy_consent_at=user.privacy_consent_at,
            privacy_notice_version=user.privacy_notice_version,
            invitation_pending=invitations.is_pending(user),
        )


@dataclass(frozen=True)
class ItemLine:
    key: str
    kind: ItemKind
    title: Localized
    completed_at: datetime | None


@dataclass(frozen=True)
class CourseLine:
    course_id: str
    title: Localized
    started_at: datetime | None
    completed_at: datetime | None
    items: tuple[ItemLine, ...]
    """The outline as it is now; empty for a course no longer in the catalogue."""
    done: int
    total: int


@dataclass(frozen=True)
class AttemptLine:
    course_id: str
    course_title: Localized
    quiz_title: Localized
    number: int
    started_at: datetime
    submitted_at: datetime | None
    score: int | None
    max_score: int | None
    percent: int | None
    passed: bool | None


@dataclass(frozen=True)
class LearnerRecord:
    profile: Profile
    memberships: tuple[CohortMembership, ...]
    courses: tuple[CourseLine, ...]
    attempts: tuple[AttemptLine, ...]


def learner_record(session: Session, user: User, catalog: Catalog) -> LearnerRecord:
    """What staff see of ``user`` (certificates aside), in catalogue order; no quiz answers."""
    return LearnerRecord(
        profile=Profile.of(user),
        memberships=tuple(services.memberships_of(session, user)),
        courses=_courses(session, user, catalog),
        attempts=_attempts(session, user, catalog),
    )


def _courses(session: Session, user: User, catalog: Catalog) -> tuple[CourseLine, ...]:
    enrolments: dict[str, tuple[datetime | None, datetime | None]] = {
        course_id: (started_at, completed_at)
        for course_id, started_at, completed_at in session.execute(
            select(Enrolment.course_id, Enrolment.started_at, Enrolment.completed_at).where(
                Enrolment.user_id == user.id
            )
        )
    }
    completions: defaultdict[str, dict[str, datetime]] = defaultdict(dict)
    for course_id, item, done_at in session.execute(
        select(ItemCompletion.course_id, ItemCompletion.item, ItemCompletion.completed_at).where(
            ItemCompletion.user_id == user.id
        )
    ):
        completions[course_id][item] = done_at
    taken = set(enrolments) | set(completions)
    # Catalogue order first, then courses that have left the catalogue, by id.
    order = [c for c in catalog.courses if c in taken] + sorted(taken - set(catalog.courses))
    lines = []
    for course_id in order:
        started_at, completed_at = enrolments.get(course_id, (None, None))
        done = completions[course_id]
        course = catalog.course(course_id)
        if course is None:
            lines.append(
                CourseLine(
                    course_id, Localized.plain(course_id), started_at, completed_at, (), 0, 0
                )
            )
            continue
        items = tuple(
            ItemLine(item.key, item.kind, _item_title(catalog, course_id, item.stem, item.kind),
                     done.get(item.key))
            for item in course.items()
        )  # fmt: skip
        lines.append(
            CourseLine(
                course_id=course_id,
                title=course.title,
                started_at=started_at,
                completed_at=completed_at,
                items=items,
                done=sum(1 for i in items if i.completed_at is not None),
                total=len(items),
            )
        )
    return tuple(lines)


def _item_title(catalog: Catalog, course_id: str, stem: str, kind: ItemKind) -> Localized:
    course = catalog.course(course_id)
    if course is not None and kind is ItemKind.LESSON and stem in course.lessons:
        return course.lessons[stem].title
    if course is not None and kind is ItemKind.QUIZ and stem in course.quizzes:
        return course.quizzes[stem].title
    return Localized.plain(stem)


def _attempts(session: Session, user: User, catalog: Catalog) -> tuple[AttemptLine, ...]:
    # Not the questions nor the answers: reflections stay the learner's own.
    rows = session.execute(
        select(
            QuizAttempt.course_id,
            QuizAttempt.quiz,
            QuizAttempt.number,
            QuizAttempt.started_at,
            QuizAttempt.submitted_at,
            QuizAttempt.score,
            QuizAttempt.max_score,
            QuizAttempt.passed,
        )
        .where(QuizAttempt.user_id == user.id)
        .order_by(QuizAttempt.started_at.desc(), QuizAttempt.id.desc())
    )
    lines = []
    for course_id, quiz, number, started_at, submitted_at, score, max_score, passed in rows:
        course = catalog.course(course_id)
        submitted = submitted_at is not None
        lines.append(
            AttemptLine(
                course_id=course_id,
                course_title=course.title if course else Localized.plain(course_id),
                quiz_title=_item_title(catalog, course_id, quiz, ItemKind.QUIZ),
                number=number,
                started_at=started_at,
                submitted_at=submitted_at,
                score=score,
                max_score=max_score,
                percent=grading.percent(score or 0, max_score or 0) if submitted else None,
                passed=passed,
            )
        )
    return tuple(lines)
