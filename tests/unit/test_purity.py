"""The pure cores (DESIGN.md rule 2) import neither Flask nor the database, nor any part of
Parcours that does: checked against the very list import-linter's contract names."""

from __future__ import annotations

import tomllib

import pytest

from tests.support.apps import PROJECT
from tests.support.imports import imported_modules


def _pure_contract() -> dict[str, list[str]]:
    settings = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    contracts = settings["tool"]["importlinter"]["contracts"]
    found: dict[str, list[str]] = next(c for c in contracts if c["name"].startswith("The pure"))
    return found


CONTRACT = _pure_contract()
PURE = tuple(CONTRACT["source_modules"])
FORBIDDEN = tuple(CONTRACT["forbidden_modules"])


def test_the_contract_names_the_pure_modules_of_every_feature() -> None:
    features = {name.split(".")[1] for name in PURE if name.count(".") == 2}
    assert {"accounts", "learning", "quizzes", "certificates", "cohorts", "communities"} <= features


@pytest.mark.parametrize("module", PURE)
def test_a_pure_module_imports_only_pure_modules(module: str) -> None:
    for name in imported_modules(module):
        assert not name.startswith(FORBIDDEN), f"{module} imports {name}"
        if name.startswith("lms."):
            assert name in PURE or name.startswith("lms.content"), f"{module} imports {name}"
