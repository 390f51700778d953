"""Live session rules: scheduling, changing and cancelling a session, its recording
(registrations: ``lms.live.registrations``; attendance: ``lms.live.attendance``)."""

from __future__ import annotations

import hmac
from dataclasses import dataclass, fields
from datetime import datetime
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.audit import services as audit
from lms.audit.actions import AuditAction
from lms.content import Catalog
from lms.db import rows_changed
from lms.errors import DomainError
from lms.live import feeds, mails, queries, registrations
from lms.live.models import CalendarFeed, LiveSession, Registration, SessionLanguage, SessionTag
from lms.outbox import services as outbox

if TYPE_CHECKING:
    from lms.accounts.models import User


class SessionNotFound(DomainError):
    status_code = 404
    message = lazy_gettext("There is no live session at this address.")


class SlugTaken(DomainError):
    status_code = 409
    message = lazy_gettext("Another session already has this id. Choose another.")


class CourseNotFound(DomainError):
    message = lazy_gettext("There is no course with this id in the catalogue.")


class CertificateNotFound(DomainError):
    message = lazy_gettext("There is no program with this id in the catalogue.")


class SessionAlreadyCancelled(DomainError):
    status_code = 409
    message = lazy_gettext("This session is cancelled: it cannot be changed any more.")


@dataclass(frozen=True)
class SessionDetails:
    """What staff say of a session, its id aside (set once: certificates name it)."""

    title_fr: str
    title_en: str
    description_fr: str
    description_en: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    language: SessionLanguage
    capacity: int
    video_url: str | None
    place: str | None
    course_id: str | None
    certificate_id: str | None
    tags: tuple[str, ...]


CALENDAR_FIELDS = frozenset({"starts_at", "ends_at", "time_zone", "video_url", "place"})
"""What a registrant's calendar holds: a change to any is mailed to them."""


def find_session(session: Session, session_id: int) -> LiveSession:
    found = session.get(LiveSession, session_id)
    if found is None:
        raise SessionNotFound
    return found


def find_by_slug(session: Session, slug: str) -> LiveSession:
    found = queries.session_by_slug(session, slug)
    if found is None:
        raise SessionNotFound
    return found


def _check_links(catalog: Catalog, details: SessionDetails) -> None:
    if details.course_id and details.course_id not in catalog.courses:
        raise CourseNotFound
    if details.certificate_id and details.certificate_id not in catalog.certificates:
        raise CertificateNotFound


def _values(details: SessionDetails) -> dict[str, Any]:
    return {f.name: getattr(details, f.name) for f in fields(details) if f.name != "tags"}


def create_session(
    session: Session, catalog: Catalog, slug: str, details: SessionDetails, *, actor: User
) -> LiveSession:
    """Schedule a session with the id ``slug`` (unique, and never changed after)."""
    _check_links(catalog, details)
    live = LiveSession(slug=slug, created_by_id=actor.id, **_values(details))
    live.tags = [SessionTag(tag=tag) for tag in details.tags]
    try:
        # The unique id, not a look-up, settles two staff choosing the same one at once.
        with session.begin_nested():
            session.add(live)
    except IntegrityError:
        raise SlugTaken from None
    audit.record(
        session,
        actor,
        AuditAction.LIVE_SESSION_CREATE,
        f"live_session:{live.id}",
        slug=slug,
        starts_at=details.starts_at.isoformat(),
        capacity=details.capacity,
    )
    return live


def update_session(
    session: Session,
    catalog: Catalog,
    live: LiveSession,
    details: SessionDetails,
    *,
    actor: User,
    now: datetime,
) -> bool:
    """Change ``live`` to ``details``; audited with what they replace. Registrants are mailed
    when its time or place changed, and the waiting list moves up into new seats. False when
    nothing changed."""
    if live.cancelled_at is not None:
        raise SessionAlreadyCancelled
    _check_links(catalog, details)
    before = {**_values_of(live), "tags": live.tag_names}
    after = {**_values(details), "tags": details.tags}
    changed = sorted(key for key in after if after[key] != before[key])
    if not changed:
        return False
    for key, value in _values(details).items():
        setattr(live, key, value)
    if "tags" in changed:
        live.tags = [SessionTag(tag=tag) for tag in details.tags]
    moved = CALENDAR_FIELDS.intersection(changed)
    if moved:
        live.sequence += 1
    if {"starts_at"} & moved:
        # The reminders were for the old time: the new one gets its own.
        session.execute(
            update(Registration)
            .where(Registration.session_id == live.id)
            .values(day_reminder_at=None, hour_reminder_at=None)
            .execution_options(synchronize_session=False)
        )
    session.flush()
    if moved and live.ends_at > now:
        outbox.enqueue(session, _mails_to_registrants(session, live, mails.changed_mail))
    registrations.fill_free_seats(session, live, now=now)
    audit.record(
        session,
        actor,
        AuditAction.LIVE_SESSION_UPDATE,
        f"live_session:{live.id}",
        **{key: _json(after[key]) for key in changed},
        **{f"previous_{key}": _json(before[key]) for key in changed},
    )
    return True


def _values_of(live: LiveSession) -> dict[str, Any]:
    return {f.name: getattr(live, f.name) for f in fields(SessionDetails) if f.name != "tags"}


def _json(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _mails_to_registrants(
    session: Session, live: LiveSession, make: mails.SessionMail
) -> list[mails.Mail]:
    """``make``'s mail to everyone registered or waiting, each in their language."""
    return [make(user, live) for user in queries.people_holding_or_awaiting_a_seat(session, live)]


def cancel_session(
    session: Session, live: LiveSession, *, reason: str, actor: User, now: datetime
) -> bool:
    """Cancel ``live`` (once: False if it already was), mailing everyone registered or
    waiting; audited with ``reason``, which the mail gives."""
    cancelled = rows_changed(
        session,
        update(LiveSession)
        .where(LiveSession.id == live.id, LiveSession.cancelled_at.is_(None))
        .values(cancelled_at=now, sequence=LiveSession.sequence + 1)
        .execution_options(synchronize_session=False),
    )
    if not cancelled:
        return False
    session.refresh(live)
    outbox.enqueue(
        session,
        _mails_to_registrants(
            session, live, lambda user, found: mails.cancelled_mail(user, found, reason)
        ),
    )
    audit.record(
        session, actor, AuditAction.LIVE_SESSION_CANCEL, f"live_session:{live.id}", reason=reason
    )
    return True


def set_recording(
    session: Session,
    live: LiveSession,
    *,
    recording_url: str | None,
    captions_vtt: str | None,
    keep_captions: bool,
    actor: User,
) -> None:
    """Give ``live`` its recording's link and captions (WebVTT), shown to its registrants;
    ``keep_captions`` keeps the file given before when no new one comes."""
    live.recording_url = recording_url
    if not keep_captions or captions_vtt is not None:
        live.captions_vtt = captions_vtt
    audit.record(
        session,
        actor,
        AuditAction.LIVE_RECORDING_SET,
        f"live_session:{live.id}",
        recording_url=recording_url,
        captions=live.captions_vtt is not None,
    )


def start_feed(session: Session, user: User, *, now: datetime) -> bool:
    """Give ``user`` a calendar feed; False if they have one (the form posted twice)."""
    if queries.feed_of(session, user.id) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(CalendarFeed(user_id=user.id, nonce=feeds.new_nonce(), created_at=now))
    except IntegrityError:
        return False  # made by the same form posted at the same instant
    return True


def renew_feed(session: Session, user: User, shown: str, *, now: datetime) -> bool:
    """A new address for ``user``'s feed, the old one dead; only if the feed still has the
    address the page showed (``shown``, ``feeds.address_version``): False otherwise, e.g.
    for the form posted twice, or no feed."""
    feed = queries.feed_of(session, user.id)
    if feed is None or not hmac.compare_digest(feeds.address_version(feed.nonce), shown):
        return False
    renewed = (
        update(CalendarFeed)
        .where(CalendarFeed.user_id == user.id, CalendarFeed.nonce == feed.nonce)
        .values(nonce=feeds.new_nonce(), created_at=now, last_read_at=None)
    )
    return rows_changed(session, renewed) == 1


def stop_feed(session: Session, user: User) -> bool:
    """Turn ``user``'s feed off: its address answers nothing any more. False if none was on."""
    return rows_changed(session, delete(CalendarFeed).where(CalendarFeed.user_id == user.id)) == 1


def feed_owner(session: Session, token: str, secret_key: str) -> CalendarFeed | None:
    """The feed whose current address holds ``token``; None for any other token."""
    user_id = feeds.token_user(token)
    feed = queries.feed_of(session, user_id) if user_id is not None else None
    if feed is None or not feeds.token_matches(secret_key, token, feed.user_id, feed.nonce):
        return None
    return feed


def feed_read(session: Session, user_id: int, *, now: datetime) -> None:
    """Note that a calendar app read ``user_id``'s feed: their page says when it last did."""
    session.execute(
        update(CalendarFeed)
        .where(CalendarFeed.user_id == user_id)
        .values(last_read_at=now)
        .execution_options(synchronize_session=False)
    )
