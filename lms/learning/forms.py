"""Learning's forms."""

from __future__ import annotations

from lms.forms import Form


class CompleteLessonForm(Form):
    """No fields: a POST with a CSRF token, so that another site cannot mark lessons for you."""
