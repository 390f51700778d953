"""What communities' pages and mails show: names of communities, lessons and writers in the
reader's language, and each post as one reader may see it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext, lazy_gettext

from lms.communities.models import Community, CommunityKind
from lms.communities.queries import Author, PostRow, ThreadRow, Viewer
from lms.communities.rendering import render
from lms.content import Catalog
from lms.pagination import clamp_page, page_count

THREADS_PER_PAGE = 25
POSTS_PER_PAGE = 25
EDIT_WINDOW = timedelta(minutes=30)
"""How long after sending it a member may change their post: long enough to fix a typo,
short enough that replies are not left answering something else."""


def may_edit(author_id: int | None, created_at: datetime, member_id: int, now: datetime) -> bool:
    """Whether the member may still change a post (its page offers it; the service's
    guarded update decides)."""
    return author_id == member_id and now - created_at < EDIT_WINDOW


@dataclass(frozen=True)
class Label:
    """Text with the language it is in, for a ``lang`` attribute where it differs."""

    text: str
    language: str


def community_label(community: Community, catalog: Catalog, language: str) -> Label:
    """A space's name in ``language``; a course's discussion is named after the course."""
    if community.kind is CommunityKind.COURSE:
        course = catalog.course(community.course_id or "")
        if course is None:
            return Label(community.course_id or "", language)
        return Label(course.title.get(language), course.language_for(language))
    name = community.name_fr if language == "fr" else community.name_en
    if name:
        return Label(name, language)
    other = "en" if language == "fr" else "fr"
    return Label(community.name_en or community.name_fr, other)


def community_description(community: Community, language: str) -> Label | None:
    """A space's description as safe HTML (staff write it in Markdown too)."""
    text = community.description_fr if language == "fr" else community.description_en
    if text.strip():
        return Label(render(text, language), language)
    other_text = community.description_en if language == "fr" else community.description_fr
    other = "en" if language == "fr" else "fr"
    if other_text.strip():
        return Label(render(other_text, other), other)
    return None


def lesson_label(
    catalog: Catalog, community: Community, lesson: str | None, language: str
) -> Label | None:
    """The title of the lesson a course's thread is about, if it is still in the course."""
    if lesson is None or community.course_id is None:
        return None
    course = catalog.course(community.course_id)
    found = course.lessons.get(lesson) if course is not None else None
    if course is None or found is None:
        return None
    return Label(found.title.get(language), course.language_for(language))


def shown_name(author: Author | None, user_id: int | None) -> str:
    """How a writer is named: their chosen name, else "Member 12"; "A former member" once
    their account is deleted. Never anything from their email address."""
    if author is None or user_id is None or author.former:
        return gettext("A former member")
    if author.display_name:
        return author.display_name
    return gettext("Member %(number)d", number=user_id)


def lazy_shown_name(author: Author | None, user_id: int | None) -> object:
    """``shown_name`` for a mail, translated as it is rendered in its reader's language."""
    if author is not None and user_id is not None and not author.former and author.display_name:
        return author.display_name
    if author is None or user_id is None or author.former:
        return lazy_gettext("A former member")
    return lazy_gettext("Member %(number)d", number=user_id)


@dataclass(frozen=True)
class Pages:
    number: int
    pages: int


def pages_of(total: int, asked: int, per_page: int) -> Pages:
    pages = page_count(total, per_page)
    return Pages(clamp_page(asked, pages), pages)


@dataclass(frozen=True)
class Listing:
    """A page of a community's threads, their writers, and where the page is."""

    rows: Sequence[ThreadRow]
    authors: Mapping[int, Author]
    position: Pages
    total: int


@dataclass(frozen=True)
class PostView:
    """A post as one reader sees it."""

    row: PostRow
    author: str
    author_is_staff: bool
    mine: bool
    shows_text: bool
    """False for a post hidden from this reader (or erased): a line says so instead."""
    hidden: bool
    editable: bool
    reportable: bool


def post_views(
    rows: list[PostRow],
    authors: dict[int, Author],
    viewer: Viewer,
    *,
    moderates: bool,
    locked: bool,
    now: datetime,
) -> list[PostView]:
    """``rows`` as ``viewer`` sees them: a hidden post's text to its author and the
    moderators only, with the reason; edit and report offered where they would work."""
    views = []
    for row in rows:
        author = authors.get(row.author_id) if row.author_id is not None else None
        mine = row.author_id == viewer.user_id
        hidden = row.hidden_at is not None
        shown = not row.erased and (not hidden or mine or moderates)
        views.append(
            PostView(
                row=row,
                author=shown_name(author, row.author_id),
                author_is_staff=author is not None and author.staff,
                mine=mine,
                shows_text=shown,
                hidden=hidden,
                editable=(
                    not hidden
                    and not row.erased
                    and not locked
                    and may_edit(row.author_id, row.created_at, viewer.user_id, now)
                ),
                reportable=not mine and not hidden and not row.erased and not row.reported,
            )
        )
    return views
