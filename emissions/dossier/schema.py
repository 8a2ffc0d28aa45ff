"""The JSON Schema of `zerocarbon.dossier/1` and its errors, translated to readable ones.

The schema (`dossier.schema.json`) holds the shape: keys, types, enums, non-negative numbers.
Numbers are JSON numbers or decimal strings; a JSON number may arrive as `int`, `float` or
`Decimal` (files are parsed with `parse_float=Decimal`), but never as NaN or infinity.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import Any, cast

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError
from jsonschema.protocols import Validator

from emissions.dossier.errors import DossierError, pointer

SCHEMA_RESOURCE = "dossier.schema.json"
_NEGATIVE_DECIMAL = re.compile(r"-[0-9]+(\.[0-9]+)?")
_EXPECTED_TYPE = {
    "object": "a JSON object",
    "array": "a list",
    "string": "a string",
    "integer": "an integer",
    "boolean": "true or false",
}
_DECIMAL_EXPECTED = 'a decimal number (a JSON number or a decimal string such as "12.5")'


# Digits a number may have before and after its decimal point. Any sane quantity fits, and it
# keeps every number writable as a plain decimal string: a JSON number such as 1e-999999 would
# otherwise become a million characters, and 1e999999 a million-digit integer.
MAX_DIGITS = 40


def _as_decimal(instance: object) -> Decimal | None:
    """A JSON number as a Decimal; None for anything else, including booleans, NaN, infinity."""
    if isinstance(instance, bool) or not isinstance(instance, int | float | Decimal):
        return None
    if isinstance(instance, float) and not math.isfinite(instance):
        return None
    number = Decimal(repr(instance)) if isinstance(instance, float) else Decimal(instance)
    return number if number.is_finite() else None


def _in_range(number: Decimal) -> bool:
    exponent = number.as_tuple().exponent
    return number.adjusted() < MAX_DIGITS and isinstance(exponent, int) and exponent >= -MAX_DIGITS


def _is_number(_checker: object, instance: object) -> bool:
    number = _as_decimal(instance)
    return number is not None and _in_range(number)


def _is_integer(_checker: object, instance: object) -> bool:
    number = _as_decimal(instance)
    return number is not None and _in_range(number) and number == number.to_integral_value()


_TYPE_CHECKER = Draft202012Validator.TYPE_CHECKER.redefine_many(
    {"number": _is_number, "integer": _is_integer}
)
_DossierValidator = validators.extend(  # type: ignore[no-untyped-call]
    Draft202012Validator, type_checker=_TYPE_CHECKER
)


@cache
def dossier_schema() -> dict[str, Any]:
    """The schema document, as shipped next to this module."""
    text = resources.files(__package__).joinpath(SCHEMA_RESOURCE).read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@cache
def _validator() -> Validator:
    schema = dossier_schema()
    Draft202012Validator.check_schema(schema)
    validator: Validator = _DossierValidator(schema)
    return validator


@dataclass(frozen=True)
class _Breach:
    """The parts of a jsonschema `ValidationError` that the messages use, typed."""

    keyword: str
    path: tuple[str | int, ...]
    instance: Any
    value: Any  # the keyword's value in the schema
    schema: Mapping[str, Any]
    message: str

    @classmethod
    def of(cls, error: ValidationError) -> _Breach:
        schema = error.schema if isinstance(error.schema, Mapping) else {}
        return cls(
            str(error.validator),
            tuple(error.absolute_path),
            error.instance,
            error.validator_value,
            schema,
            error.message,
        )


def schema_errors(data: object) -> list[DossierError]:
    """Every breach of the schema, each at the JSON path it concerns."""
    found: list[DossierError] = []
    for error in _validator().iter_errors(cast(Any, data)):
        found.extend(_translate(_Breach.of(error)))
    return list(dict.fromkeys(found))  # one "required" breach names every missing key


def show(value: object) -> str:
    """A short, JSON-like rendering of a value for messages."""
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, Decimal | float | int) and not isinstance(value, bool):
        return str(value)
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + '…"'


def _path(breach: _Breach) -> str:
    return pointer(*breach.path)


def _field(breach: _Breach) -> str:
    parts = [part for part in breach.path if isinstance(part, str)]
    return parts[-1] if parts else "value"


def _required(breach: _Breach) -> Iterator[DossierError]:
    for key in breach.value:
        if key not in breach.instance:
            yield DossierError(pointer(*breach.path, key), f"missing required field {key!r}")


def _additional(breach: _Breach) -> Iterator[DossierError]:
    allowed = list(breach.schema.get("properties", {}))
    for key in breach.instance:
        if key not in allowed:
            yield DossierError(
                pointer(*breach.path, key),
                f"unknown key {key!r}; allowed keys here: {', '.join(allowed)}",
            )


def _type(breach: _Breach) -> str:
    number = _as_decimal(breach.instance)
    if number is not None and not _in_range(number):
        return (
            f"number {number} is out of range; expected at most {MAX_DIGITS} digits before"
            " and after the decimal point"
        )
    wanted = breach.value
    expected = _DECIMAL_EXPECTED if isinstance(wanted, list) else _EXPECTED_TYPE.get(wanted, wanted)
    return f"expected {expected}, got {show(breach.instance)}"


def _enum(breach: _Breach) -> str:
    options = ", ".join(str(option) for option in breach.value)
    return f"unknown {_field(breach)} {show(breach.instance)}; expected one of {options}"


def _const(breach: _Breach) -> str:
    return f"{show(breach.instance)} is not supported; expected exactly {show(breach.value)}"


def _negative(breach: _Breach) -> str:
    return f"negative value {breach.instance} is not allowed; expected a number ≥ 0"


def _pattern(breach: _Breach) -> str:
    if _NEGATIVE_DECIMAL.fullmatch(breach.instance):
        return _negative(breach)
    return f"{show(breach.instance)} is not a decimal number; expected {_DECIMAL_EXPECTED}"


def _minimum(breach: _Breach) -> str:
    if breach.value == 0:
        return _negative(breach)
    return f"{show(breach.instance)} is too small; expected at least {breach.value}"


def _item_count(breach: _Breach) -> str:
    low, high = breach.schema.get("minItems", 0), breach.schema.get("maxItems")
    wanted = f"exactly {low}" if low == high else f"{low} to {high}"
    return f"expected {wanted} values, got {len(breach.instance)}"


def _min_length(_breach: _Breach) -> str:
    return "must not be empty"


_MESSAGES: dict[str, Callable[[_Breach], str]] = {
    "type": _type,
    "enum": _enum,
    "const": _const,
    "pattern": _pattern,
    "minimum": _minimum,
    "minItems": _item_count,
    "maxItems": _item_count,
    "minLength": _min_length,
}


def _translate(breach: _Breach) -> list[DossierError]:
    if breach.keyword == "required":
        return list(_required(breach))
    if breach.keyword == "additionalProperties":
        return list(_additional(breach))
    message = _MESSAGES.get(breach.keyword)
    text = message(breach) if message else breach.message
    return [DossierError(_path(breach), text)]
