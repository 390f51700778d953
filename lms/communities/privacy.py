"""Communities' part of privacy: a member's posts, follows, reports and settings, and what
deleting their account does to them (posts kept as "a former member's", unless they ask)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from lms.accounts.privacy import iso
from lms.communities.models import (
    Community,
    CommunityFollow,
    MemberProfile,
    Moderator,
    Post,
    PostReport,
    Thread,
    ThreadFollow,
    ThreadRead,
)

if TYPE_CHECKING:
    from lms.accounts.models import User


def learner_data(session: Session, user: User) -> dict[str, Any]:
    """What communities hold about ``user``: their settings, their posts (with the threads
    they opened), what they follow and what they reported; nobody else's words."""
    profile = session.get(MemberProfile, user.id)
    return {
        "settings": (
            {
                "display_name": profile.display_name,
                "mail": profile.mail_mode.value,
                "last_digest_at": iso(profile.last_digest_at),
                "mail_chosen_at": iso(profile.mail_mode_at),
            }
            if profile is not None
            else None
        ),
        "threads_opened": _threads(session, user),
        "posts": _posts(session, user),
        "following": {
            "threads": list(
                session.scalars(
                    select(ThreadFollow.thread_id)
                    .where(ThreadFollow.user_id == user.id)
                    .order_by(ThreadFollow.thread_id)
                )
            ),
            "communities": list(
                session.scalars(
                    select(CommunityFollow.community_id)
                    .where(CommunityFollow.user_id == user.id)
                    .order_by(CommunityFollow.community_id)
                )
            ),
        },
        "moderates": list(
            session.scalars(
                select(Moderator.community_id)
                .where(Moderator.user_id == user.id)
                .order_by(Moderator.community_id)
            )
        ),
        "reports_made": [
            {"post": report.post_id, "reason": report.reason, "at": iso(report.created_at)}
            for report in session.scalars(
                select(PostReport).where(PostReport.reporter_id == user.id).order_by(PostReport.id)
            )
        ],
    }


def _threads(session: Session, user: User) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Thread, Community.course_id, Community.name_en)
        .join(Community, Community.id == Thread.community_id)
        .where(Thread.author_id == user.id)
        .order_by(Thread.id)
    )
    return [
        {
            "thread": thread.id,
            "community": course_id or name,
            "title": thread.title,
            "lesson": thread.lesson,
            "language": thread.language,
            "created_at": iso(thread.created_at),
        }
        for thread, course_id, name in rows
    ]


def _posts(session: Session, user: User) -> list[dict[str, Any]]:
    return [
        {
            "post": post.id,
            "thread": post.thread_id,
            "text": post.body,
            "language": post.language,
            "created_at": iso(post.created_at),
            "edited_at": iso(post.edited_at),
            "hidden_by_a_moderator_at": iso(post.hidden_at),
            "hidden_reason": post.hidden_reason,
        }
        for post in session.scalars(select(Post).where(Post.author_id == user.id).order_by(Post.id))
    ]


def erase_member(session: Session, user: User, *, remove_posts: bool, now: datetime) -> None:
    """Forget ``user`` in communities: their name and settings, follows, reads, reports and
    moderation. Their posts stay, signed "a former member" (the account is deleted), so that
    discussions keep their sense, unless ``remove_posts``: then their words are erased,
    each post's place kept and marked as removed at their request."""
    for model, column in (
        (MemberProfile, MemberProfile.user_id),
        (ThreadFollow, ThreadFollow.user_id),
        (CommunityFollow, CommunityFollow.user_id),
        (ThreadRead, ThreadRead.user_id),
        (PostReport, PostReport.reporter_id),
        (Moderator, Moderator.user_id),
    ):
        session.execute(delete(model).where(column == user.id))
    if not remove_posts:
        return
    session.execute(
        update(Post)
        .where(Post.author_id == user.id)
        .values(body="", html="", erased_at=now, hidden_reason=None)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(Thread)
        .where(Thread.author_id == user.id)
        .values(title="", erased_at=now)
        .execution_options(synchronize_session=False)
    )
