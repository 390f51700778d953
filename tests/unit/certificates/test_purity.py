"""The certificates' pure core imports neither Flask nor the database (DESIGN.md rule 2)."""

from __future__ import annotations

import ast

import pytest

from tests.unit.certificates.conftest import ROOT

PURE = ("codes", "pdf", "badges", "document", "page", "typesetting")
FORBIDDEN = ("flask", "flask_babel", "flask_login", "sqlalchemy", "lms.db", "lms.accounts")


def imported(module: str) -> set[str]:
    path = ROOT / "lms" / "certificates" / f"{module}.py"
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
        assert not name.startswith(FORBIDDEN), f"lms.certificates.{module} imports {name}"
        if name.startswith("lms."):
            assert name.startswith(("lms.certificates.", "lms.content")), name
            assert name != "lms.certificates.models", name
