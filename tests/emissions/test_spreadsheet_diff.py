"""The diff kernel: what would change between two dossier documents (no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from emissions.dossier.diff import Change, by_field, diff, plain

CASES: list[tuple[str, Any, Any, list[Change]]] = [
    ("equal documents", {"year": 2023}, {"year": 2023}, []),
    (
        "a changed quantity",
        {"energy": [{"quantity": Decimal("12.4")}]},
        {"energy": [{"quantity": Decimal("13.1")}]},
        [Change("/energy/0/quantity", "changed", "12.4", "13.1")],
    ),
    (
        "padding is no change",
        {"energy": [{"quantity": Decimal("12.40")}]},
        {"energy": [{"quantity": Decimal("12.4")}]},
        [],
    ),
    (
        "a line added at the end",
        {"credits": []},
        {"credits": [{"vintage": 2023}]},
        [Change("/credits/0", "added", None, {"vintage": 2023})],
    ),
    (
        "a line removed",
        {"energy": [{"unit": "t"}, {"unit": "kg"}]},
        {"energy": [{"unit": "t"}]},
        [Change("/energy/1", "removed", {"unit": "kg"}, None)],
    ),
    (
        "a key added and one removed",
        {"production": {"output": Decimal(5)}},
        {"baseline": {"year": 2020}},
        [
            Change("/production", "removed", {"output": "5"}, None),
            Change("/baseline", "added", None, {"year": 2020}),
        ],
    ),
    (
        "a number and its decimal string",
        {"answers": {"A": "0.95"}},
        {"answers": {"A": Decimal("0.95")}},
        [],
    ),
    (
        "a boolean turned into a number",
        {"answers": {"A": True}},
        {"answers": {"A": 1}},
        [Change("/answers/A", "changed", True, 1)],
    ),
    (
        "serial texts compare as text",
        {"s": "0001"},
        {"s": "1"},
        [Change("/s", "changed", "0001", "1")],
    ),
    (
        "a date, and a key with a slash",
        {"a/b": date(2024, 3, 15)},
        {"a/b": date(2024, 3, 16)},
        [Change("/a~1b", "changed", "2024-03-15", "2024-03-16")],
    ),
    (
        "a list turned into text",
        {"monthly": [Decimal(1)]},
        {"monthly": "none"},
        [Change("/monthly", "changed", ["1"], "none")],
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "expected"), CASES, ids=[c[0] for c in CASES])
def test_the_diff_lists_each_difference_at_its_path(
    name: str, old: Any, new: Any, expected: list[Change]
) -> None:
    assert diff(old, new) == expected


def test_a_change_is_json_ready() -> None:
    change = Change("/year", "changed", 2023, 2024)
    assert change.as_dict() == {"path": "/year", "kind": "changed", "old": 2023, "new": 2024}
    assert plain((Decimal("1E+3"), date(2024, 1, 2))) == ["1000", "2024-01-02"]


SPLITS: list[tuple[str, Any, Any, list[Change]]] = [
    (
        "a group of fields added is one change per field",
        {},
        {"baseline": {"year": 2020, "output": Decimal(5)}},
        [
            Change("/baseline/year", "added", None, 2020),
            Change("/baseline/output", "added", None, "5"),
        ],
    ),
    (
        "a section added is one change per line, each line whole",
        {},
        {"credits": [{"vintage": 2023}, {"vintage": 2024}]},
        [
            Change("/credits/0", "added", None, {"vintage": 2023}),
            Change("/credits/1", "added", None, {"vintage": 2024}),
        ],
    ),
    (
        "monthly values added are one change per month",
        {"energy": [{"unit": "t"}]},
        {"energy": [{"unit": "t", "monthly": [Decimal(1), Decimal(2)]}]},
        [
            Change("/energy/0/monthly/0", "added", None, "1"),
            Change("/energy/0/monthly/1", "added", None, "2"),
        ],
    ),
    (
        "gates removed are one change per gate",
        {"gates": {"G1": True, "G2": False}},
        {},
        [Change("/gates/G1", "removed", True, None), Change("/gates/G2", "removed", False, None)],
    ),
    (
        "a changed value and a line are kept as they are",
        {"energy": [{"unit": "t"}]},
        {"energy": [{"unit": "kg"}, {"unit": "t"}]},
        [
            Change("/energy/0/unit", "changed", "t", "kg"),
            Change("/energy/1", "added", None, {"unit": "t"}),
        ],
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "expected"), SPLITS, ids=[c[0] for c in SPLITS])
def test_by_field_splits_whole_groups_into_one_change_per_field(
    name: str, old: Any, new: Any, expected: list[Change]
) -> None:
    assert list(by_field(diff(old, new))) == expected
