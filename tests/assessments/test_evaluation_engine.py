"""The canonical inputs the evaluation hashes: every kind of value written as before."""

from __future__ import annotations

import enum
from collections import OrderedDict
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any

import pytest

from assessments.evaluation.engine import canonical, canonical_json


class Kind(enum.StrEnum):
    GRID = "grid"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("text", "text"),
        (Kind.GRID, Kind.GRID),
        (3, 3),
        (True, True),
        (None, None),
        (2.5, 2.5),
        (Decimal("12.400"), "12.4"),
        (Decimal("8E+3"), "8000"),
        (date(2025, 6, 30), "2025-06-30"),
        (datetime(2025, 6, 30, 8, 5), "2025-06-30T08:05:00"),
        ((Decimal("1.0"), "a"), ["1", "a"]),
        ([{"b": Decimal("0.50")}], [{"b": "0.5"}]),
        (OrderedDict(a=(1, 2)), {"a": [1, 2]}),
        (MappingProxyType({1: date(2024, 1, 1)}), {"1": "2024-01-01"}),
    ],
)
def test_every_value_is_made_json_ready_as_the_hash_expects(value: Any, expected: Any) -> None:
    assert canonical(value) == expected
    assert type(canonical(value)) is type(expected)


def test_the_canonical_json_sorts_keys_and_has_no_spaces() -> None:
    value = {"b": [Decimal("1.50"), date(2025, 1, 2)], "a": {"中": None}}
    assert canonical_json(value) == '{"a":{"中":null},"b":["1.5","2025-01-02"]}'
