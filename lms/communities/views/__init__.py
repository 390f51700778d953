"""Communities' pages: members' (one blueprint over four modules: communities, threads,
moderation, settings), staff's, and the mails' unsubscribe links (no sign-in)."""

from __future__ import annotations

from lms.communities.views import (
    communities,
    moderation,
    settings,
    staff,
    threads,
    unsubscribe,
)
from lms.communities.views.blueprint import blueprint

staff_blueprint = staff.blueprint
unsubscribe_blueprint = unsubscribe.blueprint

__all__ = [
    "blueprint",
    "communities",
    "moderation",
    "settings",
    "staff",
    "staff_blueprint",
    "threads",
    "unsubscribe",
    "unsubscribe_blueprint",
]
