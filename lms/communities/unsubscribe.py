"""One-click unsubscribe links (RFC 8058) in communities' mail: a signed token naming what a
mail came from (a thread followed, a community followed, the digest) and the state it stops,
and stopping it without signing in.

A token is signed, not stored, and bound to a fingerprint of what it stops (when the follow
was made, when the mail mode was chosen): following again, or choosing the digest again,
revokes every link made before; so does a new secret key.
"""

from __future__ import annotations

import enum
import hmac
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from flask_babel import lazy_gettext
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from lms.accounts.tokens import fingerprint
from lms.communities.models import (
    Community,
    CommunityFollow,
    MailMode,
    MemberProfile,
    Thread,
    ThreadFollow,
)
from lms.config import current_settings
from lms.db import rows_changed
from lms.errors import DomainError
from lms.mail import external_url

SALT = "lms.communities.unsubscribe"
ONE_CLICK = ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")


class Stream(enum.StrEnum):
    """What a mail came from, so what its link stops."""

    THREAD = "thread"
    COMMUNITY = "community"
    DIGEST = "digest"


class LinkNotValid(DomainError):
    status_code = 404
    message = lazy_gettext(
        "This unsubscribe link is not valid any more: change your mail in your community "
        "settings instead."
    )


@dataclass(frozen=True)
class Subscription:
    """What one token stops: ``stream`` of ``user_id`` (``target``: a thread or community
    id; 0 for the digest), bound to ``state`` (a fingerprint)."""

    user_id: int
    stream: Stream
    target: int
    state: str


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=SALT)


def _since(moment: datetime | None) -> str:
    return fingerprint(moment.replace(tzinfo=None).isoformat() if moment else "")


def make_token(
    secret_key: str, user_id: int, stream: Stream, target: int, since: datetime | None
) -> str:
    """A token that stops ``stream`` for ``user_id``, bound to when it began (``since``)."""
    payload = {"u": user_id, "s": stream.value, "t": target, "f": _since(since)}
    return _serializer(secret_key).dumps(payload)


def unsubscribe_link(user_id: int, stream: Stream, target: int, since: datetime | None) -> str:
    """The absolute link a mail gives for ``make_token``'s token."""
    token = make_token(current_settings().secret_key, user_id, stream, target, since)
    return external_url("community_mail.unsubscribe", token=token)


def read_token(secret_key: str, token: str) -> Subscription:
    """What ``token`` names; raise ``LinkNotValid`` if it was altered or is not ours."""
    try:
        payload: Any = _serializer(secret_key).loads(token)
    except BadSignature:
        raise LinkNotValid from None
    if not isinstance(payload, dict):
        raise LinkNotValid
    user_id, stream, target, state = (payload.get(k) for k in ("u", "s", "t", "f"))
    if (
        not isinstance(user_id, int)
        or not isinstance(target, int)
        or not isinstance(state, str)
        or stream not in {s.value for s in Stream}
    ):
        raise LinkNotValid
    return Subscription(user_id, Stream(stream), target, state)


def _began(session: Session, subscription: Subscription) -> datetime | Literal[False] | None:
    """When what ``subscription`` names began; False if it is stopped already."""
    user_id, target = subscription.user_id, subscription.target
    if subscription.stream is Stream.THREAD:
        found = session.scalar(
            select(ThreadFollow.created_at).where(
                ThreadFollow.user_id == user_id, ThreadFollow.thread_id == target
            )
        )
    elif subscription.stream is Stream.COMMUNITY:
        found = session.scalar(
            select(CommunityFollow.created_at).where(
                CommunityFollow.user_id == user_id, CommunityFollow.community_id == target
            )
        )
    else:
        profile = session.get(MemberProfile, user_id)
        if profile is None or profile.mail_mode is not MailMode.DIGEST:
            return False
        return profile.mail_mode_at
    return False if found is None else found


class LinkState(enum.StrEnum):
    ACTIVE = "active"
    """What it names goes on, begun when the link was made: the link stops it."""
    STOPPED = "stopped"
    """What it names is stopped already."""
    SUPERSEDED = "superseded"
    """The member followed again (or chose the digest again) since: this older link stops
    nothing, and a newer mail carries the link that does."""


def link_state(session: Session, subscription: Subscription) -> LinkState:
    began = _began(session, subscription)
    if began is False:
        return LinkState.STOPPED
    if hmac.compare_digest(subscription.state, _since(began)):
        return LinkState.ACTIVE
    return LinkState.SUPERSEDED


def stop(session: Session, subscription: Subscription, *, now: datetime) -> bool:
    """Stop what the link names, if it still may; False when there was nothing to stop."""
    if link_state(session, subscription) is not LinkState.ACTIVE:
        return False
    user_id, target = subscription.user_id, subscription.target
    if subscription.stream is Stream.THREAD:
        statement: Any = delete(ThreadFollow).where(
            ThreadFollow.user_id == user_id, ThreadFollow.thread_id == target
        )
    elif subscription.stream is Stream.COMMUNITY:
        statement = delete(CommunityFollow).where(
            CommunityFollow.user_id == user_id, CommunityFollow.community_id == target
        )
    else:
        statement = (
            update(MemberProfile)
            .where(MemberProfile.user_id == user_id, MemberProfile.mail_mode == MailMode.DIGEST)
            .values(mail_mode=MailMode.OFF, mail_mode_at=now, updated_at=now)
            .execution_options(synchronize_session=False)
        )
    return bool(rows_changed(session, statement))


@dataclass(frozen=True)
class Stopped:
    """What a link stops, for its page to name: a thread's title or a community (None for
    the digest)."""

    stream: Stream
    thread_title: str | None
    thread_language: str | None
    community: Community | None


def what_it_stops(session: Session, subscription: Subscription) -> Stopped:
    """What ``subscription`` names, as its confirmation page shows it."""
    if subscription.stream is Stream.THREAD:
        thread = session.get(Thread, subscription.target)
        if thread is None:
            raise LinkNotValid
        return Stopped(subscription.stream, thread.title, thread.language, None)
    if subscription.stream is Stream.COMMUNITY:
        community = session.get(Community, subscription.target)
        if community is None:
            raise LinkNotValid
        return Stopped(subscription.stream, None, None, community)
    return Stopped(subscription.stream, None, None, None)
