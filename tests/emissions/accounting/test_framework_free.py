"""The accounting kernel is plain Python: no Django, DRF, Celery or WeasyPrint imports."""

from __future__ import annotations

import ast
from pathlib import Path

import emissions.accounting

FORBIDDEN = ("django", "rest_framework", "celery", "weasyprint", "zerocarbon")
PACKAGE = Path(emissions.accounting.__file__).parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def test_no_module_of_the_kernel_imports_a_framework() -> None:
    for path in sorted(PACKAGE.glob("*.py")):
        for name in _imports(path):
            assert name.split(".")[0] not in FORBIDDEN, f"{path.name} imports {name}"


def test_every_module_of_the_kernel_says_why_in_a_docstring_and_stays_small() -> None:
    for path in sorted(PACKAGE.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert ast.get_docstring(ast.parse(text)), path.name
        assert len(text.splitlines()) < 400, path.name
