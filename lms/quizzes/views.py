"""Quiz pages: start or resume an attempt, submit it, see the result."""

from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("quizzes", __name__, template_folder="templates")
