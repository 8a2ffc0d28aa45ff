"""A valid dossier as its normalised document: the plain dict the platform stores and exports.

Numbers become `Decimal`, integers `int`, dates `datetime.date`; keys follow the spec's order;
`rubric`, `gwp_set` and `grid_factor_scope` get their defaults; the province becomes its short
name. `gates` and `answers` are kept as given (the rubric layer checks them), except that
binary floats become `Decimal`, so that no float enters the platform.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
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


def _ordered(keys: tuple[str, ...], raw: Mapping[str, object]) -> dict[str, object]:
    return {key: _value(key, raw[key]) for key in keys if key in raw}


def free_value(value: object) -> object:
    """A free-form JSON value as given, with binary floats turned into Decimal."""
    if isinstance(value, float):
        return to_decimal(value)
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
        return [_ordered(SECTION_KEYS[key], entry) for entry in cast(list[Item], raw)]
    if key in SECTION_KEYS:
        return _ordered(SECTION_KEYS[key], cast(Item, raw))
    return _value(key, raw)


def normalise_document(data: Mapping[str, object]) -> Document:
    """The normalised document of a dossier that passed every reading rule."""
    merged = {**_DEFAULTS, **data}
    document: Document = {
        key: _section(key, merged[key]) for key in TOP_LEVEL_KEYS if key in merged
    }
    factory = document["factory"]
    factory["province"] = normalise_province(factory["province"])
    return document
