"""The audit trail in words: who did what to whom, with names where rows hold ids.

Events keep ids (``user:6``, ``cohort:1``) because names change and accounts go; the page
names them as they are now, in one query per kind of id, whatever the page's length.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from lms.accounts import queries as accounts
from lms.accounts.categories import Role
from lms.admin.pages import ACTION_LABELS, ROLE_LABELS
from lms.audit.actions import AuditAction
from lms.cohorts import queries as cohorts
from lms.cohorts.exports import Table
from lms.content import Catalog, ItemKind
from lms.i18n import current_language
from lms.live import queries as live

if TYPE_CHECKING:
    from lms.accounts.models import User
    from lms.audit.models import AuditEvent

DETAIL_LABELS = {
    "user": _l("Learner"),
    "email": _l("Email"),
    "reason": _l("Reason"),
    "replacement": _l("Replacement certificate"),
    "extra": _l("Attempts added"),
    "previous": _l("Previous role"),
    "role": _l("New role"),
    "resent": _l("Sent again"),
    "name": _l("Name"),
    "certificate": _l("Certificate"),
    "due_date": _l("Due date"),
    "added": _l("Members added"),
    "updated": _l("Members updated"),
    "linked": _l("Members linked to an account"),
    "invited": _l("Invitations sent"),
    "recipients": _l("Recipients"),
    "format": _l("Format"),
    "filters": _l("Filters"),
    "rows": _l("Rows"),
    "years": _l("Years without activity"),
    "deleted": _l("Accounts deleted"),
    "skipped": _l("Accounts kept"),
    "steps": _l("Steps forgotten"),
    "step": _l("Step"),
    "previous_name": _l("Previous name"),
    "previous_certificate": _l("Previous certificate"),
    "previous_due_date": _l("Previous due date"),
    "slug": _l("Session id"),
    "starts_at": _l("Starts at"),
    "capacity": _l("Seats"),
    "present": _l("Present"),
    "absent": _l("Absent"),
    "unknown": _l("Addresses without an account"),
    "platform": _l("Platform"),
    "filename": _l("File"),
    "minimum_minutes": _l("Minutes to count as present"),
    "recording_url": _l("Recording link"),
    "captions": _l("Captions"),
    "thread": _l("Discussion"),
    "title": _l("Title"),
    "author": _l("Author"),
    "reports": _l("Reports"),
    "name_fr": _l("Name in French"),
    "previous_name_fr": _l("Previous name in French"),
    "description": _l("Description"),
    "previous_description": _l("Previous description"),
    "description_fr": _l("Description in French"),
    "previous_description_fr": _l("Previous description in French"),
    "audience": _l("Open to"),
    "previous_audience": _l("Previously open to"),
    "cohorts": _l("Cohorts"),
    "previous_cohorts": _l("Previous cohorts"),
    "moderators": _l("Moderators"),
    "previous_moderators": _l("Previous moderators"),
}
FILTER_LABELS = {
    "actor": _l("done by"),
    "person": _l("about the person"),
    "action": _l("action"),
    "start": _l("from"),
    "end": _l("to"),
    "status": _l("status"),
    "sector": _l("FRQ sector"),
    "q": _l("search"),
    "sort": _l("sorted by"),
    "dir": _l("order"),
}
PERSON_DETAILS = ("user", "author")
"""Details that name an account by its id: shown by its name."""
HIDDEN_DETAILS = frozenset({"via", "user_ids"})
"""``via`` shows as the actor; ``user_ids`` are the deleted accounts ``deleted`` counts."""


COMMUNITY_TARGETS = (
    ("community", _l("Community %(id)s"), "communities.community", "community_id"),
    ("thread", _l("Discussion %(id)s"), "communities.thread", "thread_id"),
    ("post", _l("Post %(id)s"), "communities.post", "post_id"),
)
"""Moderation's targets, linked to their pages (staff read every community)."""


@dataclass(frozen=True)
class Target:
    text: str
    endpoint: str | None = None
    """Where the page links it, with ``values``; None: no page to go to."""
    values: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class AuditLine:
    created_at: datetime
    actor: str
    action: str
    target: Target
    details: tuple[tuple[str, str], ...]
    """(label, value) in words."""


def audit_lines(
    session: Session, events: Iterable[AuditEvent], catalog: Catalog
) -> tuple[AuditLine, ...]:
    """The events as staff read them, names resolved in one query per kind of id."""
    events = tuple(events)
    user_ids = {_id_in(e.target, "user") for e in events} | {
        e.details[key]
        for e in events
        for key in PERSON_DETAILS
        if isinstance(e.details.get(key), int)
    }
    people = accounts.users_by_id(session, {i for i in user_ids if i is not None})
    cohort_names = cohorts.cohort_names(
        session, {i for e in events if (i := _id_in(e.target, "cohort")) is not None}
    )
    session_titles = live.titles(
        session,
        {i for e in events if (i := _id_in(e.target, "live_session")) is not None},
        current_language(),
    )
    return tuple(
        AuditLine(
            created_at=event.created_at,
            actor=_actor(event),
            action=_action(event.action),
            target=_target(event.target, people, cohort_names, catalog, session_titles),
            details=_details(event, people, catalog),
        )
        for event in events
    )


def audit_table(lines: Iterable[AuditLine], zone: tzinfo) -> Table:
    """The lines as an export's table: the time in the site's zone, details in one cell."""
    return Table(
        title=_("Audit trail"),
        header=(_("When"), _("Who"), _("Action"), _("On what"), _("Details")),
        rows=tuple(
            (
                line.created_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                line.actor,
                line.action,
                line.target.text,
                "; ".join(f"{label}: {value}" for label, value in line.details),
            )
            for line in lines
        ),
    )


def _details(
    event: AuditEvent, people: Mapping[int, User], catalog: Catalog
) -> tuple[tuple[str, str], ...]:
    return tuple(
        (
            str(DETAIL_LABELS.get(key, key)),
            _step_title(event.target, value, catalog)
            if key == "step"
            else _value(key, value, people),
        )
        for key, value in sorted(event.details.items())
        if key not in HIDDEN_DETAILS
    )


def _step_title(target: str, step: Any, catalog: Catalog) -> str:
    """A step of the event's course (``course:<id>``) by its title, if both are still there."""
    kind, _sep, course_id = target.partition(":")
    course = catalog.course(course_id) if kind == "course" else None
    item = next((i for i in course.items() if i.key == step), None) if course else None
    if course is None or item is None:
        return str(step)
    titles = course.lessons if item.kind is ItemKind.LESSON else course.quizzes
    return titles[item.stem].title.get(current_language())


def person_name(user: User | None) -> str:
    """An account as the trail names it: the name for certificates, else the address."""
    if user is None or user.deleted_at is not None:
        return _("a deleted account")
    name = (user.certificate_name or "").strip()
    return f"{name} ({user.email})" if name else user.email


def _action(action: str) -> str:
    known = next((a for a in AuditAction if a.value == action), None)
    return str(ACTION_LABELS[known]) if known in ACTION_LABELS else action


def _actor(event: AuditEvent) -> str:
    if event.details.get("via") == "cli":
        return _("The command line")
    if event.actor is None or event.actor.deleted_at is not None:
        return _("A deleted account")
    return event.actor.email


def _id_in(target: str, kind: str) -> int | None:
    prefix, _sep, rest = target.partition(":")
    return int(rest) if prefix == kind and rest.isdigit() else None


def _target(
    target: str,
    people: Mapping[int, User],
    cohort_names: Mapping[int, str],
    catalog: Catalog,
    session_titles: Mapping[int, str] | None = None,
) -> Target:
    kind, _sep, rest = target.partition(":")
    if (session_id := _id_in(target, "live_session")) is not None:
        title = (session_titles or {}).get(session_id)
        if title is None:
            return Target(_("a deleted live session"))
        return Target(
            _("Live session %(title)s", title=title),
            "live_staff.session_page",
            (("session_id", session_id),),
        )
    if (user_id := _id_in(target, "user")) is not None:
        user = people.get(user_id)
        if user is None or user.deleted_at is not None:
            return Target(person_name(None))
        return Target(person_name(user), "learners.record", (("user_id", user_id),))
    if (cohort_id := _id_in(target, "cohort")) is not None:
        if cohort_id not in cohort_names:
            return Target(_("a deleted cohort"))
        return Target(
            _("Cohort %(name)s", name=cohort_names[cohort_id]),
            "cohorts.cohort",
            (("cohort_id", cohort_id),),
        )
    if target == "audit":
        return Target(_("The audit trail"))
    for prefix, label, endpoint, argument in COMMUNITY_TARGETS:
        if (found := _id_in(target, prefix)) is not None:
            return Target(str(label) % {"id": found}, endpoint, ((argument, found),))
    if kind == "certificate":
        return Target(
            _("Certificate %(code)s", code=rest), "certificates.verify", (("code", rest),)
        )
    if kind == "course" and (course := catalog.course(rest)) is not None:
        return Target(course.title.get(current_language()))
    if kind == "quiz":
        course_id, _slash, stem = rest.partition("/")
        course = catalog.course(course_id)
        if course is not None and stem in course.quizzes:
            quiz = course.quizzes[stem].title
            return Target(
                f"{quiz.get(current_language())} – {course.title.get(current_language())}"
            )
    return Target(target)


def _value(key: str, value: Any, people: Mapping[int, User]) -> str:
    if key in PERSON_DETAILS and isinstance(value, int):
        return person_name(people.get(value))
    role = next((r for r in Role if r.value == value), None)
    if key in ("role", "previous") and role is not None:
        return str(ROLE_LABELS[role])
    if key == "filters" and isinstance(value, Mapping):
        return _filters_in_words(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    return "—" if value is None else str(value)


def _filters_in_words(filters: Mapping[str, Any]) -> str:
    shown = {k: v for k, v in filters.items() if k not in ("page", "per_page")}
    if not shown:
        return _("none: every member")
    return "; ".join(f"{FILTER_LABELS.get(k, k)}: {v}" for k, v in sorted(shown.items()))
