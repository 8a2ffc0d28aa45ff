"""Typed answers to a rubric's items, read from a dossier's `answers` and `gates` objects.

The dossier spec types each answer by its item's kind and makes every wrong type or range an
error (a typo must not silently score 0). Parsing collects every error with its JSON path, so a
consultant sees all of them at once, and raises them together as `AnswerErrors`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from types import MappingProxyType
from typing import Final, TypeVar

from assessments.scoring.rubric import (
    AnyItem,
    BoolItem,
    ComputedItem,
    DeclaredGate,
    EnumItem,
    FootprintItem,
    LevelItem,
    Rubric,
)
from assessments.scoring.rubric_checks import pointer_segment
from emissions.accounting.translation import gettext as _

NA_ANSWER: Final = "na"
_DECIMAL_STRING = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_FOOTPRINT_KEYS = ("share", "third_party_verified")

ErrorList = list[tuple[str, str]]
_T = TypeVar("_T")


class NotApplicable(Enum):
    """The answer "na": the item does not apply to this factory and is left out."""

    NA = NA_ANSWER


NA: Final = NotApplicable.NA


@dataclass(frozen=True)
class Footprint:
    """PRD-2: share of main products (by output) with a footprint, and whether verified."""

    share: Decimal
    third_party_verified: bool = False


AnswerValue = bool | int | Decimal | str | Footprint | NotApplicable


@dataclass(frozen=True)
class Answers:
    """Answers by item id (missing = no evidence) and flag answers by flag id (missing = false)."""

    items: Mapping[str, AnswerValue] = field(default_factory=lambda: MappingProxyType({}))
    flags: Mapping[str, bool] = field(default_factory=lambda: MappingProxyType({}))

    def flag(self, flag_id: str) -> bool:
        return self.flags.get(flag_id, False)


class AnswerErrors(ValueError):
    """Every problem of a dossier's `answers` or `gates` object, as (JSON path, message)."""

    def __init__(self, errors: ErrorList) -> None:
        self.errors = errors
        lines = "\n".join(f"  {path}: {message}" for path, message in errors)
        super().__init__(f"{len(errors)} answer error(s):\n{lines}")


def parse_answers(rubric: Rubric, raw: object) -> Answers:
    """Type the raw JSON values of a dossier's `answers` object by the rubric's item kinds.

    Numbers may be JSON numbers or decimal strings (dossier spec); a level is a JSON integer
    and a bool is never a number. Raises `AnswerErrors` listing every error.
    """
    if not isinstance(raw, Mapping):
        message = _("expected an object, got {given}").format(given=_describe(raw))
        raise AnswerErrors([("/answers", message)])
    errors: ErrorList = []
    items: dict[str, AnswerValue] = {}
    flags: dict[str, bool] = {}
    for key, value in raw.items():
        path = f"/answers/{pointer_segment(str(key))}"
        if rubric.flag(key) is not None:
            _store(flags, key, _parse_bool(value, path, errors))
        else:
            _store(items, key, _parse_item(rubric, key, value, path, errors))
    if errors:
        raise AnswerErrors(errors)
    return Answers(items=MappingProxyType(items), flags=MappingProxyType(flags))


def parse_gates(rubric: Rubric, raw: object) -> Mapping[str, bool]:
    """Read the declared gates (G1, G2); gates the platform computes may not be declared.

    A declared gate left out counts as not declared (false), which fails it with its message.
    """
    declared = [gate.id for gate in rubric.gates if isinstance(gate, DeclaredGate)]
    if not isinstance(raw, Mapping):
        message = _("expected an object with the declared gates {gates}, got {given}")
        raise AnswerErrors(
            [("/gates", message.format(gates=", ".join(declared), given=_describe(raw)))]
        )
    errors: ErrorList = []
    for key, value in raw.items():
        path = f"/gates/{pointer_segment(str(key))}"
        gate = next((gate for gate in rubric.gates if gate.id == key), None)
        if gate is None:
            message = _("unknown gate; the declared gates are {gates}")
            errors.append((path, message.format(gates=", ".join(declared))))
        elif not isinstance(gate, DeclaredGate):
            message = _("{gate} ({name}) is computed by the platform, not declared")
            errors.append((path, message.format(gate=key, name=gate.name.en)))
        else:
            _parse_bool(value, path, errors)
    if errors:
        raise AnswerErrors(errors)
    return MappingProxyType({gate_id: raw.get(gate_id, False) is True for gate_id in declared})


def _store(target: dict[str, _T], key: str, value: _T | None) -> None:
    if value is not None:
        target[key] = value


def _parse_item(
    rubric: Rubric, key: str, value: object, path: str, errors: ErrorList
) -> AnswerValue | None:
    item = rubric.item(key)
    if item is None:
        message = _("unknown item id for rubric {code} ({edition})")
        errors.append((path, message.format(code=rubric.code, edition=rubric.edition)))
        return None
    if isinstance(item, ComputedItem):
        message = _("{item} is computed from the inventory and cannot be answered")
        errors.append((path, message.format(item=item.id)))
        return None
    if value == NA_ANSWER:
        if item.na_allowed:
            return NA
        errors.append(
            (path, _('"na" (not applicable) is not allowed for {item}').format(item=item.id))
        )
        return None
    return _parse_typed(item, value, path, errors)


def _parse_typed(item: AnyItem, value: object, path: str, errors: ErrorList) -> AnswerValue | None:
    match item:
        case BoolItem():
            return _parse_bool(value, path, errors)
        case LevelItem():
            return _parse_level(item, value, path, errors)
        case EnumItem():
            return _parse_enum(item, value, path, errors)
        case FootprintItem():
            return _parse_footprint(value, path, errors)
        case _:  # RatioItem
            return _parse_ratio(value, path, errors)


def _parse_bool(value: object, path: str, errors: ErrorList) -> bool | None:
    if isinstance(value, bool):
        return value
    errors.append((path, _("expected true or false, got {given}").format(given=_describe(value))))
    return None


def _parse_level(item: LevelItem, value: object, path: str, errors: ErrorList) -> int | None:
    level = _as_integer(value)
    if level is None or not 0 <= level <= item.levels:
        message = _("expected an integer 0..{levels}, got {given}")
        errors.append((path, message.format(levels=item.levels, given=_describe(value))))
        return None
    return level


def _parse_ratio(value: object, path: str, errors: ErrorList) -> Decimal | None:
    ratio = _as_decimal(value)
    if ratio is None or not 0 <= ratio <= 1:
        message = _("expected a number from 0 to 1 such as 0.95, got {given}")
        errors.append((path, message.format(given=_describe(value))))
        return None
    return ratio


def _parse_enum(item: EnumItem, value: object, path: str, errors: ErrorList) -> str | None:
    if isinstance(value, str) and item.option(value) is not None:
        return value
    choices = [option.value for option in item.options] + ([NA_ANSWER] if item.na_allowed else [])
    expected = ", ".join(f'"{choice}"' for choice in choices)
    message = _("expected one of {options}, got {given}")
    errors.append((path, message.format(options=expected, given=_describe(value))))
    return None


def _parse_footprint(value: object, path: str, errors: ErrorList) -> Footprint | None:
    if not isinstance(value, Mapping):
        message = _(
            'expected an object {{"share": 0..1, "third_party_verified": true/false}}, got {given}'
        )
        errors.append((path, message.format(given=_describe(value))))
        return None
    unknown = [str(key) for key in value if key not in _FOOTPRINT_KEYS]
    for key in unknown:
        message = _("unknown key; expected share, third_party_verified")
        errors.append((f"{path}/{pointer_segment(key)}", message))
    share = None
    if "share" in value:
        share = _parse_ratio(value["share"], f"{path}/share", errors)
    else:
        message = _("required: share of main products with a footprint, 0..1")
        errors.append((f"{path}/share", message))
    verified_path = f"{path}/third_party_verified"
    verified = _parse_bool(value.get("third_party_verified", False), verified_path, errors)
    if unknown or share is None or verified is None:
        return None
    return Footprint(share=share, third_party_verified=verified)


def _as_integer(value: object) -> int | None:
    """A JSON integer (2, or 2.0 from a parser that reads numbers as floats or Decimals)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    number = _as_decimal(value) if isinstance(value, float | Decimal) else None
    return int(number) if number is not None and number == number.to_integral_value() else None


def _as_decimal(value: object) -> Decimal | None:
    """A finite number, or a plain decimal string ("0.95"); bools and other text are not."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, str) and _DECIMAL_STRING.match(value):
        return Decimal(value)
    return None


def _describe(value: object) -> str:
    """The given value as the user wrote it in JSON, for "expected ..., got ..." messages."""
    if isinstance(value, Mapping):
        return _("an object")
    if isinstance(value, list | tuple):
        return _("a list")
    if isinstance(value, Decimal):
        return str(value)
    return json.dumps(value, ensure_ascii=False, default=repr)
