"""Mail about new posts: at once or in a daily digest, as each member chose, to who follows
and may read, never to the writer, once however often the job runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, select, update

from lms.catalog import current_catalog
from lms.cohorts.models import CohortMembership
from lms.communities import mail_jobs
from lms.communities.models import Audience, MailMode, MemberProfile, Post
from lms.config import ConfigurationError, current_settings
from lms.db import get_session, utcnow
from tests.support.smtp import Mailbox, links_in, path_of, text_of
from tests.web.conftest import MakeApp
from tests.web.learning_helpers import sign_in
from tests.web.staff_helpers import add_cohort, add_member, staff_app

from .helpers import add_space, ask, post_form, reply, run_chore


def _sign_in(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    sign_in(client, email)
    return client


def test_who_follows_a_community_hears_of_its_new_discussions_and_replies(
    app: Flask, people: dict[str, int], mailbox: Mailbox
) -> None:
    space = add_space(app)
    before = ask(app, people["bruno"], space, title="Before Alice followed")
    alice = _sign_in(app, "alice@example.org")
    page = f"/communities/{space}"
    assert post_form(alice, f"{page}/follow", {"state": "on"}, page).status_code == 303
    assert "unread-count" not in alice.get("/courses").get_data(as_text=True)

    bruno = _sign_in(app, "bruno@example.org")
    asked = post_form(
        bruno,
        f"{page}/ask",
        {"title": "Compensation?", "body": "How much?", "language": "en"},
        page,
    )
    assert asked.status_code == 303
    (mail,) = mailbox.to("alice@example.org")
    assert mail["Subject"] == "New discussion: Compensation?"
    assert "How much?" in text_of(mail)
    assert mailbox.to("bruno@example.org") == []
    assert '<span class="unread-count">1 unread</span>' in alice.get("/courses").get_data(
        as_text=True
    )

    thread_page = asked.headers["Location"]
    post_form(bruno, f"{thread_page}/reply", {"body": "More.", "language": "en"}, thread_page)
    assert len(mailbox.to("alice@example.org")) == 2
    assert before


def test_the_daily_digest_gathers_the_days_posts_once(
    app: Flask, people: dict[str, int], mailbox: Mailbox
) -> None:
    space = add_space(app)
    thread = ask(app, people["alice"], space, title="Digest me")
    alice = _sign_in(app, "alice@example.org")
    settings = "/communities/settings"
    saved = post_form(alice, settings, {"display_name": "", "mail_mode": "digest"}, settings)
    assert saved.status_code == 303
    bruno = _sign_in(app, "bruno@example.org")
    thread_page = f"/communities/threads/{thread}"
    for body in ("First answer.", "Second answer."):
        post_form(bruno, f"{thread_page}/reply", {"body": body, "language": "en"}, thread_page)
    assert mailbox.to("alice@example.org") == []

    assert run_chore(app, mail_jobs.send_digests) == 0  # a day has not passed
    with app.app_context():
        session = get_session()
        session.execute(update(MemberProfile).values(last_digest_at=utcnow() - timedelta(hours=25)))
        session.commit()
    assert run_chore(app, mail_jobs.send_digests) == 1
    (digest,) = mailbox.to("alice@example.org")
    assert digest["Subject"] == "Your communities today: 2 new posts"
    text = text_of(digest)
    assert "First answer." in text
    assert "Second answer." in text
    assert "Digest me" in text
    assert any(path_of(link) == "/communities/settings" for link in links_in(digest))
    assert run_chore(app, mail_jobs.send_digests) == 0
    with app.app_context():
        session = get_session()
        session.execute(update(MemberProfile).values(last_digest_at=utcnow() - timedelta(hours=25)))
        session.commit()
    assert run_chore(app, mail_jobs.send_digests) == 0  # nothing new since
    assert len(mailbox.to("alice@example.org")) == 1


def test_no_mail_once_turned_off_nor_to_a_follower_who_lost_access(
    app: Flask, people: dict[str, int], mailbox: Mailbox
) -> None:
    cohort = add_cohort(app, "FRQ")
    add_member(app, cohort, "alice@example.org", "Alice", "T", user_id=people["alice"])
    add_member(app, cohort, "bruno@example.org", "Bruno", "G", user_id=people["bruno"])
    space = add_space(app, audience=Audience.COHORTS, cohort_ids=[cohort])
    thread = ask(app, people["alice"], space)
    thread_of_bruno = ask(app, people["bruno"], space)
    bruno = _sign_in(app, "bruno@example.org")
    settings = "/communities/settings"
    post_form(bruno, settings, {"display_name": "Bruno G.", "mail_mode": "off"}, settings)
    with app.app_context():
        session = get_session()
        session.execute(delete(CohortMembership).where(CohortMembership.user_id == people["alice"]))
        session.commit()
    reply(app, people["sam"], thread)
    reply(app, people["sam"], thread_of_bruno)
    with app.app_context():
        session = get_session()
        ids = list(session.scalars(select(Post.id).order_by(Post.id)))
        for post_id in ids:
            mail_jobs.queue_post_mails(session, current_catalog(), post_id, now=utcnow())
        session.commit()
    assert mailbox.to("alice@example.org") == []
    assert mailbox.to("bruno@example.org") == []


def test_a_post_is_mailed_once_even_when_its_job_is_lost_or_run_twice(
    app: Flask, people: dict[str, int], mailbox: Mailbox
) -> None:
    space = add_space(app)
    thread = ask(app, people["alice"], space)
    answer = reply(app, people["bruno"], thread, "Nobody mailed this yet.")
    assert run_chore(app, mail_jobs.notify_owed) == 0  # too recent: its own job may still run
    with app.app_context():
        session = get_session()
        session.execute(update(Post).values(created_at=utcnow() - timedelta(minutes=5)))
        session.commit()
    assert run_chore(app, mail_jobs.notify_owed) == 2
    (mail,) = mailbox.to("alice@example.org")
    assert "Nobody mailed this yet." in text_of(mail)
    assert run_chore(app, mail_jobs.notify_owed) == 0
    run_chore(app, lambda: mail_jobs.notify_post(answer))
    assert len(mailbox.to("alice@example.org")) == 1


def test_unfollowing_a_discussion_stops_its_mail(
    app: Flask, people: dict[str, int], mailbox: Mailbox
) -> None:
    space = add_space(app)
    thread = ask(app, people["alice"], space)
    alice = _sign_in(app, "alice@example.org")
    page = f"/communities/threads/{thread}"
    assert post_form(alice, f"{page}/follow", {"state": "off"}, page).status_code == 303
    bruno = _sign_in(app, "bruno@example.org")
    post_form(bruno, f"{page}/reply", {"body": "Hello?", "language": "en"}, page)
    assert mailbox.to("alice@example.org") == []
    assert "Follow this discussion" in alice.get(page).get_data(as_text=True)


def _digest_run(app: Flask, at: datetime) -> int:
    """The digest chore run at ``at`` (the controlled clock), then what it queued sent."""
    return run_chore(app, lambda: mail_jobs.send_digests(now=at))


def test_the_digest_leaves_at_the_local_digest_hour_once_a_day_whatever_the_clock_change(
    app: Flask, people: dict[str, int], mailbox: Mailbox
) -> None:
    zone = ZoneInfo("America/Montreal")
    space = add_space(app)
    thread = ask(app, people["alice"], space, title="Digest me")
    chose = datetime(2026, 3, 7, 10, 0, tzinfo=zone)  # Saturday, the day before DST begins
    with app.app_context():
        session = get_session()
        session.add(
            MemberProfile(
                user_id=people["alice"],
                mail_mode=MailMode.DIGEST,
                last_digest_at=chose,
                mail_mode_at=chose,
            )
        )
        session.commit()
    reply(app, people["bruno"], thread, "First answer.")
    assert _digest_run(app, datetime(2026, 3, 7, 23, 0, tzinfo=zone)) == 0
    # Sunday 8 March: clocks went forward at 2:00, 7:00 EDT is 11:00 UTC, not 12:00.
    assert _digest_run(app, datetime(2026, 3, 8, 10, 59, tzinfo=UTC)) == 0
    assert _digest_run(app, datetime(2026, 3, 8, 11, 0, tzinfo=UTC)) == 1
    assert _digest_run(app, datetime(2026, 3, 8, 11, 0, tzinfo=UTC)) == 0  # run twice: once
    reply(app, people["bruno"], thread, "Second answer.")
    assert _digest_run(app, datetime(2026, 3, 8, 18, 0, tzinfo=zone)) == 0  # same day
    assert _digest_run(app, datetime(2026, 3, 9, 6, 59, tzinfo=zone)) == 0
    assert _digest_run(app, datetime(2026, 3, 9, 8, 30, tzinfo=zone)) == 1  # the worker was late
    first, second = mailbox.to("alice@example.org")
    assert "First answer." in text_of(first)
    assert "Second answer." not in text_of(first)
    assert "Second answer." in text_of(second)


def test_the_digest_hour_is_a_setting(make_app: MakeApp, mailbox: Mailbox) -> None:
    with pytest.raises(ConfigurationError, match="LMS_DIGEST_HOUR"):
        staff_app(make_app, digest_hour=24, **mailbox.settings)
    app = staff_app(make_app, digest_hour=18, **mailbox.settings)
    with app.app_context():
        zone = current_settings().zone
    assert mail_jobs.digest_time(datetime(2026, 7, 1, 17, 59, tzinfo=zone), zone, 18) == datetime(
        2026, 6, 30, 22, 0, tzinfo=UTC
    )
