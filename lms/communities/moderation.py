"""Moderators' rules: pin and lock threads, hide posts (with a reason their author reads) and
restore them (their author told by mail each time), dismiss reports. Each change is one
guarded statement, so that posting it twice (two tabs, a double click) changes, audits and
mails once; every change is in the audit trail."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from lms.accounts import queries as accounts
from lms.audit import services as audit
from lms.audit.actions import AuditAction
from lms.communities import mails
from lms.communities.models import Post, PostReport, Thread
from lms.communities.queries import Place, ThreadPlace
from lms.content import Catalog
from lms.db import rows_changed
from lms.errors import DomainError
from lms.i18n import language_or_default
from lms.outbox import services as outbox

if TYPE_CHECKING:
    from lms.accounts.models import User


class NotAModerator(DomainError):
    status_code = 403
    message = lazy_gettext("Only this community’s moderators can do this.")


def require_moderator(place: Place) -> None:
    if not place.moderates:
        raise NotAModerator


def set_pinned(session: Session, actor: User, place: ThreadPlace, pinned: bool) -> bool:
    """Pin the thread atop its community's list, or unpin it; False if it already was."""
    require_moderator(place.place)
    thread = place.thread
    changed = rows_changed(
        session,
        update(Thread)
        .where(Thread.id == thread.id, Thread.pinned.is_(not pinned))
        .values(pinned=pinned)
        .execution_options(synchronize_session=False),
    )
    if changed:
        action = AuditAction.THREAD_PIN if pinned else AuditAction.THREAD_UNPIN
        audit.record(session, actor, action, f"thread:{thread.id}", title=thread.title)
    return bool(changed)


def set_locked(
    session: Session, actor: User, place: ThreadPlace, locked: bool, *, now: datetime
) -> bool:
    """Lock the thread (no more posts, no more changes) or open it again."""
    require_moderator(place.place)
    thread = place.thread
    state = Thread.locked_at.is_(None) if locked else Thread.locked_at.is_not(None)
    changed = rows_changed(
        session,
        update(Thread)
        .where(Thread.id == thread.id, state)
        .values(locked_at=now if locked else None)
        .execution_options(synchronize_session=False),
    )
    if changed:
        action = AuditAction.THREAD_LOCK if locked else AuditAction.THREAD_UNLOCK
        audit.record(session, actor, action, f"thread:{thread.id}", title=thread.title)
    return bool(changed)


def hide(
    session: Session,
    catalog: Catalog,
    actor: User,
    place: ThreadPlace,
    post: Post,
    *,
    reason: str,
    now: datetime,
) -> bool:
    """Hide ``post`` from everyone but its author and the moderators, who read ``reason``
    (the author gets it by mail too); hiding a thread's opening post takes the thread off
    its community's list."""
    require_moderator(place.place)
    changed = rows_changed(
        session,
        update(Post)
        .where(Post.id == post.id, Post.hidden_at.is_(None))
        .values(hidden_at=now, hidden_by_id=actor.id, hidden_reason=reason)
        .execution_options(synchronize_session=False),
    )
    if not changed:
        return False
    _after_visibility_change(session, place.thread, post, hidden_at=now)
    audit.record(
        session,
        actor,
        AuditAction.POST_HIDE,
        f"post:{post.id}",
        thread=place.thread.id,
        reason=reason,
        author=post.author_id,
    )
    _tell_author(session, catalog, place, post, reason=reason)
    return True


def restore(
    session: Session, catalog: Catalog, actor: User, place: ThreadPlace, post: Post
) -> bool:
    """Show a hidden post to everyone again (its reason stays in the audit trail); its
    author is told by mail."""
    require_moderator(place.place)
    changed = rows_changed(
        session,
        update(Post)
        .where(Post.id == post.id, Post.hidden_at.is_not(None))
        .values(hidden_at=None, hidden_by_id=None, hidden_reason=None)
        .execution_options(synchronize_session=False),
    )
    if not changed:
        return False
    _after_visibility_change(session, place.thread, post, hidden_at=None)
    audit.record(
        session, actor, AuditAction.POST_RESTORE, f"post:{post.id}", thread=place.thread.id
    )
    _tell_author(session, catalog, place, post, reason=None)
    return True


def _tell_author(
    session: Session, catalog: Catalog, place: ThreadPlace, post: Post, *, reason: str | None
) -> None:
    """Mail the post's author, in their language, that it was hidden (``reason``) or shown
    again (None); not once they have deleted their account or erased their posts."""
    author = accounts.user_by_id(session, post.author_id) if post.author_id else None
    if author is None or author.is_deleted or post.erased_at is not None:
        return
    thread = place.thread
    moderated = mails.ModeratedPost(
        post_id=post.id,
        body=post.body,
        post_language=post.language,
        thread_title=thread.title,
        thread_language=thread.language,
        community=place.place.community,
    )
    language = language_or_default(author.language)
    outbox.enqueue(
        session,
        mails.moderated_mail(moderated, catalog, to=author.email, language=language, reason=reason),
    )


def _after_visibility_change(
    session: Session, thread: Thread, post: Post, *, hidden_at: datetime | None
) -> None:
    """The thread's latest visible post (what unread counts compare with) and, for its
    opening post, whether the thread itself is listed."""
    opening = session.scalar(select(func.min(Post.id)).where(Post.thread_id == thread.id))
    latest = (
        select(func.max(Post.id))
        .where(Post.thread_id == thread.id, Post.hidden_at.is_(None))
        .scalar_subquery()
    )
    values: dict[str, object] = {"last_post_id": func.coalesce(latest, 0)}
    if post.id == opening:
        values["hidden_at"] = hidden_at
    session.execute(
        update(Thread)
        .where(Thread.id == thread.id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def dismiss_reports(
    session: Session, actor: User, place: ThreadPlace, post: Post, *, now: datetime
) -> int:
    """Leave ``post`` as it is: its open reports are dismissed; how many."""
    require_moderator(place.place)
    dismissed = rows_changed(
        session,
        update(PostReport)
        .where(PostReport.post_id == post.id, PostReport.dismissed_at.is_(None))
        .values(dismissed_at=now)
        .execution_options(synchronize_session=False),
    )
    if dismissed:
        audit.record(
            session,
            actor,
            AuditAction.REPORTS_DISMISS,
            f"post:{post.id}",
            thread=place.thread.id,
            reports=dismissed,
        )
    return dismissed
