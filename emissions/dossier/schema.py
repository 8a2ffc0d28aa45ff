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
from typing import TYPE_CHECKING, Any, cast

import jsonschema_rs

from emissions.accounting.formatting import stripped
from emissions.accounting.translation import gettext as _
from emissions.accounting.translation import gettext_noop
from emissions.dossier.errors import DossierError, pointer
from emissions.limits import dossier_schema

if TYPE_CHECKING:
    from jsonschema.exceptions import ValidationError
    from jsonschema.protocols import Validator

_NEGATIVE_DECIMAL = re.compile(r"-[0-9]+(\.[0-9]+)?")
_EXPECTED_TYPE = {
    "object": gettext_noop("a group of named fields (an object)"),
    "array": gettext_noop("a list"),
    "string": gettext_noop("a string"),
    "integer": gettext_noop("an integer"),
    "boolean": gettext_noop("true or false"),
}
_DECIMAL_EXPECTED = gettext_noop(
    "a number such as 12.5, with a point before the decimals (a dossier file may also write"
    ' it as text, "12.5")'
)


# Digits a number may have before and after its decimal point. Any sane quantity fits, and it
# keeps every number writable as a plain decimal string: a JSON number such as 1e-999999 would
# otherwise become a million characters, and 1e999999 a million-digit integer.
MAX_DIGITS = 40


def as_decimal(instance: object) -> Decimal | None:
    """A JSON number as a Decimal; None for anything else, including booleans, NaN, infinity."""
    if isinstance(instance, bool) or not isinstance(instance, int | float | Decimal):
        return None
    if isinstance(instance, float) and not math.isfinite(instance):
        return None
    number = Decimal(repr(instance)) if isinstance(instance, float) else Decimal(instance)
    return number if number.is_finite() else None


def in_range(number: Decimal) -> bool:
    exponent = number.as_tuple().exponent
    return number.adjusted() < MAX_DIGITS and isinstance(exponent, int) and exponent >= -MAX_DIGITS


def _is_number(_checker: object, instance: object) -> bool:
    number = as_decimal(instance)
    return number is not None and in_range(number)


def _is_integer(_checker: object, instance: object) -> bool:
    number = as_decimal(instance)
    return number is not None and in_range(number) and number == number.to_integral_value()


_DECIMAL_TEXT = re.compile(r"[0-9]+(\.[0-9]+)?")


def digits_of(number: Decimal) -> tuple[int, int]:
    """Digits before and after the decimal point that an exact decimal needs (value-based:
    `0012.50` needs 2 and 1)."""
    normalised = stripped(number)
    exponent = int(normalised.as_tuple().exponent)  # finite: NaN and infinities never get here
    return max(normalised.adjusted() + 1, 0), max(-exponent, 0)


def _digits_problem(limits: Mapping[str, int], instance: object) -> str | None:
    """Custom keyword `decimalDigits` {integer, fraction}: the column's exact capacity."""
    if isinstance(instance, str):
        number = Decimal(instance) if _DECIMAL_TEXT.fullmatch(instance) else None
    else:
        number = as_decimal(instance)
        number = number if number is not None and in_range(number) else None
    if number is None:
        return None  # `type` and `pattern` report it
    integer, fraction = digits_of(number)
    if fraction > limits["fraction"]:
        message = _(
            "{value} has {places} decimal places; at most {limit} are stored exactly, so round"
            " it to that before sending"
        )
        return message.format(value=show(instance), places=fraction, limit=limits["fraction"])
    if integer > limits["integer"]:
        message = _(
            "{value} has {digits} digits before the decimal point; at most {limit} are supported"
        )
        return message.format(value=show(instance), digits=integer, limit=limits["integer"])
    return None


def _inlined(node: Any, defs: Mapping[str, Any]) -> Any:
    """The schema with every local `$ref` replaced by its definition (the dossier schema has
    no recursive definitions): resolving 160,000 references one by one took a third of the
    time of validating a dossier of 20,000 lines."""
    if isinstance(node, Mapping):
        if set(node) == {"$ref"} and node["$ref"].startswith("#/$defs/"):
            return _inlined(defs[node["$ref"].removeprefix("#/$defs/")], defs)
        return {key: _inlined(value, defs) for key, value in node.items() if key != "$defs"}
    if isinstance(node, list):
        return [_inlined(value, defs) for value in node]
    return node


@cache
def _validator() -> Validator:
    """The validator that lists every breach (jsonschema, imported only when a dossier has
    one: a valid dossier needs only the fast check)."""
    from jsonschema import Draft202012Validator, validators
    from jsonschema.exceptions import ValidationError

    def decimal_digits(
        _validator: object, limits: Mapping[str, int], instance: object, _schema: object
    ) -> Iterator[ValidationError]:
        problem = _digits_problem(limits, instance)
        if problem is not None:
            yield ValidationError(problem)

    checker = Draft202012Validator.TYPE_CHECKER.redefine_many(
        {"number": _is_number, "integer": _is_integer}
    )
    dossier_validator = validators.extend(  # type: ignore[no-untyped-call]
        Draft202012Validator, validators={"decimalDigits": decimal_digits}, type_checker=checker
    )
    schema = dossier_schema()
    Draft202012Validator.check_schema(schema)
    validator: Validator = dossier_validator(_inlined(schema, schema["$defs"]))
    return validator


class _DecimalDigits:
    """`decimalDigits` for the fast check: a breach exactly where the listing finds one."""

    def __init__(self, _parent: object, limits: Mapping[str, int], _path: object) -> None:
        self.limits = limits

    def validate(self, instance: object) -> None:
        problem = _digits_problem(self.limits, instance)
        if problem is not None:
            raise ValueError(problem)


@cache
def _fast_validator() -> jsonschema_rs.Draft202012Validator:
    schema = dossier_schema()
    return jsonschema_rs.Draft202012Validator(
        _inlined(schema, schema["$defs"]), keywords={"decimalDigits": _DecimalDigits}
    )


_SCALARS = frozenset({str, bool, type(None)})
_NUMBERS = frozenset({int, float, Decimal})


def _plain(data: object) -> bool:
    """Whether `data` holds only what the file parser gives (dicts with text keys, lists,
    text, booleans, null) and numbers within range: where the fast check and the listing read
    the schema alike (the listing's types add the range; it knows no tuple nor Mapping)."""
    stack = [data]
    while stack:
        value = stack.pop()
        kind = type(value)
        if kind is dict:
            values = cast(dict[object, object], value)
            if not all(type(key) is str for key in values):
                return False
            stack.extend(values.values())
        elif kind is list:
            stack.extend(cast(list[object], value))
        elif kind in _NUMBERS:
            if not _is_number(None, value):
                return False
        elif kind not in _SCALARS:
            return False
    return True


def is_valid(data: object) -> bool:
    """Whether `data` breaks no rule of the schema, by the fast check (jsonschema-rs, twenty
    times faster than listing the breaches): True only where the listing finds none."""
    if not _plain(data):
        return False
    try:
        return _fast_validator().is_valid(data)
    except UnicodeEncodeError:  # an unpaired surrogate, which the document check reports
        return False


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
    if is_valid(data):
        return []
    found: list[DossierError] = []
    for error in _validator().iter_errors(cast(Any, data)):
        found.extend(_translate(_Breach.of(error)))
    return list(dict.fromkeys(found))  # one "required" breach names every missing key


def show(value: object) -> str:
    """A short, JSON-like rendering of a value for messages."""
    if isinstance(value, Mapping):
        return _("an object")
    if isinstance(value, list):
        return _("a list")
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
            message = _("missing required field {key!r}").format(key=key)
            yield DossierError(pointer(*breach.path, key), message)


def _additional(breach: _Breach) -> Iterator[DossierError]:
    allowed = list(breach.schema.get("properties", {}))
    for key in breach.instance:
        if key not in allowed:
            message = _("unknown key {key!r}; allowed keys here: {allowed}")
            yield DossierError(
                pointer(*breach.path, key), message.format(key=key, allowed=", ".join(allowed))
            )


def out_of_range(number: Decimal) -> str:
    message = _(
        "number {number} is out of range; expected at most {digits} digits before and after"
        " the decimal point"
    )
    return message.format(number=number, digits=MAX_DIGITS)


def _type(breach: _Breach) -> str:
    number = as_decimal(breach.instance)
    if number is not None and not in_range(number):
        return out_of_range(number)
    wanted = breach.value
    expected = _DECIMAL_EXPECTED if isinstance(wanted, list) else _EXPECTED_TYPE.get(wanted, wanted)
    return _("expected {expected}, got {given}").format(
        expected=_(expected), given=show(breach.instance)
    )


def _enum(breach: _Breach) -> str:
    options = ", ".join(str(option) for option in breach.value)
    message = _("unknown {field} {value}; expected one of {options}")
    return message.format(field=_field(breach), value=show(breach.instance), options=options)


def _const(breach: _Breach) -> str:
    message = _("{value} is not supported; expected exactly {expected}")
    return message.format(value=show(breach.instance), expected=show(breach.value))


def _negative(breach: _Breach) -> str:
    message = _("negative value {value} is not allowed; expected a number ≥ 0")
    return message.format(value=breach.instance)


def _pattern(breach: _Breach) -> str:
    if _NEGATIVE_DECIMAL.fullmatch(breach.instance):
        return _negative(breach)
    message = _("{value} is not a decimal number; expected {expected}")
    return message.format(value=show(breach.instance), expected=_(_DECIMAL_EXPECTED))


def _minimum(breach: _Breach) -> str:
    if breach.value == 0:
        return _negative(breach)
    message = _("{value} is too small; expected at least {minimum}")
    return message.format(value=show(breach.instance), minimum=breach.value)


def _item_count(breach: _Breach) -> str:
    low, high = breach.schema.get("minItems", 0), breach.schema.get("maxItems")
    if low == high:
        message = _("expected exactly {low} values, got {count}")
    else:
        message = _("expected {low} to {high} values, got {count}")
    return message.format(low=low, high=high, count=len(breach.instance))


def _min_length(_breach: _Breach) -> str:
    return _("must not be empty")


def _max_length(breach: _Breach) -> str:
    message = _("text of {length} characters; at most {limit} are stored")
    return message.format(length=len(breach.instance), limit=breach.value)


def _maximum(breach: _Breach) -> str:
    message = _("{value} is too large; expected at most {maximum}")
    return message.format(value=show(breach.instance), maximum=breach.value)


_MESSAGES: dict[str, Callable[[_Breach], str]] = {
    "type": _type,
    "enum": _enum,
    "const": _const,
    "pattern": _pattern,
    "minimum": _minimum,
    "minItems": _item_count,
    "maxItems": _item_count,
    "minLength": _min_length,
    "maxLength": _max_length,
    "maximum": _maximum,
}


def _translate(breach: _Breach) -> list[DossierError]:
    if breach.keyword == "required":
        return list(_required(breach))
    if breach.keyword == "additionalProperties":
        return list(_additional(breach))
    message = _MESSAGES.get(breach.keyword)
    text = message(breach) if message else breach.message
    return [DossierError(_path(breach), text)]
