"""What a module imports, read from its source: for the tests that keep pure code pure."""

from __future__ import annotations

import ast

from tests.support.apps import PROJECT


def imported_modules(module: str) -> set[str]:
    """The modules ``module`` (dotted, e.g. ``lms.cohorts.dashboard``) imports, as written."""
    path = PROJECT.joinpath(*module.split(".")).with_suffix(".py")
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names
