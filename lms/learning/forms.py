"""Learning's forms."""

from __future__ import annotations

from flask_wtf import FlaskForm


class CompleteLessonForm(FlaskForm):
    """No fields: a POST with a CSRF token, so that another site cannot mark lessons for you."""
