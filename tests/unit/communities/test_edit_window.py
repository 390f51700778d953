"""A post is offered for changing to its author only, for 30 minutes after it was sent."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from lms.communities.pages import EDIT_WINDOW, may_edit

SENT = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def test_the_author_may_change_it_for_30_minutes() -> None:
    assert timedelta(minutes=30) == EDIT_WINDOW
    assert may_edit(7, SENT, 7, SENT)
    assert may_edit(7, SENT, 7, SENT + timedelta(minutes=29, seconds=59))
    assert not may_edit(7, SENT, 7, SENT + timedelta(minutes=30))
    assert not may_edit(7, SENT, 7, SENT + timedelta(days=1))


def test_nobody_else_may_change_it() -> None:
    assert not may_edit(7, SENT, 8, SENT)
    assert not may_edit(None, SENT, 7, SENT)
