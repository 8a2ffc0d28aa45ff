"""Hostile dossiers: the documents of `tests.properties.strategies` broken on purpose.

- `hostile_dossiers()`: one to three mutations at random JSON paths: a value replaced by any
  JSON value (null, booleans, 10**40 and 10**400, negative numbers, floats, NaN-like strings,
  lists and objects nested up to 30 levels, strings with NUL, lone surrogates, control
  characters or 10,000 characters), required keys deleted, unknown keys added, list entries
  duplicated, numbers replaced by hostile ones (1E+5000, "12.5\n", -0), serials with 41 and
  more digits, years such as 0, -1, 40000 and 10**6.
- `raw_bodies()`: the bytes of such a document (or a valid one) as a client may send them:
  truncated, with a repeated key, a byte-order mark, invalid UTF-8, UTF-16, a value nested
  10,000 levels deep, number literals no parser should convert, trailing garbage.

`json_text` writes the documents: `Raw` is written as its text and `Duplicated` repeats its
first key, so that texts can be built which no `json.dumps` would write.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from tests.properties.strategies import examples, valid_dossiers
from tests.properties.values import Document, Draw

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Raw:
    """Text written into the JSON as it is (a deep nesting, a number literal)."""

    text: str


@dataclass(frozen=True)
class Duplicated:
    """An object whose first key `json_text` writes twice."""

    members: Mapping[str, Any]


def json_text(value: Any, *, ensure_ascii: bool = False) -> str:
    """JSON text of a document: Decimals with exactly their digits (1E+3 stays an exponent)."""

    def write(node: Any) -> str:
        if isinstance(node, Raw):
            return node.text
        if isinstance(node, Duplicated):
            members = list(node.members.items())
            return write_object(members[:1] + members)
        if isinstance(node, Mapping):
            return write_object(list(node.items()))
        if isinstance(node, list):
            return "[" + ",".join(write(entry) for entry in node) + "]"
        if isinstance(node, Decimal):
            return str(node)
        if isinstance(node, int) and not isinstance(node, bool):
            return int.__repr__(node)
        return json.dumps(node, ensure_ascii=ensure_ascii)  # floats as NaN/Infinity too

    def write_object(members: list[tuple[str, Any]]) -> str:
        return "{" + ",".join(f"{write(key)}:{write(entry)}" for key, entry in members) + "}"

    return write(value)


def encoded(text: str) -> bytes:
    """UTF-8, except that lone surrogates are kept (as the invalid bytes ED A0 80 …)."""
    return text.encode("utf-8", "surrogatepass")


# --- Hostile values --------------------------------------------------------------------------

HUGE_INTEGERS = (-1, 2**63, -(2**63), 2**64, 10**18)
HOSTILE_DECIMALS = (
    Decimal("-0"), Decimal("-1.5"), Decimal("-0.000000000001"), Decimal("1E+40"),
    Decimal("1E-41"), Decimal("1E+5000"), Decimal("1E-600"), Decimal("1E+999999"),
    Decimal("1E-999999"), Decimal("0.1234567890123"), Decimal("1" * 19), Decimal("9" * 41),
)  # fmt: skip
NAN_LIKE = (
    "NaN", "nan", "-NaN", "Infinity", "-Infinity", "inf", "1e999", "-1e999", "1E400",
    "1e-999999", "-0", "-1", "0x10", "1_000", "1,5", "+12", ".5", "5.", "1e3", "１２", "١٢٣",
    "12.5\n", "1234567890123456789012345678901234567\n", "0.1234567890123\n", " 12", "12 ",
    "\u200b12", "",
)  # fmt: skip
BAD_STRINGS = (
    "\x00", "a\x00b", "\ud800", "x\udfffy", "\udc00\ud800", "\x01", "\x08", "\x1b[31m",
    "\x1f", "\x7f", "\u0085", "\u200b", "\ufeff", "\u3000", " ", "\u202e", "\uffff",
    "ß" * 101, "\ufdfa" * 12,  # fit the limits, but grow under NFKC and case folding
)  # fmt: skip
# (character, count): built by a map, so that statistics do not print 10,000 characters.
LONG_STRINGS = (("x", 10_000), ("中", 10_000), ("a", 201), ("b", 501), ("c", 81), ("ß", 200))
# 10**4299 has 4,300 digits, the most a JSON integer may have in Python (int_max_str_digits).
HUGE_NUMBERS = st.sampled_from([40, 400, 4299]).map(lambda exponent: 10**exponent)


def hostile_numbers() -> st.SearchStrategy[object]:
    return st.one_of(
        st.sampled_from((*HUGE_INTEGERS, *HOSTILE_DECIMALS, *NAN_LIKE)),
        HUGE_NUMBERS,
        HUGE_NUMBERS.map(lambda number: -number),
    )


def hostile_strings() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(BAD_STRINGS),
        st.sampled_from(LONG_STRINGS).map(lambda pair: pair[0] * pair[1]),
    )


HOSTILE_KEYS = (
    "", "\x00", "\ud800", "a/b", "~0", "~1", "k" * 7, "year ", "Year", "schema\u200b",
    "__proto__", "constructor", "INF-99", "G3", "G1 ", "ß" * 101,
)  # fmt: skip
HOSTILE_YEARS = (
    0, -1, 40000, 10**6, 1949, 1999, 2026, 2101, 10**40, Decimal("2023.5"), "2023", True, None,
)  # fmt: skip


def nested(depth: int, as_object: bool) -> object:
    value: object = 0
    for _ in range(depth):
        value = {"a": value} if as_object else [value]
    return value


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    hostile_numbers(),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.floats(),  # NaN and infinities included
    hostile_strings(),
    st.text(st.characters() | st.characters(categories=["Cs"]), max_size=12),  # surrogates too
)
_LONG_KEYS = st.sampled_from([201, 10_000]).map(lambda length: "k" * length)
_JSON_VALUES = st.recursive(
    _SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(
            st.one_of(st.text(max_size=8), st.sampled_from(HOSTILE_KEYS)), children, max_size=4
        ),
    ),
    max_leaves=8,
)


def hostile_values() -> st.SearchStrategy[object]:
    return st.one_of(
        _SCALARS,
        _JSON_VALUES,
        st.builds(nested, st.integers(1, 30), st.booleans()),
    )


# --- Mutations at JSON paths -----------------------------------------------------------------


def paths(data: object, prefix: Path = ()) -> Iterator[Path]:
    """Every path of the document, the root `()` first, in document order."""
    yield prefix
    if isinstance(data, Mapping):
        for key, child in data.items():
            yield from paths(child, (*prefix, key))
    elif isinstance(data, list):
        for index, child in enumerate(data):
            yield from paths(child, (*prefix, index))


def at(data: Any, path: Path) -> Any:
    for part in path:
        data = data[part]
    return data


def replaced(data: Any, path: Path, value: object) -> Any:
    if not path:
        return value
    at(data, path[:-1])[path[-1]] = value
    return data


def _replace(draw: Draw, data: Any) -> Any:
    path = draw(st.sampled_from(list(paths(data))))
    return replaced(data, path, draw(hostile_values()))


def _containers(data: Any, kind: type) -> list[Path]:
    return [path for path in paths(data) if isinstance(at(data, path), kind)]


def _delete(draw: Draw, data: Any) -> Any:
    candidates = [path for path in paths(data) if path]
    if not candidates:
        return data
    path = draw(st.sampled_from(candidates))
    del at(data, path[:-1])[path[-1]]
    return data


def _add_unknown_key(draw: Draw, data: Any) -> Any:
    objects = _containers(data, dict)
    if not objects:
        return data
    target = at(data, draw(st.sampled_from(objects)))
    key = draw(st.one_of(st.sampled_from(HOSTILE_KEYS), st.text(max_size=10), _LONG_KEYS))
    target[key] = draw(hostile_values())
    return data


def _duplicate_entry(draw: Draw, data: Any) -> Any:
    lists = [path for path in _containers(data, list) if at(data, path)]
    if not lists:
        return data
    entries = at(data, draw(st.sampled_from(lists)))
    copied = copy.deepcopy(draw(st.sampled_from(entries)))
    entries.insert(draw(st.integers(0, len(entries))), copied)
    return data


def _serial_digits(draw: Draw, data: Any) -> Any:
    """A serial whose number has 41 or more digits (the platform compares at most 40)."""
    ranged = [path for path in _containers(data, dict) if "serial_from" in at(data, path)]
    if not ranged:
        return data
    line = at(data, draw(st.sampled_from(ranged)))
    digits = draw(st.integers(41, 120))
    key = draw(st.sampled_from(["serial_from", "serial_to"]))
    line[key] = draw(st.sampled_from(["GEC", "", "CCER-"])) + "1" * digits
    return data


def _is_number_like(value: object) -> bool:
    if isinstance(value, str):
        return value.replace(".", "", 1).isdigit()
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def _number(draw: Draw, data: Any) -> Any:
    """A number (a quantity, a year, a ratio answer) replaced by a hostile number."""
    found = [path for path in paths(data) if path and _is_number_like(at(data, path))]
    if not found:
        return data
    return replaced(data, draw(st.sampled_from(found)), draw(hostile_numbers()))


YEAR_KEYS = frozenset({"year", "vintage", "implemented_in"})


def _year(draw: Draw, data: Any) -> Any:
    found = [path for path in paths(data) if path and path[-1] in YEAR_KEYS]
    if not found:
        return data
    return replaced(data, draw(st.sampled_from(found)), draw(st.sampled_from(HOSTILE_YEARS)))


MUTATIONS = (
    _replace, _delete, _add_unknown_key, _duplicate_entry, _number, _serial_digits, _year,
)  # fmt: skip


@st.composite
def hostile_dossiers(draw: Draw) -> Any:
    """A worked example or a valid variation, broken one to three times."""
    data: Any = draw(st.one_of(examples(), valid_dossiers()))
    for _ in range(draw(st.integers(1, 3))):
        data = draw(st.sampled_from(MUTATIONS))(draw, data)
    return data


# --- Raw bodies ------------------------------------------------------------------------------

DEEP = 10_000
RAW_VALUES = (
    "[" * DEEP + "]" * DEEP, '{"a":' * DEEP + "1" + "}" * DEEP, "[" * DEEP, "[" * 17 + "]" * 17,
    "1" * 4301, "1" * 5000, "-" + "9" * 4400, "1e999999", "-1e-999999", "0." + "0" * 5000 + "1",
    "NaN", "Infinity", "-Infinity", "-0", "1E400", "01", "1.", ".1", "+1", "0x1F", "true1",
    '"\\ud800"', '"\\u0000"', '"\\uDFFF\\uD800"', '"a\\x"', "'single'", "undefined", "",
)  # fmt: skip
NOT_DOCUMENTS = (
    b"", b" ", b"null", b"[]", b"{}", b'"x"', b"1", b"\x00", b"\xef\xbb\xbf", b"\xff\xfe{\x00}\x00",
    b'{"schema": "zerocarbon.dossier/1"', b"[" * DEEP + b"]" * DEEP, b"\xef\xbb\xbf\xef\xbb\xbf{}",
)  # fmt: skip
INVALID_UTF8 = (
    b"\xff", b"\xfe", b"\x80", b"\xc0\xaf", b"\xc3\x28", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
    b"\xe2\x82",
)  # fmt: skip
BOM = b"\xef\xbb\xbf"
# Mostly sent as written (so that valid dossiers reach the service), else broken as bytes.
BYTE_CHANGES = (
    "as is",
    "as is",
    "as is",
    "bom",
    "truncated",
    "invalid utf-8",
    "utf-16",
    "trailing",
)


def _with_raw_value(draw: Draw, data: Any) -> Any:
    path = draw(st.sampled_from(list(paths(data))))
    return replaced(data, path, Raw(draw(st.sampled_from(RAW_VALUES))))


def _with_duplicate_key(draw: Draw, data: Any) -> Any:
    objects = [path for path in _containers(data, dict) if at(data, path)]
    if not objects:
        return data
    path = draw(st.sampled_from(objects))
    return replaced(data, path, Duplicated(at(data, path)))


def _bytes(draw: Draw, raw: bytes) -> bytes:
    kind = draw(st.sampled_from(BYTE_CHANGES))
    if kind == "bom":
        return BOM + raw
    if kind == "truncated":
        return raw[: draw(st.integers(0, max(len(raw) - 1, 0)))]
    if kind == "invalid utf-8":
        position = draw(st.integers(0, len(raw)))
        return raw[:position] + draw(st.sampled_from(INVALID_UTF8)) + raw[position:]
    if kind == "utf-16":
        return raw.decode("utf-8", "surrogatepass").encode("utf-16", "surrogatepass")
    if kind == "trailing":
        return raw + draw(st.sampled_from([b"x", b",", b"}", b" \n", b"\x00", raw]))
    return raw


@st.composite
def raw_bodies(draw: Draw) -> bytes:
    """The bytes of a dossier as a client may send them, sound or broken."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from(NOT_DOCUMENTS))
    data: Document | Any = draw(st.one_of(examples(), valid_dossiers(), hostile_dossiers()))
    text_kind = draw(st.sampled_from(["plain", "raw value", "duplicate key"]))
    if text_kind == "raw value":
        data = _with_raw_value(draw, data)
    elif text_kind == "duplicate key":
        data = _with_duplicate_key(draw, data)
    raw = encoded(json_text(data, ensure_ascii=draw(st.booleans())))
    return _bytes(draw, raw)
