"""Staff's pure core imports neither Flask nor the database (DESIGN.md rule 2)."""

from __future__ import annotations

import pytest

from tests.support.imports import imported_modules

PURE = ("roster", "report", "chart", "analysis", "exports", "periods")
FORBIDDEN = ("flask", "flask_babel", "flask_login", "sqlalchemy", "lms.db", "lms.accounts")
ALLOWED_LMS = (
    *(f"lms.staff.{name}" for name in PURE),
    "lms.content",
    "lms.quizzes.grading",
    "lms.quizzes.questions",
    "lms.quizzes.snapshot",
)
"""Grading is pure too: item analysis judges answers exactly as grading does."""


@pytest.mark.parametrize("module", PURE)
def test_a_pure_module_imports_neither_flask_nor_the_database(module: str) -> None:
    for name in imported_modules(f"lms.staff.{module}"):
        assert not name.startswith(FORBIDDEN), f"lms.staff.{module} imports {name}"
        if name.startswith("lms."):
            assert name in ALLOWED_LMS, f"lms.staff.{module} imports {name}"
