"""Reads of communities, for the feature and for others, each in one statement whatever their
size: which communities are open to a member (``access``), a community's threads and a
thread's posts (``threads``), and what is new for a member: unread counts, mail, reports
(``news``)."""

from __future__ import annotations

from lms.communities.queries.access import (
    CommunitySummary,
    Place,
    Viewer,
    all_spaces,
    cohort_ids_of,
    communities_open_to,
    community_place,
    course_community,
    course_place,
    open_to,
    readers_of,
)
from lms.communities.queries.news import (
    UNREAD_CAP,
    NewPost,
    ReportedPost,
    digests_due,
    followers_to_mail,
    new_posts_for,
    open_report_count,
    open_reports,
    unread_count,
)
from lms.communities.queries.threads import (
    Author,
    PostRow,
    ThreadPlace,
    ThreadRow,
    authors,
    find_post,
    latest_post_id,
    moderators_of,
    post_rows,
    posts_before,
    profile_of,
    thread_count,
    thread_place,
    thread_rows,
)

__all__ = [
    "UNREAD_CAP",
    "Author",
    "CommunitySummary",
    "NewPost",
    "Place",
    "PostRow",
    "ReportedPost",
    "ThreadPlace",
    "ThreadRow",
    "Viewer",
    "all_spaces",
    "authors",
    "cohort_ids_of",
    "communities_open_to",
    "community_place",
    "course_community",
    "course_place",
    "digests_due",
    "find_post",
    "followers_to_mail",
    "latest_post_id",
    "moderators_of",
    "new_posts_for",
    "open_report_count",
    "open_reports",
    "open_to",
    "post_rows",
    "posts_before",
    "profile_of",
    "readers_of",
    "thread_count",
    "thread_place",
    "thread_rows",
    "unread_count",
]
