"""What live sessions' pages show: a session as one reader may see it, in their language."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from lms.content import Catalog
from lms.live.models import RegistrationStatus
from lms.live.times import When, when

if TYPE_CHECKING:
    from lms.live.models import LiveSession, Registration
    from lms.live.queries import SessionSummary


class Phase(enum.StrEnum):
    OPEN = "open"
    FULL = "full"
    """No seat left: a request joins the waiting list."""
    STARTED = "started"
    """Under way: still open to join, no waiting list moves any more."""
    OVER = "over"
    CANCELLED = "cancelled"


@dataclass(frozen=True)
class Link:
    href_id: str
    """The course or program id."""
    title: str


@dataclass(frozen=True)
class SessionView:
    slug: str
    title: str
    description: tuple[str, ...]
    """Its paragraphs."""
    when: When
    language: str
    """``fr``, ``en`` or ``bilingual``: the language spoken."""
    place: str | None
    video_url: str | None
    """Shown to those who hold a seat only."""
    capacity: int
    seats_left: int
    waiting: int
    phase: Phase
    mine: RegistrationStatus | None
    """The reader's registration (None, or cancelled: none)."""
    position: int | None
    """Their place on the waiting list."""
    recording_url: str | None
    """Shown, after the session, to those who held a seat."""
    has_captions: bool
    course: Link | None
    program: Link | None
    tags: tuple[str, ...]

    @property
    def seated(self) -> bool:
        return self.mine is RegistrationStatus.REGISTERED


def phase_of(live: LiveSession, summary: SessionSummary, now: datetime) -> Phase:
    if live.cancelled_at is not None:
        return Phase.CANCELLED
    if now >= live.ends_at:
        return Phase.OVER
    if now >= live.starts_at:
        return Phase.STARTED
    return Phase.FULL if summary.seats_left == 0 else Phase.OPEN


def paragraphs(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip())


def session_view(
    summary: SessionSummary,
    registration: Registration | None,
    *,
    position: int | None,
    language: str,
    catalog: Catalog,
    now: datetime,
    staff: bool = False,
) -> SessionView:
    """``summary``'s session as a reader with ``registration`` sees it (``staff`` see the
    links registrants see)."""
    live = summary.live
    mine = registration.status if registration is not None else None
    if mine is RegistrationStatus.CANCELLED:
        mine = None
    insider = staff or mine is RegistrationStatus.REGISTERED
    course = catalog.course(live.course_id or "")
    program = catalog.certificates.get(live.certificate_id or "")
    return SessionView(
        slug=live.slug,
        title=live.title(language),
        description=paragraphs(live.description(language)),
        when=when(live.starts_at, live.ends_at, live.time_zone, language),
        language=live.language.value,
        place=live.place,
        video_url=live.video_url if insider else None,
        capacity=live.capacity,
        seats_left=summary.seats_left,
        waiting=summary.waiting,
        phase=phase_of(live, summary, now),
        mine=mine,
        position=position if mine is RegistrationStatus.WAITING else None,
        recording_url=live.recording_url if insider else None,
        has_captions=insider and live.recording_url is not None and _has_captions(live),
        course=Link(course.id, course.title.get(language)) if course is not None else None,
        program=Link(program.id, program.title.get(language)) if program is not None else None,
        tags=live.tag_names,
    )


def _has_captions(live: LiveSession) -> bool:
    return bool(live.captions_vtt)


class StepState(enum.StrEnum):
    """Where a learner stands toward one session of their program, as their dashboard says."""

    ATTENDED = "attended"
    REGISTERED = "registered"
    WAITING = "waiting"
    OPEN = "open"
    """To come, and they have not registered."""


@dataclass(frozen=True)
class SessionStep:
    slug: str
    title: str
    when: str
    state: StepState


@dataclass(frozen=True)
class ProgramSessions:
    """The live sessions a program's certificate requires, as steps of the learner's program."""

    required: int
    attended: int
    """Counted toward the requirement, at most ``required``."""
    steps: tuple[SessionStep, ...]
    """Those attended, then those to come, by start; past ones missed are left out."""


def program_sessions(
    sessions: list[LiveSession],
    attended: set[int],
    registrations: dict[int, Registration],
    *,
    required: int,
    language: str,
    now: datetime,
) -> ProgramSessions:
    """``sessions`` (those counting toward the requirement) as steps: ``attended`` ids,
    the learner's ``registrations`` by session id."""
    steps = []
    for live in sessions:
        registration = registrations.get(live.id)
        if live.id in attended:
            state = StepState.ATTENDED
        elif live.ends_at <= now:
            continue
        elif registration is not None and registration.status is RegistrationStatus.REGISTERED:
            state = StepState.REGISTERED
        elif registration is not None and registration.status is RegistrationStatus.WAITING:
            state = StepState.WAITING
        else:
            state = StepState.OPEN
        text = when(live.starts_at, live.ends_at, live.time_zone, language).text
        steps.append(SessionStep(live.slug, live.title(language), text, state))
    return ProgramSessions(required, min(required, len(attended)), tuple(steps))
