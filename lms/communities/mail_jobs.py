"""The jobs and chores that send communities' mail about new posts (``mails`` builds each
mail), run outside any request, owning their transactions as a command does: each post's
followers mailed once (the job queued as it is committed, and a chore for any a crash left
owed), and the daily digests.

A post's mails are queued in the outbox in the very transaction that marks the post as
notified: both happen, or neither, so that no follower gets the same post twice. A post hidden
before its mail went out is left owed, not marked: once restored, its followers hear of it.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, tzinfo

from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from lms import jobs
from lms.accounts import queries as accounts
from lms.catalog import current_catalog
from lms.communities import mails, queries
from lms.communities.mails import DigestEntry, PostNews
from lms.communities.models import Community, MemberProfile, Post, Thread
from lms.communities.pages import lazy_shown_name
from lms.communities.queries import Viewer
from lms.communities.unsubscribe import Stream, unsubscribe_link
from lms.config import current_settings
from lms.content import Catalog
from lms.db import get_session, rows_changed, utcnow
from lms.i18n import language_or_default
from lms.mail import external_url
from lms.outbox import services as outbox

POST_JOB = "communities.notify_post"
OWED_CHORE = "communities.notify_owed"
DIGEST_CHORE = "communities.send_digests"
OWED_EVERY_MINUTES = 5
OWED_AFTER = timedelta(minutes=2)
"""A post whose own job has not run this long after it was written was lost on the way (a
server killed after its commit): the chore mails about it."""
DIGEST_EVERY_MINUTES = 15
"""The chore looks this often; digests leave at ``LMS_DIGEST_HOUR`` (or soon after, if the
worker was down then)."""
DIGEST_POSTS = 50
"""Posts a digest quotes at most; it says when there were more."""


def notify_post(post_id: int) -> None:
    """The job queued once a new post is committed."""
    session = get_session()
    queue_post_mails(session, current_catalog(), post_id, now=utcnow())
    session.commit()


def queue_post_mails(session: Session, catalog: Catalog, post_id: int, *, now: datetime) -> int:
    """Queue a mail about ``post_id`` to each follower who wants one and may read it, but
    its author; once, however often it is asked (the guarded claim), and only while the
    post is shown (a hidden one stays owed). How many were queued."""
    claimed = rows_changed(
        session,
        update(Post)
        .where(Post.id == post_id, Post.notified_at.is_(None), *queries.shown_post())
        .values(notified_at=now)
        .execution_options(synchronize_session=False),
    )
    post = session.get(Post, post_id) if claimed else None
    thread = session.get(Thread, post.thread_id) if post is not None else None
    if post is None or thread is None or post.hidden_at or post.erased_at or thread.hidden_at:
        return 0
    community = session.get(Community, thread.community_id)
    assert community is not None  # a thread's community goes with it (ON DELETE CASCADE)
    wanted = [i for i in queries.followers_to_mail(session, thread, post.id) if i != post.author_id]
    people = {i: u for i, u in accounts.users_by_id(session, wanted).items() if not u.is_deleted}
    members = {i for i, user in people.items() if not user.is_staff}
    readers = queries.readers_of(session, community, members) | (people.keys() - members)
    news = PostNews(
        post_id=post.id,
        thread_title=thread.title,
        thread_language=thread.language,
        community=community,
        author=queries.authors(session, [post.author_id]).get(post.author_id or 0),
        author_id=post.author_id,
        body=post.body,
        html=post.html,
        language=post.language,
        opens_thread=post.id == _opening_post_id(session, thread.id),
    )
    of_thread, of_community = queries.follows_since(session, thread, sorted(readers))
    queued = [
        mails.post_mail(
            news,
            catalog,
            to=user.email,
            language=language_or_default(user.language),
            unsubscribe_link=_post_unsubscribe_link(thread, user_id, of_thread, of_community),
        )
        for user_id, user in sorted(people.items())
        if user_id in readers
    ]
    outbox.enqueue(session, queued)
    return len(queued)


def _post_unsubscribe_link(
    thread: Thread,
    user_id: int,
    of_thread: dict[int, datetime],
    of_community: dict[int, datetime],
) -> str:
    """The link that stops the follow a post's mail came from: the thread's, when the
    member follows it (the narrower one), else its community's."""
    if user_id in of_thread:
        return unsubscribe_link(user_id, Stream.THREAD, thread.id, of_thread[user_id])
    since = of_community.get(user_id)
    return unsubscribe_link(user_id, Stream.COMMUNITY, thread.community_id, since)


def _opening_post_id(session: Session, thread_id: int) -> int | None:
    return session.scalar(
        select(Post.id).where(Post.thread_id == thread_id).order_by(Post.id).limit(1)
    )


def notify_owed() -> int:
    """The chore: mail about shown posts whose own job never ran (or ran while they were
    hidden); how many posts it took."""
    session, catalog, now = get_session(), current_catalog(), utcnow()
    owed = list(
        session.scalars(
            select(Post.id)
            .where(
                Post.notified_at.is_(None),
                Post.created_at <= now - OWED_AFTER,
                *queries.shown_post(),
            )
            .order_by(Post.id)
        )
    )
    for post_id in owed:
        queue_post_mails(session, catalog, post_id, now=now)
        session.commit()
    return len(owed)


def digest_time(now: datetime, zone: tzinfo, hour: int) -> datetime:
    """The latest ``hour`` o'clock in ``zone`` at or before ``now``, in UTC: the day's digest
    is owed to whoever got none since then."""
    local = now.astimezone(zone)
    today = datetime.combine(local.date(), time(hour), tzinfo=zone)
    due = (
        today
        if today <= local
        else datetime.combine(local.date() - timedelta(days=1), time(hour), tzinfo=zone)
    )
    return due.astimezone(UTC)


def send_digests(now: datetime | None = None) -> int:
    """The chore: each member who chose the digest and got none since this day's digest
    hour (``LMS_DIGEST_HOUR`` in ``LMS_TIME_ZONE``) gets one, if any post they follow is
    new; each claimed first, so that two runs (or two workers) send it once a day. How many
    digests were queued. ``now``: the clock, for tests."""
    settings = current_settings()
    session, now = get_session(), now or utcnow()
    before = digest_time(now, settings.zone, settings.digest_hour)
    sent = 0
    for profile in queries.digests_due(session, before):
        sent += _send_digest(session, profile.user_id, before, now)
        session.commit()
    return sent


def _send_digest(session: Session, user_id: int, before: datetime, now: datetime) -> int:
    claimed = rows_changed(
        session,
        update(MemberProfile)
        .where(MemberProfile.user_id == user_id, queries.digest_owed(before))
        .values(last_digest_at=now)
        .execution_options(synchronize_session=False),
    )
    user = accounts.user_by_id(session, user_id) if claimed else None
    profile = session.get(MemberProfile, user_id)
    if user is None or profile is None or user.is_deleted:
        return 0
    viewer = Viewer(user.id, user.is_staff)
    found = queries.new_posts_for(session, viewer, profile.digest_after_post_id, DIGEST_POSTS + 1)
    if not found:
        return 0
    shown, more = found[:DIGEST_POSTS], len(found) > DIGEST_POSTS
    profile.digest_after_post_id = queries.latest_post_id(session) if more else shown[-1].id
    writers = queries.authors(session, [p.author_id for p in shown])
    entries = [
        DigestEntry(
            link=external_url("communities.post", post_id=p.id),
            thread_title=p.thread_title,
            thread_language=p.thread_language,
            author=lazy_shown_name(writers.get(p.author_id or 0), p.author_id),
            excerpt=mails.excerpt(p.body),
            language=p.language,
            created_at=p.created_at,
        )
        for p in shown
    ]
    language = language_or_default(user.language)
    link = unsubscribe_link(user.id, Stream.DIGEST, 0, profile.mail_mode_at)
    outbox.enqueue(
        session,
        mails.digest_mail(entries, more, to=user.email, language=language, unsubscribe_link=link),
    )
    return 1


def queue(post_id: int) -> None:
    """Queue the mails about ``post_id`` (once its transaction is committed)."""
    jobs.enqueue(POST_JOB, post_id)


def init_app(app: Flask) -> None:
    jobs.register(app, POST_JOB, notify_post, retries=3)
    jobs.register_chore(app, OWED_CHORE, notify_owed, every_minutes=OWED_EVERY_MINUTES)
    jobs.register_chore(app, DIGEST_CHORE, send_digests, every_minutes=DIGEST_EVERY_MINUTES)
