"""Write a normalised dossier document back in the `zerocarbon.dossier/1` format.

Quantities are written as decimal strings (exact, as in the examples), dates as ISO strings,
keys in the spec's order. In the free-form `gates` and `answers`, numbers stay JSON numbers
(written exactly from their Decimal) so that reading the output gives the same document.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from emissions.dossier.layout import FREE_SECTIONS, SECTION_KEYS, TOP_LEVEL_KEYS

_INDENT = "  "


def _decimal_text(value: Decimal) -> str:
    return format(value, "f")


def _ordered(mapping: Mapping[str, Any], order: tuple[str, ...]) -> list[str]:
    position = {key: index for index, key in enumerate(order)}
    return sorted(mapping, key=lambda key: position.get(key, len(order)))


def _typed(value: Any, order: tuple[str, ...] = ()) -> Any:
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {key: _typed(value[key]) for key in _ordered(value, order)}
    if isinstance(value, list):
        return [_typed(entry, order) for entry in value]
    return value


def to_jsonable(document: Mapping[str, Any]) -> dict[str, Any]:
    """The document with typed quantities as decimal strings and dates as ISO strings.

    Numbers in `gates` and `answers` stay `Decimal` (JSON numbers); `document_to_json` writes
    them exactly.
    """
    return {
        key: document[key]
        if key in FREE_SECTIONS
        else _typed(document[key], SECTION_KEYS.get(key, ()))
        for key in _ordered(document, TOP_LEVEL_KEYS)
    }


def _encode(value: Any, depth: int) -> str:
    if isinstance(value, Decimal):
        return _decimal_text(value)
    if isinstance(value, Mapping) and value:
        inner = _INDENT * (depth + 1)
        members = [
            f"{inner}{_encode(key, 0)}: {_encode(entry, depth + 1)}" for key, entry in value.items()
        ]
        return "{\n" + ",\n".join(members) + "\n" + _INDENT * depth + "}"
    if isinstance(value, list) and value:
        inner = _INDENT * (depth + 1)
        entries = [inner + _encode(entry, depth + 1) for entry in value]
        return "[\n" + ",\n".join(entries) + "\n" + _INDENT * depth + "]"
    return json.dumps(value, ensure_ascii=False, allow_nan=False)


def document_to_json(document: Mapping[str, Any]) -> str:
    """The document as dossier JSON text (UTF-8 friendly, indent 2, trailing newline)."""
    return _encode(to_jsonable(document), 0) + "\n"
