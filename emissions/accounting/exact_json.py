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
import math
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from json.encoder import encode_basestring, encode_basestring_ascii
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
    return _Writer(indent, separators, sort_keys, ensure_ascii, default).text(value)


class _Writer:
    """Appends the text of a value to one list of pieces. The exact built-in types are looked
    up by `type` (most of a result), their subclasses go through the `isinstance` chain."""

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
        self.string = encode_basestring_ascii if ensure_ascii else encode_basestring
        self.default = default
        self.parts: list[str] = []
        self.scalars: dict[type, Callable[[Any], str]] = {
            str: self.string,
            int: int.__repr__,
            float: _float_text,
            bool: _LITERALS.__getitem__,
            type(None): _LITERALS.__getitem__,
            Decimal: number_text,
        }

    def text(self, value: Any) -> str:
        self.write(value, 0)
        return "".join(self.parts)

    def write(self, value: Any, level: int) -> None:
        scalar = self.scalars.get(type(value))
        if scalar is not None:
            self.parts.append(scalar(value))
        elif type(value) is dict or isinstance(value, Mapping):
            self._object(value, level)
        elif type(value) is list or isinstance(value, list | tuple):
            self._array(value, level)
        else:
            self._other(value, level)

    def _other(self, value: Any, level: int) -> None:
        scalar = self._scalar(value)
        if scalar is not None:
            self.parts.append(scalar)
        elif self.default is None:
            raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
        else:
            self.write(self.default(value), level)

    def _scalar(self, value: Any) -> str | None:
        """Subclasses of the scalar types (an IntEnum, a str subclass), as json writes them."""
        if isinstance(value, str):
            return self.string(value)
        if isinstance(value, float):
            return _float_text(value)
        if isinstance(value, int):
            return int.__repr__(value)  # as json writes it, also for IntEnum
        if isinstance(value, Decimal):
            return number_text(value)
        return None

    def _key(self, key: object) -> str:
        if isinstance(key, str):
            return self.string(key)
        if isinstance(key, int | Decimal) and not isinstance(key, bool):
            return self.string(number_text(key) if isinstance(key, Decimal) else int.__repr__(key))
        raise TypeError(f"keys must be str, int or Decimal, not {type(key).__name__}")

    def _open(self, level: int) -> tuple[str, str, str]:
        """The text after the opening bracket, between items and before the closing one."""
        if self.indent is None:
            return "", self.item_separator, ""
        inner = "\n" + self.indent * (level + 1)
        return inner, self.item_separator + inner, "\n" + self.indent * level

    def _object(self, value: Mapping[Any, Any], level: int) -> None:
        parts = self.parts
        if not value:
            parts.append("{}")
            return
        pairs = sorted(value.items()) if self.sort_keys else value.items()
        string = self.string
        items = [(string(key) if type(key) is str else self._key(key), item) for key, item in pairs]
        opening, separator, closing = self._open(level)
        parts.append("{" + opening)
        key_separator, scalars, write = self.key_separator, self.scalars, self.write
        level += 1
        for index, (key, item) in enumerate(items):
            named = separator + key + key_separator if index else key + key_separator
            scalar = scalars.get(type(item))
            if scalar is not None:  # most values: one piece, no call of `write`
                parts.append(named + scalar(item))
            else:
                parts.append(named)
                write(item, level)
        parts.append(closing + "}")

    def _array(self, value: list[Any] | tuple[Any, ...], level: int) -> None:
        parts = self.parts
        if not value:
            parts.append("[]")
            return
        opening, separator, closing = self._open(level)
        parts.append("[" + opening)
        write, level = self.write, level + 1
        for index, item in enumerate(value):
            if index:
                parts.append(separator)
            write(item, level)
        parts.append(closing + "]")


_LITERALS: dict[object, str] = {None: "null", True: "true", False: "false"}


def _float_text(value: float) -> str:
    """As json writes a float: its repr; NaN and infinities refused as json refuses them."""
    return float.__repr__(value) if math.isfinite(value) else json.dumps(value, allow_nan=False)


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
