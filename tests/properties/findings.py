"""Minimal inputs the properties found, each the worked example with one change (letters as
in the report that listed them). The properties run them first (`@example`): a bug stays a
failing test until it is fixed, and then the example guards against its return.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from hypothesis import example

from tests.properties.hostile import json_text
from tests.properties.strategies import BASES
from tests.properties.values import Document

T = TypeVar("T", bound=Callable[..., Any])


def run_first(argument: str, *values: object) -> Callable[[T], T]:
    """`@example(argument=value)` for each value, in this order."""

    def decorate(test: T) -> T:
        for value in reversed(values):
            test = example(**{argument: value})(test)
        return test

    return decorate


def demo(change: Any) -> Document:
    data = copy.deepcopy(BASES[0])
    change(data)
    return data


def _set(*path: str | int, value: object) -> Any:
    def change(data: Any) -> None:
        node = data
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value

    return change


def _remove(section: str, index: int, key: str) -> Any:
    return lambda data: data[section][index].pop(key)


# Server errors (500) found: the reader accepted these and the database refused them.
# D: a decimal string ending in a line feed passed the schema's pattern (`$` matches before a
#    final "\n"), skipped the digit limit and overflowed NUMERIC(30, 12).
QUANTITY_WITH_LINE_FEED = demo(_set("energy", 0, "quantity", value="1" * 37 + "\n"))
# G: canonical identities grow under NFKC and case folding ("ß" is "ss", U+FDFA 18 letters),
#    beyond the claim columns (registry 200, prefix 80 characters).
REGISTRY_LONGER_WHEN_CANONICAL = demo(_set("green_electricity", 0, "registry", value="ß" * 200))
PREFIX_LONGER_WHEN_CANONICAL = demo(
    lambda data: data["credits"][0].update(
        serial_from="\ufdfa" * 6 + "1", serial_to="\ufdfa" * 6 + "1468"
    )
)
# H: the schema allows a quantity of 0, which no serial range forbids for a green-power
#    contract; the check constraint green_quantity_positive refused it.
GREEN_POWER_OF_ZERO = demo(
    _set(
        "green_electricity",
        value=[{"instrument": "GREEN_POWER", "contract_ref": "c", "quantity_mwh": "0"}],
    )
)
SERVER_ERRORS = (
    QUANTITY_WITH_LINE_FEED,
    REGISTRY_LONGER_WHEN_CANONICAL,
    PREFIX_LONGER_WHEN_CANONICAL,
    GREEN_POWER_OF_ZERO,
)
SERVER_ERROR_BODIES = tuple(json_text(data).encode() for data in SERVER_ERRORS)
# L: a lone surrogate (JSON "\\ud800", legal JSON) in a key, or in a value an error message
#    quotes, is refused with it in the error's path or message, which UTF-8 cannot carry: the
#    renderer raised UnicodeEncodeError, a 500.
SURROGATE_KEY = demo(_set("factory", "\ud800", value=None))
SURROGATE_VALUE = demo(_set("year", value="\ud800"))
SURROGATE_BODIES = (b'{"\\ud800":null}', b'{"year":"\\ud800"}')


# Valid dossiers whose export read back as another document (another input_sha256) or not at
# all. A, I: an empty optional text, an empty list was dropped. J: a measure without
# `verified` came back with "verified": false. K: an empty `answers` object is dropped.
# B: a level given as 2.0 was stored as "2", which the reader refuses (decisions 21, 26).
EMPTY_OPTIONAL_TEXT = demo(_set("factory", "name_en", value=""))
EMPTY_LIST = demo(_set("credits", value=[]))
MEASURE_WITHOUT_VERIFIED = demo(_remove("reduction_measures", 0, "verified"))
EMPTY_ANSWERS = demo(_set("answers", value={}))
LEVEL_AS_DECIMAL = demo(_set("answers", "INF-1", value=Decimal("2.0")))
EXPORT_DIFFERS = (
    EMPTY_OPTIONAL_TEXT,
    EMPTY_LIST,
    MEASURE_WITHOUT_VERIFIED,
    EMPTY_ANSWERS,
    LEVEL_AS_DECIMAL,
)
# C: a ratio of 1e-600 was stored as a 602-character string, more than a text in answers may
#    have, so its export could not be read (refusing it on import is as good).
TINY_RATIO = demo(_set("answers", "INF-2", value=Decimal("1E-600")))

# The reader's own writer (document_to_json): E: 1E+5000 in answers became a 5,001-digit
# integer, more than Python's JSON parser converts. F: a level given as 2e0 (Decimal 2) was
# written "2" and read back as the integer 2, which the input hash writes differently.
HUGE_FREE_NUMBER = demo(_set("answers", "INF-2", value=Decimal("1E+5000")))
LEVEL_AS_EXPONENT = demo(_set("answers", "INF-1", value=Decimal("2E+0")))
