"""The shipped JSON Schema: valid draft 2020-12, strict, and in step with the spec's key lists."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator

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
