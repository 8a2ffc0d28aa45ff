"""A valid dossier as its normalised document: the plain dict the platform stores and exports.

Numbers become `Decimal`, integers `int`, dates `datetime.date`; keys follow the spec's order;
`rubric`, `gwp_set` and `grid_factor_scope` get their defaults; the province becomes its short
name. What the platform cannot tell from absent is dropped, so that a document and its export
normalise alike: an empty optional text (`"name_en": ""`), an empty optional list or object
(`"credits": []`, `"answers": {}`); a reduction measure's `verified` defaults to false.
`gates` and `answers` are kept as given (the rubric layer checks them), except that numbers
are normalised as JSON sees them: a float becomes `Decimal`, and an integral number (`2.0`,
`2E+0`) the integer it is, so that `2.0` and `2` are one answer with one input hash.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, cast

from emissions.accounting.regions import normalise_province
from emissions.dossier.context import to_decimal
from emissions.dossier.layout import (
    DATE_KEYS,
    DECIMAL_KEYS,
    DECIMAL_LIST_KEYS,
    DEFAULT_GRID_FACTOR_SCOPE,
    DEFAULT_GWP_SET,
    DEFAULT_RUBRIC,
    FREE_SECTIONS,
    INTEGER_KEYS,
    LIST_SECTIONS,
    SECTION_KEYS,
    TOP_LEVEL_KEYS,
)

Document = dict[str, Any]
Item = Mapping[str, object]
_REQUIRED = frozenset({"energy", "gates"})
_DEFAULTS = {
    "rubric": DEFAULT_RUBRIC,
    "gwp_set": DEFAULT_GWP_SET,
    "grid_factor_scope": DEFAULT_GRID_FACTOR_SCOPE,
}


def _value(key: str, value: object) -> object:
    if key in DECIMAL_KEYS:
        return to_decimal(value)
    if key in DECIMAL_LIST_KEYS:
        return [to_decimal(entry) for entry in cast(list[object], value)]
    if key in INTEGER_KEYS:
        return int(to_decimal(value))
    if key in DATE_KEYS:
        return date.fromisoformat(cast(str, value))
    return value


_ENTRY_DEFAULTS: dict[str, dict[str, object]] = {"reduction_measures": {"verified": False}}


def _ordered(keys: tuple[str, ...], raw: Mapping[str, object]) -> dict[str, object]:
    # Required texts cannot be empty (schema minLength), so "" is always an optional text.
    return {key: _value(key, raw[key]) for key in keys if key in raw and raw[key] != ""}


def free_value(value: object) -> object:
    """A free-form JSON value as given; numbers as JSON means them (see the module doc)."""
    if isinstance(value, float | Decimal):
        number = to_decimal(value)
        return int(number) if number == number.to_integral_value() else number
    if isinstance(value, Mapping):
        return {key: free_value(entry) for key, entry in value.items()}
    if isinstance(value, list):
        return [free_value(entry) for entry in value]
    return value


def _section(key: str, raw: object) -> object:
    if key in FREE_SECTIONS:
        return free_value(raw)
    # The schema has checked the shapes: list sections hold objects, sections are objects.
    if key in LIST_SECTIONS:
        defaults = _ENTRY_DEFAULTS.get(key, {})
        return [
            _ordered(SECTION_KEYS[key], {**defaults, **entry}) for entry in cast(list[Item], raw)
        ]
    if key in SECTION_KEYS:
        return _ordered(SECTION_KEYS[key], cast(Item, raw))
    return _value(key, raw)


def normalise_document(data: Mapping[str, object]) -> Document:
    """The normalised document of a dossier that passed every reading rule."""
    merged = {**_DEFAULTS, **data}
    document: Document = {
        key: _section(key, merged[key])
        for key in TOP_LEVEL_KEYS
        if key in merged and (merged[key] not in ([], {}) or key in _REQUIRED)
    }
    factory = document["factory"]
    factory["province"] = normalise_province(factory["province"])
    return document
