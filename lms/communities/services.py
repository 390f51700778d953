"""Members' rules in communities: asking and replying, editing within the half hour,
following, reading, reporting, and their name and mail settings (staff's definitions:
``lms.communities.spaces``; moderation: ``lms.communities.moderation``)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext
from sqlalchemy import case, delete, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.accounts import queries as accounts
from lms.communities import mails, queries
from lms.communities.models import (
    Community,
    CommunityFollow,
    CommunityKind,
    MailMode,
    MemberProfile,
    Post,
    PostReport,
    Thread,
    ThreadFollow,
    ThreadRead,
)
from lms.communities.pages import EDIT_WINDOW
from lms.communities.queries import Place, ThreadPlace, Viewer
from lms.communities.rendering import render
from lms.content import Catalog, Course, ItemKind
from lms.content.typography import french_spaces
from lms.db import insert_for, rows_changed
from lms.errors import DomainError
from lms.i18n import language_or_default
from lms.learning.services import find_course
from lms.outbox import services as outbox

if TYPE_CHECKING:
    from lms.accounts.models import User


class CommunityNotFound(DomainError):
    status_code = 404
    message = lazy_gettext("There is no community at this address, or it is not open to you.")


class ThreadNotFound(DomainError):
    status_code = 404
    message = lazy_gettext("There is no discussion at this address, or it is not open to you.")


class PostNotFound(DomainError):
    status_code = 404
    message = lazy_gettext("There is no post at this address, or it is not open to you.")


class LessonNotFound(DomainError):
    status_code = 404
    message = lazy_gettext("This course has no lesson at this address.")


class ThreadLocked(DomainError):
    status_code = 409
    message = lazy_gettext("This discussion is locked by a moderator: it takes no new posts.")


class NotYourPost(DomainError):
    status_code = 403
    message = lazy_gettext("You can change your own posts only.")


class EditWindowClosed(DomainError):
    status_code = 409
    message = lazy_gettext(
        "A post can be changed in the 30 minutes after it is sent only. Add a reply instead."
    )


class PostIsHidden(DomainError):
    status_code = 409
    message = lazy_gettext("A moderator hid this post: it cannot be changed.")


class AlreadyReported(DomainError):
    status_code = 409
    message = lazy_gettext("You reported this post already: the moderators have it.")


class PostNotReportable(DomainError):
    status_code = 409
    message = lazy_gettext("This post is hidden or removed already: there is nothing to report.")


def check_reportable(post: Post) -> None:
    """A hidden or erased post is not reported (nor shown on the report page: its text is
    for its author and the moderators only)."""
    if post.hidden_at is not None or post.erased_at is not None:
        raise PostNotReportable


class DisplayNameIsAnAddress(DomainError):
    message = lazy_gettext("Choose a name that is not an email address.")


def viewer_of(user: User) -> Viewer:
    return Viewer(user.id, user.is_staff)


def find_place(session: Session, viewer: Viewer, community_id: int) -> Place:
    place = queries.community_place(session, viewer, community_id)
    if place is None:
        raise CommunityNotFound
    return place


def find_thread(session: Session, viewer: Viewer, thread_id: int) -> ThreadPlace:
    """The thread, if ``viewer`` may read it: its community is open to them, and it is not
    hidden, unless they wrote it or moderate there."""
    place = queries.thread_place(session, viewer, thread_id)
    if place is None or not may_see_thread(viewer, place):
        raise ThreadNotFound
    return place


def may_see_thread(viewer: Viewer, place: ThreadPlace) -> bool:
    thread = place.thread
    return thread.hidden_at is None or place.place.moderates or thread.author_id == viewer.user_id


def find_post(session: Session, viewer: Viewer, post_id: int) -> tuple[Post, ThreadPlace]:
    post = queries.find_post(session, post_id)
    if post is None:
        raise PostNotFound
    try:
        return post, find_thread(session, viewer, post.thread_id)
    except ThreadNotFound:
        raise PostNotFound from None


def find_lesson(course: Course, key: str) -> str:
    """``key`` if it names one of the course's lessons."""
    item = course.item(key)
    if item is None or item.kind is not ItemKind.LESSON:
        raise LessonNotFound
    return key


def course_community(session: Session, catalog: Catalog, course_id: str) -> Community:
    """The course's discussion, made on its first use; two requests making it at once make
    one (the unique course id)."""
    find_course(catalog, course_id)
    found = queries.course_community(session, course_id)
    if found is not None:
        return found
    community = Community(kind=CommunityKind.COURSE, course_id=course_id)
    try:
        with session.begin_nested():
            session.add(community)
    except IntegrityError:
        found = queries.course_community(session, course_id)
        if found is None:
            raise
        return found
    return community


def ask(
    session: Session,
    member: User,
    community: Community,
    *,
    title: str,
    body: str,
    language: str,
    lesson: str | None,
    now: datetime,
) -> Thread:
    """Open a thread with its first post; its author follows it. A French title gets
    French typography's non-breaking spaces as it is kept (it is never edited)."""
    title = title.strip()
    thread = Thread(
        community_id=community.id,
        author_id=member.id,
        title=french_spaces(title) if language == "fr" else title,
        lesson=lesson,
        language=language,
        created_at=now,
        last_post_at=now,
        post_count=1,
    )
    session.add(thread)
    session.flush()
    post = _new_post(session, member, thread, body, language, now)
    thread.last_post_id = post.id
    _follow(session, member.id, thread.id)
    mark_read(session, member.id, thread.id, post.id)
    return thread


def reply(
    session: Session, member: User, place: ThreadPlace, *, body: str, language: str, now: datetime
) -> Post:
    """Add a reply to an open thread; its author follows the thread from then on."""
    thread = place.thread
    if thread.locked_at is not None:
        raise ThreadLocked
    post = _new_post(session, member, thread, body, language, now)
    # Guarded: a moderator locking the thread meanwhile wins, and the reply is not kept.
    opened = rows_changed(
        session,
        update(Thread)
        .where(Thread.id == thread.id, Thread.locked_at.is_(None))
        .values(
            post_count=Thread.post_count + 1,
            # Two replies at once may commit in the other order than their ids: the
            # latest stays the latest.
            last_post_id=case((Thread.last_post_id < post.id, post.id), else_=Thread.last_post_id),
            last_post_at=case((Thread.last_post_at < now, now), else_=Thread.last_post_at),
        )
        .execution_options(synchronize_session=False),
    )
    if not opened:
        raise ThreadLocked
    _follow(session, member.id, thread.id)
    mark_read(session, member.id, thread.id, post.id)
    return post


def _new_post(
    session: Session, member: User, thread: Thread, body: str, language: str, now: datetime
) -> Post:
    post = Post(
        thread_id=thread.id,
        author_id=member.id,
        body=body,
        html=render(body, language),
        language=language,
        created_at=now,
    )
    session.add(post)
    session.flush()
    return post


def edit(
    session: Session, member: User, place: ThreadPlace, post: Post, *, body: str, now: datetime
) -> None:
    """Change the member's own post, within ``EDIT_WINDOW`` of sending it (the check and
    the change are one statement: a request at minute 30 cannot slip past it)."""
    check_editable(member, place, post)
    changed = rows_changed(
        session,
        update(Post)
        .where(
            Post.id == post.id,
            Post.author_id == member.id,
            Post.created_at > now - EDIT_WINDOW,
            Post.hidden_at.is_(None),
        )
        .values(body=body, html=render(body, post.language), edited_at=now)
        .execution_options(synchronize_session=False),
    )
    if not changed:
        raise EditWindowClosed


def check_editable(member: User, place: ThreadPlace, post: Post) -> None:
    """The member's own post, shown, in an open thread: what may be changed (within
    ``EDIT_WINDOW``, which the change's statement checks)."""
    if post.author_id != member.id:
        raise NotYourPost
    if post.hidden_at is not None or post.erased_at is not None:
        raise PostIsHidden
    if place.thread.locked_at is not None:
        raise ThreadLocked


def _follow(session: Session, user_id: int, thread_id: int) -> None:
    statement = insert_for(session, ThreadFollow).values(user_id=user_id, thread_id=thread_id)
    session.execute(statement.on_conflict_do_nothing())


def follow_thread(session: Session, member: User, place: ThreadPlace) -> None:
    _follow(session, member.id, place.thread.id)


def unfollow_thread(session: Session, member: User, place: ThreadPlace) -> None:
    session.execute(
        delete(ThreadFollow).where(
            ThreadFollow.user_id == member.id, ThreadFollow.thread_id == place.thread.id
        )
    )


def follow_community(session: Session, member: User, community: Community) -> None:
    """Follow every thread of ``community`` from now on (what was posted before is not new)."""
    statement = insert_for(session, CommunityFollow).values(
        user_id=member.id,
        community_id=community.id,
        from_post_id=queries.latest_post_id(session, community.id),
    )
    session.execute(statement.on_conflict_do_nothing())


def unfollow_community(session: Session, member: User, community: Community) -> None:
    session.execute(
        delete(CommunityFollow).where(
            CommunityFollow.user_id == member.id, CommunityFollow.community_id == community.id
        )
    )


def mark_read(session: Session, user_id: int, thread_id: int, post_id: int) -> None:
    """Note that the member read the thread up to ``post_id`` (never backwards)."""
    statement = insert_for(session, ThreadRead).values(
        user_id=user_id, thread_id=thread_id, last_read_post_id=post_id
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[ThreadRead.user_id, ThreadRead.thread_id],
            set_={"last_read_post_id": post_id},
            where=ThreadRead.last_read_post_id < post_id,
        )
    )


def report(
    session: Session,
    catalog: Catalog,
    member: User,
    place: ThreadPlace,
    post: Post,
    *,
    reason: str,
    now: datetime,
) -> None:
    """Tell the moderators about ``post``, once per member; the community's listed
    moderators get it by mail (staff see every report on the community's reports page)."""
    check_reportable(post)
    try:
        with session.begin_nested():
            session.add(
                PostReport(post_id=post.id, reporter_id=member.id, reason=reason, created_at=now)
            )
    except IntegrityError:
        raise AlreadyReported from None
    community = place.place.community
    listed = [user_id for user_id, _name in queries.moderators_of(session, community.id)]
    moderators = accounts.users_by_id(session, listed).values()
    outbox.enqueue(
        session,
        [
            mails.report_mail(
                to=moderator.email,
                language=language_or_default(moderator.language),
                community=community,
                catalog=catalog,
                thread_title=place.thread.title,
                thread_language=place.thread.language,
                body=post.body,
                post_language=post.language,
                reason=reason,
            )
            for moderator in moderators
            if not moderator.is_deleted
        ],
    )


def save_settings(
    session: Session, member: User, *, display_name: str | None, mail_mode: MailMode, now: datetime
) -> None:
    """The name shown on the member's posts (None: the neutral default) and how they get
    mail; choosing the digest starts it from now."""
    name = (display_name or "").strip() or None
    if name is not None and "@" in name:
        raise DisplayNameIsAnAddress
    profile = queries.profile_of(session, member.id)
    if profile is None:
        profile = MemberProfile(user_id=member.id)
        session.add(profile)
    if mail_mode is MailMode.DIGEST and profile.mail_mode is not MailMode.DIGEST:
        profile.digest_after_post_id = queries.latest_post_id(session)
        profile.last_digest_at = now
    if mail_mode is not profile.mail_mode:
        profile.mail_mode_at = now
    profile.display_name = name
    profile.mail_mode = mail_mode
    profile.updated_at = now
    session.flush()
