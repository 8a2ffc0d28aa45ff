"""Exact JSON for results: every `Decimal` is a JSON number with exactly its digits.

The standard `json` module writes a `Decimal` only through a `default` hook, which must return
something it can already write: a float (15-17 significant digits, so 999999999999999999.123456
would become 1e+18) or a string (dossier.md wants numbers). This writer formats numbers itself:
normalised (0.5880 is written 0.588), plain notation at any magnitude (1E+21 is written
1000000000000000000000, never with an exponent), -0 as 0, never rounded by a decimal context.
NaN and infinities have no JSON form and are refused. Everything else is written exactly as
`json.dumps` writes it, with the same options; `loads` reads numbers with a fraction back as
`Decimal`, so a result survives a round trip digit for digit.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any

Default = Callable[[Any], Any]


def plain(value: Decimal) -> str:
    """`value` in plain notation without trailing zeros, every digit kept (12.400 -> 12.4)."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def number_text(value: Decimal) -> str:
    """The JSON number for a `Decimal`: plain, normalised, -0 as 0; NaN/infinity refused."""
    if not value.is_finite():
        raise ValueError(f"{value} cannot be written as a JSON number")
    return "0" if value.is_zero() else plain(value)


def loads(text: str | bytes) -> Any:
    """JSON with numbers that have a fraction or an exponent read as `Decimal`, never float."""
    return json.loads(text, parse_float=Decimal)


def dumps(
    value: Any,
    *,
    indent: int | str | None = None,
    separators: tuple[str, str] | None = None,
    sort_keys: bool = False,
    ensure_ascii: bool = False,
    default: Default | None = None,
) -> str:
    """`json.dumps` with exact `Decimal`s (options as there, but non-ASCII kept by default)."""
    if separators is None:
        separators = (",", ": ") if indent is not None else (", ", ": ")
    if isinstance(indent, int):
        indent = " " * indent
    writer = _Writer(indent, separators, sort_keys, ensure_ascii, default)
    return "".join(writer.write(value, 0))


class _Writer:
    def __init__(
        self,
        indent: str | None,
        separators: tuple[str, str],
        sort_keys: bool,
        ensure_ascii: bool,
        default: Default | None,
    ) -> None:
        self.indent = indent
        self.item_separator, self.key_separator = separators
        self.sort_keys = sort_keys
        self.ensure_ascii = ensure_ascii
        self.default = default

    def write(self, value: Any, level: int) -> list[str]:
        scalar = self._scalar(value)
        if scalar is not None:
            return [scalar]
        if isinstance(value, Mapping):
            return self._object(value, level)
        if isinstance(value, list | tuple):
            return self._array(value, level)
        if self.default is None:
            raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
        return self.write(self.default(value), level)

    def _scalar(self, value: Any) -> str | None:
        if isinstance(value, str):
            return json.dumps(value, ensure_ascii=self.ensure_ascii)
        if value is None or isinstance(value, bool | float):
            return json.dumps(value, allow_nan=False)  # null, true, false, finite floats
        if isinstance(value, int):
            return int.__repr__(value)  # as json writes it, also for IntEnum
        if isinstance(value, Decimal):
            return number_text(value)
        return None

    def _key(self, key: object) -> str:
        if isinstance(key, str):
            return key
        if isinstance(key, int | Decimal) and not isinstance(key, bool):
            return self.write(key, 0)[0]
        raise TypeError(f"keys must be str, int or Decimal, not {type(key).__name__}")

    def _open(self, level: int) -> tuple[str, str]:
        """The separator between items and the text before the closing bracket."""
        if self.indent is None:
            return self.item_separator, ""
        inner = "\n" + self.indent * (level + 1)
        return self.item_separator + inner, "\n" + self.indent * level

    def _object(self, value: Mapping[Any, Any], level: int) -> list[str]:
        if not value:
            return ["{}"]
        pairs = sorted(value.items()) if self.sort_keys else value.items()
        items = [(self._key(key), item) for key, item in pairs]
        separator, closing = self._open(level)
        parts = ["{", separator.removeprefix(self.item_separator)]
        for index, (key, item) in enumerate(items):
            if index:
                parts.append(separator)
            parts += [json.dumps(key, ensure_ascii=self.ensure_ascii), self.key_separator]
            parts += self.write(item, level + 1)
        return [*parts, closing, "}"]

    def _array(self, value: list[Any] | tuple[Any, ...], level: int) -> list[str]:
        if not value:
            return ["[]"]
        separator, closing = self._open(level)
        parts = ["[", separator.removeprefix(self.item_separator)]
        for index, item in enumerate(value):
            if index:
                parts.append(separator)
            parts += self.write(item, level + 1)
        return [*parts, closing, "]"]


class ExactJSONEncoder(json.JSONEncoder):
    """For interfaces that take an encoder class (Django's JSONField, DRF's JSON renderer):
    writes through `dumps` with the options the encoder was made with."""

    def encode(self, o: Any) -> str:
        return dumps(
            o,
            indent=self.indent,
            separators=(self.item_separator, self.key_separator),
            sort_keys=self.sort_keys,
            ensure_ascii=self.ensure_ascii,
            default=self.default,
        )

    def iterencode(self, o: Any, _one_shot: bool = False) -> Iterator[str]:
        yield self.encode(o)


class DecimalJSONDecoder(json.JSONDecoder):
    """For interfaces that take a decoder class: numbers with a fraction read as `Decimal`."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("parse_float", Decimal)
        super().__init__(**kwargs)
