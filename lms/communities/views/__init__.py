"""Communities' pages: members' (one blueprint over four modules: communities, threads,
moderation, settings) and staff's."""

from __future__ import annotations

from lms.communities.views import communities, moderation, settings, staff, threads
from lms.communities.views.blueprint import blueprint

staff_blueprint = staff.blueprint

__all__ = [
    "blueprint",
    "communities",
    "moderation",
    "settings",
    "staff",
    "staff_blueprint",
    "threads",
]
