"""Serializer fields of the emissions API.

Input: `BodyInput` parses a JSON object into the fields it names and leaves every rule on the
values to the dossier reader, which the services run on the document a write changes; its
fields are built from the dossier's JSON Schema (`dossier.schema.json`), so the OpenAPI
description of a record is the dossier's and cannot drift from it.

Output: quantities are `Decimal`s, written by zerocarbon.renderers as JSON numbers with
exactly their digits (never strings, never floats).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from emissions.dossier.errors import pointer, printable
from emissions.limits import dossier_schema
from emissions.selectors import plain_decimal
from zerocarbon.errors import FieldError, ValidationFailed

_DEFS: dict[str, Any] = dossier_schema()["$defs"]
_DECIMAL = _DEFS["decimal"]
_MAX_ID = 10**18 - 1  # zerocarbon.converters.ID_PATTERN: 1 to 18 digits
_SHOWN_KEY = 60  # characters of an unknown key quoted in its message


@extend_schema_field(
    {
        "oneOf": [
            {"type": "number", "minimum": 0},
            {"type": "string", "pattern": _DECIMAL["pattern"].removesuffix("(?!\\n)")},
        ],
        "description": _DECIMAL["description"],
    }
)
class DecimalInput(serializers.Field):  # type: ignore[type-arg]
    """A quantity as the dossier takes it: a JSON number or a decimal string."""


@extend_schema_field({"type": "number", "description": "exact: every digit as stored"})
class ExactDecimalField(serializers.DecimalField):
    """A stored quantity as a Decimal without its storage padding (12.400000000000 is 12.4)."""

    def to_representation(self, value: Decimal) -> Decimal:  # type: ignore[override]
        return plain_decimal(value)


@extend_schema_field(
    {"type": "array", "items": {"type": "number"}, "minItems": 12, "maxItems": 12, "nullable": True}
)
class MonthlyField(serializers.Field):  # type: ignore[type-arg]
    """Twelve monthly values, stored as the decimal strings given, served as numbers."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value: list[str]) -> list[Decimal]:
        return [plain_decimal(Decimal(month)) for month in value]


def _resolved(spec: Mapping[str, Any]) -> Mapping[str, Any]:
    while "$ref" in spec:
        spec = _DEFS[spec["$ref"].removeprefix("#/$defs/")]
    return spec


def schema_field(spec: Mapping[str, Any], *, required: bool = False) -> serializers.Field:  # type: ignore[type-arg]
    """The serializer field describing one property of the dossier schema."""
    spec = _resolved(spec)
    options: dict[str, Any] = {"required": required, "help_text": spec.get("description")}
    kind = spec.get("type")
    if "enum" in spec:
        return serializers.ChoiceField(choices=spec["enum"], **options)
    if kind == "array":
        child = schema_field(spec["items"], required=True)
        options |= {"min_length": spec.get("minItems"), "max_length": spec.get("maxItems")}
        return serializers.ListField(child=child, allow_null=True, **options)
    if isinstance(kind, list):  # a decimal: number or string
        return DecimalInput(allow_null=True, **options)
    if kind == "integer":
        options |= {"min_value": spec.get("minimum"), "max_value": spec.get("maximum")}
        return serializers.IntegerField(allow_null=True, **options)
    if kind == "boolean":
        return serializers.BooleanField(allow_null=True, **options)
    if kind == "object":
        return serializers.DictField(**options)
    if spec.get("format") == "date":
        return serializers.DateField(allow_null=True, **options)
    options |= {"max_length": spec.get("maxLength"), "allow_blank": "minLength" not in spec}
    return serializers.CharField(allow_null=True, trim_whitespace=False, **options)


def definition_fields(definition: str) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
    """The fields of an object of the dossier schema's `$defs` (a factory, an energy line)."""
    spec = _DEFS[definition]
    required = set(spec.get("required", ()))
    return {
        key: schema_field(prop, required=key in required)
        for key, prop in spec["properties"].items()
    }


def top_level_field(key: str, *, required: bool = False) -> serializers.Field:  # type: ignore[type-arg]
    return schema_field(dossier_schema()["properties"][key], required=required)


def parse_id(value: object, path: str, what: str) -> int:
    """A database id given in a body (an integer, 1 to 18 digits)."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= _MAX_ID:
        return value
    message = _("expected the id of {what}: an integer").format(what=what)
    raise ValidationFailed(_("The body names no valid id."), [FieldError(path, message)])


class BodyInput(serializers.Serializer[Any]):
    """Parses a JSON object body into the fields it names, leaving the rules on their values
    to the service (the dossier reader's). Keys the resource only shows (`id`, `position`,
    timestamps) are ignored, as DRF ignores read-only fields, so a client may send back what
    it read; any other unknown key is refused, as a dossier refuses it."""

    ignored: ClassVar[frozenset[str]] = frozenset({"id", "created_at", "updated_at"})

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, Mapping):
            message = _("expected a JSON object with the fields of the resource")
            raise ValidationFailed(_("The body must be a JSON object."), [FieldError("/", message)])
        fields = self.fields
        unknown = [key for key in data if key not in fields and key not in self.ignored]
        if unknown:
            allowed = ", ".join(fields)
            message = _("unknown key {key}; allowed keys here: {allowed}")
            errors = [
                FieldError(
                    printable(pointer(key[:_SHOWN_KEY])),
                    message.format(key=printable(repr(key[:_SHOWN_KEY])), allowed=allowed),
                )
                for key in unknown
            ]
            raise ValidationFailed(_("The body has unknown keys."), errors)
        return {key: value for key, value in data.items() if key in fields}


def parse_body(input_class: type[BodyInput], data: Any) -> dict[str, Any]:
    """The fields of a request body, as the input serializer parses them."""
    parsed = input_class(data=data)
    parsed.is_valid(raise_exception=True)
    return dict(parsed.validated_data)


def required_reference(data: dict[str, Any], key: str, what: str) -> int:
    """Take the id at `key` out of the body: required on creation."""
    if data.get(key) is None:
        message = _("missing required field {key!r}").format(key=key)
        raise ValidationFailed(
            _("The body misses a required field."), [FieldError(f"/{key}", message)]
        )
    return parse_id(data.pop(key), f"/{key}", what)


def refuse_move(data: dict[str, Any], key: str, current: object) -> None:
    """Take `key` out of an update's body: it may repeat the current value (as read, an id
    or the object shown with it), never change it."""
    value = data.pop(key, None)
    same = value == current or (isinstance(value, Mapping) and value.get("id") == current)
    if value is None or (same and not isinstance(value, bool)):
        return
    message = _("{key} is fixed when it is created; it stays {current}")
    raise ValidationFailed(
        _("This cannot be moved."),
        [FieldError(f"/{key}", message.format(key=key, current=current))],
    )
