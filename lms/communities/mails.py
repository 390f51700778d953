"""The mails communities send, each in its reader's language, each with a link to change or
stop them: a new post someone follows, the daily digest, a report to the moderators, and
telling an author that a moderator hid their post or showed it again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from lms.communities.models import Community
from lms.communities.pages import community_label, lazy_shown_name
from lms.communities.queries import Author
from lms.communities.unsubscribe import ONE_CLICK
from lms.content import Catalog
from lms.mail import Mail, external_url, render_mail

TEMPLATES = "communities/email"
EXCERPT_CHARACTERS = 400
"""A digest quotes each post up to here; the link leads to the rest."""


def excerpt(text: str, limit: int = EXCERPT_CHARACTERS) -> str:
    """The start of ``text``, cut at a space, with an ellipsis if anything was left out."""
    text = text.strip()
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip() + "…"


@dataclass(frozen=True)
class PostNews:
    """What a mail about one new post tells."""

    post_id: int
    thread_title: str
    thread_language: str
    community: Community
    author: Author | None
    author_id: int | None
    body: str
    html: str
    language: str
    opens_thread: bool


def unsubscribe_headers(link: str) -> tuple[tuple[str, str], ...]:
    """``List-Unsubscribe`` with its one-click POST (RFC 8058), for mail clients' own
    "Unsubscribe" button."""
    return (("List-Unsubscribe", f"<{link}>"), ONE_CLICK)


def post_mail(
    news: PostNews, catalog: Catalog, *, to: str, language: str, unsubscribe_link: str
) -> Mail:
    """A new post in a thread or community the reader follows, with its whole text;
    ``unsubscribe_link`` stops the follow it came from."""
    subject = (
        _l("New discussion: %(title)s", title=news.thread_title)
        if news.opens_thread
        else _l("New reply in “%(title)s”", title=news.thread_title)
    )
    return render_mail(
        f"{TEMPLATES}/new_post",
        to=to,
        language=language,
        subject=subject,
        news=news,
        community=community_label(news.community, catalog, language),
        author=lazy_shown_name(news.author, news.author_id),
        post_link=external_url("communities.post", post_id=news.post_id),
        settings_link=external_url("communities.settings"),
        unsubscribe_link=unsubscribe_link,
        headers=unsubscribe_headers(unsubscribe_link),
    )


@dataclass(frozen=True)
class DigestEntry:
    link: str
    thread_title: str
    thread_language: str
    author: object
    """The writer's name (``lazy_shown_name``): translated as the digest is rendered."""
    excerpt: str
    language: str
    created_at: datetime


def digest_mail(
    entries: list[DigestEntry], more: bool, *, to: str, language: str, unsubscribe_link: str
) -> Mail:
    """The day's new posts the reader follows, oldest first; ``more``: some were left out."""
    return render_mail(
        f"{TEMPLATES}/digest",
        to=to,
        language=language,
        subject=lazy_ngettext(
            "Your communities today: %(num)d new post",
            "Your communities today: %(num)d new posts",
            len(entries),
        ),
        entries=entries,
        more=more,
        index_link=external_url("communities.index"),
        settings_link=external_url("communities.settings"),
        unsubscribe_link=unsubscribe_link,
        headers=unsubscribe_headers(unsubscribe_link),
    )


def report_mail(
    *,
    to: str,
    language: str,
    community: Community,
    catalog: Catalog,
    thread_title: str,
    thread_language: str,
    body: str,
    post_language: str,
    reason: str,
) -> Mail:
    """A member reported a post in a community the reader moderates."""
    return render_mail(
        f"{TEMPLATES}/report",
        to=to,
        language=language,
        subject=_l("A post was reported in %(community)s",
                   community=community_label(community, catalog, language).text),
        community=community_label(community, catalog, language),
        thread_title=thread_title,
        thread_language=thread_language,
        excerpt=excerpt(body),
        post_language=post_language,
        reason=reason,
        reports_link=external_url("communities.reports", community_id=community.id),
        settings_link=external_url("communities.settings"),
    )  # fmt: skip


@dataclass(frozen=True)
class ModeratedPost:
    """What a mail to a post's author says of it: where it is and what it said."""

    post_id: int
    body: str
    post_language: str
    thread_title: str
    thread_language: str
    community: Community


def moderated_mail(
    moderated: ModeratedPost, catalog: Catalog, *, to: str, language: str, reason: str | None
) -> Mail:
    """To a post's author: a moderator hid it (``reason``: why) or, with None, showed it
    again."""
    community = community_label(moderated.community, catalog, language)
    hidden = reason is not None
    return render_mail(
        f"{TEMPLATES}/hidden" if hidden else f"{TEMPLATES}/restored",
        to=to,
        language=language,
        subject=(
            _l("A moderator hid your post in %(community)s", community=community.text)
            if hidden
            else _l("Your post in %(community)s is shown again", community=community.text)
        ),
        community=community,
        moderated=moderated,
        excerpt=excerpt(moderated.body),
        reason=reason,
        post_link=external_url("communities.post", post_id=moderated.post_id),
    )
