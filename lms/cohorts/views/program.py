"""A member's programs (their cohorts) atop their own dashboard: not a staff page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup

from lms.catalog import current_catalog
from lms.cohorts import pages, queries
from lms.content import Catalog
from lms.db import get_session, utcnow
from lms.i18n import current_language
from lms.learning import queries as learning_queries
from lms.learning import services as learning
from lms.live import pages as live_pages
from lms.live import queries as live_queries
from lms.live.pages import ProgramSessions
from lms.panels import render_panel

if TYPE_CHECKING:
    from lms.accounts.models import User
    from lms.cohorts.models import Cohort


def program_panel(user: User) -> Markup:
    """The programs (cohorts) ``user`` belongs to, atop their dashboard (see ``lms.panels``)."""
    session, catalog, language = get_session(), current_catalog(), current_language()
    # An archived cohort is over: its program leaves the member's dashboard too.
    memberships = [m for m in queries.memberships_of(session, user) if m.cohort.archived_at is None]
    if not memberships:
        return Markup()
    progress = learning.progress_by_course(session, user, catalog)
    completed = learning_queries.completed_courses(session, user, list(catalog.courses))
    programs = [
        pages.program(m, catalog, language, completed, progress, _sessions(user, catalog, m.cohort))
        for m in memberships
    ]
    return render_panel("cohorts/_program.html", programs=programs)


def _sessions(user: User, catalog: Catalog, cohort: Cohort) -> ProgramSessions | None:
    """The live sessions the cohort's certificate requires, as ``user``'s steps."""
    definition = catalog.certificates.get(cohort.certificate_id or "")
    requirement = definition.requires_sessions if definition is not None else None
    if requirement is None:
        return None
    session = get_session()
    counted = live_queries.counted_sessions(session, requirement)
    attended = live_queries.attended_session_ids(session, user.id, [s.id for s in counted])
    return live_pages.program_sessions(
        counted,
        attended,
        live_queries.registrations_by_session(session, user),
        required=requirement.count,
        language=current_language(),
        now=utcnow(),
    )
