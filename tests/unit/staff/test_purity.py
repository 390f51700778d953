"""Staff's pure core imports neither Flask nor the database (DESIGN.md rule 2)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
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


def imported(module: str) -> set[str]:
    path = ROOT / "lms" / "staff" / f"{module}.py"
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("module", PURE)
def test_a_pure_module_imports_neither_flask_nor_the_database(module: str) -> None:
    for name in imported(module):
        assert not name.startswith(FORBIDDEN), f"lms.staff.{module} imports {name}"
        if name.startswith("lms."):
            assert name in ALLOWED_LMS, f"lms.staff.{module} imports {name}"
