"""Worked examples and small helpers shared by the dossier tests (no database)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from emissions.accounting.factors import FactorSet
from emissions.accounting.library import load_default_factor_set
from emissions.dossier import DossierError, DossierInvalid, ReadDossier, read_dossier
from emissions.dossier.loading import load_dossier_file

ROOT = Path(__file__).resolve().parents[3]
# Copies of ../shared/examples (tests/test_fixtures.py keeps them identical to the spec).
EXAMPLES = ROOT / "tests" / "fixtures" / "examples"
EXAMPLE_NAMES = ("demo-dossier", "demo-rated-dossier")
AS_OF = date(2025, 6, 30)  # the examples' evaluation date
DELETE = object()


@cache
def default_factors() -> FactorSet:
    return load_default_factor_set()


def example(name: str = "demo-dossier") -> dict[str, Any]:
    data = load_dossier_file(EXAMPLES / f"{name}.json")
    assert isinstance(data, dict)
    return data


def _parent(data: Any, pointer: str) -> tuple[Any, str]:
    *parents, last = pointer.split("/")[1:]
    node = data
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node, last


def edited(data: Mapping[str, Any], edits: Mapping[str, object]) -> dict[str, Any]:
    """A deep copy of `data` with each JSON pointer set, deleted or appended to (`/-` or the
    index just past the end)."""
    result = copy.deepcopy(dict(data))
    for pointer, value in edits.items():
        node, last = _parent(result, pointer)
        if value is DELETE:
            del node[int(last) if isinstance(node, list) else last]
        elif isinstance(node, list) and last in ("-", str(len(node))):
            node.append(value)
        elif isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return result


def read(data: object, factors: FactorSet | None = None) -> ReadDossier:
    return read_dossier(data, factors=factors or default_factors(), as_of=AS_OF)


def errors_of(data: object, factors: FactorSet | None = None) -> list[DossierError]:
    with pytest.raises(DossierInvalid) as caught:
        read(data, factors)
    return caught.value.errors
