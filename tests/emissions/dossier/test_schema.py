"""The shipped JSON Schema: valid draft 2020-12, strict, and in step with the spec's key lists."""

from __future__ import annotations

import copy
import random
from collections import OrderedDict
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, cast

import pytest
from jsonschema import Draft202012Validator

from emissions.dossier import schema
from emissions.dossier.errors import DossierError
from emissions.dossier.layout import LIST_SECTIONS, SECTION_KEYS, TOP_LEVEL_KEYS
from emissions.dossier.schema import schema_errors, show
from emissions.limits import dossier_schema

from .support import example


def _objects(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        if node.get("type") == "object":
            yield node
        for value in node.values():
            yield from _objects(value)


def _section_schema(section: str) -> dict[str, Any]:
    schema = dossier_schema()
    node = schema["properties"][section]
    node = node["items"] if section in LIST_SECTIONS else node
    name = node["$ref"].rsplit("/", 1)[1]
    result: dict[str, Any] = schema["$defs"][name]
    return result


def test_the_schema_is_a_valid_draft_2020_12_schema() -> None:
    Draft202012Validator.check_schema(dossier_schema())
    assert dossier_schema()["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_every_object_with_known_keys_forbids_other_keys() -> None:
    strict = [node for node in _objects(dossier_schema()) if "properties" in node]
    assert len(strict) == 1 + len(SECTION_KEYS)
    assert all(node["additionalProperties"] is False for node in strict)


def test_the_schema_allows_exactly_the_keys_of_the_reading_rules_in_their_order() -> None:
    assert tuple(dossier_schema()["properties"]) == TOP_LEVEL_KEYS
    for section, keys in SECTION_KEYS.items():
        assert tuple(_section_schema(section)["properties"]) == keys, section


@pytest.mark.parametrize("name", ["demo-dossier", "demo-rated-dossier"])
def test_the_examples_satisfy_the_schema_alone(name: str) -> None:
    assert schema_errors(example(name)) == []


def test_a_missing_field_is_reported_at_the_path_it_would_have() -> None:
    assert schema_errors({}) == [
        DossierError(f"/{key}", f"missing required field {key!r}")
        for key in ("schema", "factory", "year", "boundary", "energy", "gates")
    ]


def test_a_key_with_a_slash_or_tilde_is_escaped_in_the_path() -> None:
    data = {**example(), "a/b~c": 1}
    assert [error.path for error in schema_errors(data)] == ["/a~1b~0c"]


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ({}, "an object"),
        ([1], "a list"),
        (True, "true"),
        (None, "null"),
        ("x" * 70, '"' + "x" * 56),
    ],
)
def test_values_are_shown_briefly_in_messages(value: object, shown: str) -> None:
    assert show(value).startswith(shown)
    assert len(show(value)) <= 60


def _listed(data: object) -> list[object]:
    """What the listing validator (jsonschema, every breach) finds, without the fast check."""
    return list(schema._validator().iter_errors(cast(Any, data)))


def test_a_valid_dossier_is_passed_by_the_fast_check_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    def listing() -> None:
        raise AssertionError("the listing validator was built")

    monkeypatch.setattr(schema, "_validator", listing)
    assert schema_errors(example("demo-rated-dossier")) == []


# Values where the two validators could read a document differently: numbers beyond the
# listing's range or precision, types the file parser never gives, text the fast check cannot
# take, values at the storage limits.
EDGE_VALUES: list[object] = [
    Decimal("1.00000000000000000001"),
    Decimal("1E+300"),
    Decimal("1E-41"),
    10**45,
    2**70,
    Decimal("12.0"),
    Decimal("-0"),
    Decimal("0.1234567"),
    Decimal("123456789012345678"),
    Decimal("1.0000000000000000000000000000000000000000001"),
    1.5,
    float("nan"),
    (1, 2),
    OrderedDict(a=1),
    {1: "x"},
    True,
    None,
    -1,
    "-3.5",
    "12.5\n",
    "١٢",
    " 12",
    "12.",
    "1e5",
    "0012.50",
    "x\ud800",
    "x\u0000",
    "x" * 201,
    "",
    "2025-02-30",
    {},
    [],
    "kWh",
    0,
]


def _pointers(node: object, at: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    yield at
    children = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else []
    )
    for key, child in children:
        yield from _pointers(child, (*at, key))


def _with(data: Any, at: tuple[str | int, ...], value: object) -> Any:
    result = copy.deepcopy(data)
    node = result
    for part in at[:-1]:
        node = node[part]
    node[at[-1]] = value
    return result


@pytest.mark.parametrize("name", ["demo-dossier", "demo-rated-dossier"])
def test_the_fast_check_passes_only_what_the_listing_passes(name: str) -> None:
    rng = random.Random(20250630)
    data = example(name)
    agreed = 0
    for _round in range(400):
        edited = data
        for _edit in range(rng.choice([1, 1, 2])):
            places = [at for at in _pointers(edited) if at]
            edited = _with(edited, rng.choice(places), rng.choice(EDGE_VALUES))
        fast = schema.is_valid(edited)
        assert not fast or _listed(edited) == [], edited
        agreed += fast
    assert agreed > 50  # the fast check does pass most valid edits
