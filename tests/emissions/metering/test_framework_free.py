"""The metering kernel is plain Python: the standard library and its own modules, nothing
else (no Django, DRF, Celery, pandas, nor the project's Django apps)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import emissions.metering

PACKAGE = Path(emissions.metering.__file__).parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_the_kernel_imports_only_the_standard_library() -> None:
    for path in sorted(PACKAGE.glob("*.py")):
        for name in _imports(path):
            top = name.split(".")[0]
            assert top in sys.stdlib_module_names or top == "__future__", f"{path.name}: {name}"


def test_every_module_of_the_kernel_says_why_in_a_docstring_and_stays_small() -> None:
    for path in sorted(PACKAGE.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert ast.get_docstring(ast.parse(text)), path.name
        assert len(text.splitlines()) < 400, path.name
