"""The certificates' pure core imports neither Flask nor the database (DESIGN.md rule 2)."""

from __future__ import annotations


import pytest

from tests.support.imports import imported_modules


PURE = ("codes", "pdf", "badges", "document", "page", "typesetting")
FORBIDDEN = ("flask", "flask_babel", "flask_login", "sqlalchemy", "lms.db", "lms.accounts")


@pytest.mark.parametrize("module", PURE)
def test_a_pure_module_imports_neither_flask_nor_the_database(module: str) -> None:
    for name in imported_modules(f"lms.certificates.{module}"):
        assert not name.startswith(FORBIDDEN), f"lms.certificates.{module} imports {name}"
        if name.startswith("lms."):
            assert name.startswith(("lms.certificates.", "lms.content")), name
            assert name != "lms.certificates.models", name
