"""Live sessions' pages: learners' (the sessions, registering, their own sessions and
calendar feed) and staff's (scheduling, attendance, recordings)."""

from lms.live.views import attendance, my_sessions
from lms.live.views.learners import blueprint
from lms.live.views.staff import blueprint as staff_blueprint

__all__ = ["attendance", "blueprint", "my_sessions", "staff_blueprint"]
