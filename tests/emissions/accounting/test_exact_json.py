"""The exact JSON writer: every Decimal a JSON number with exactly its digits, at any
magnitude, plain and normalised; everything else written exactly as `json.dumps` writes it."""

from __future__ import annotations

import enum
import json
from collections import OrderedDict
from decimal import Context, Decimal
from typing import Any, NamedTuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emissions.accounting.exact_json import (
    DecimalJSONDecoder,
    ExactJSONEncoder,
    dumps,
    loads,
    number_text,
    plain,
)

D = Decimal


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (D("0.5880"), "0.588"),
        (D("14600.000"), "14600"),
        (D("8922.740"), "8922.74"),
        (D("-4876.800"), "-4876.8"),
        (D("0.0001"), "0.0001"),
        (D("1E+3"), "1000"),
        (D("123456789012.345"), "123456789012.345"),
        (D("1234567890123.4567"), "1234567890123.4567"),  # 17 digits: float would lose one
        (D("999999999999999999.123456"), "999999999999999999.123456"),
        (D("999999999999999999.999999999999"), "999999999999999999.999999999999"),
        (D("1E+21"), "1000000000000000000000"),
        (
            D("-1.234567890123456789012345678901234E+40"),
            "-12345678901234567890123456789012340000000",
        ),
        (D("1E-12"), "0.000000000001"),
        (D("0.000000000001000"), "0.000000000001"),
        (D("-0.000"), "0"),
        (D("0E+5"), "0"),
        (D("-0"), "0"),
    ],
)
def test_a_decimal_is_written_as_a_json_number_with_exactly_its_digits(
    value: Decimal, text: str
) -> None:
    written = dumps({"x": value})
    assert written == f'{{"x": {text}}}'
    assert loads(written)["x"] == value


def test_a_decimal_subclass_is_written_as_its_number() -> None:
    assert dumps([Amount("2.50")]) == "[2.5]"


def test_digits_beyond_the_default_context_are_never_rounded() -> None:
    thirty_four = D("1234567890123456789012345678.901234")  # 34 digits > the default 28
    assert number_text(thirty_four) == "1234567890123456789012345678.901234"


@pytest.mark.parametrize(
    ("value", "text"),
    [(D("12.400"), "12.4"), (D("8E+3"), "8000"), (D("-0.0"), "-0"), (D("NaN"), "NaN")],
)
def test_plain_keeps_the_sign_of_zero_for_the_canonical_hash(value: Decimal, text: str) -> None:
    assert plain(value) == text


@pytest.mark.parametrize("value", [D("NaN"), D("-Infinity"), D("sNaN")])
def test_a_decimal_without_a_json_number_is_refused(value: Decimal) -> None:
    with pytest.raises(ValueError, match="cannot be written as a JSON number"):
        dumps([value])


@pytest.mark.parametrize("value", [float("nan"), float("inf")])
def test_a_float_without_a_json_number_is_refused(value: float) -> None:
    with pytest.raises(ValueError, match="Out of range float"):
        dumps([value])


class Level(enum.IntEnum):
    HIGH = 3


class Colour(enum.StrEnum):
    RED = "红"


class Ratio(float):
    pass


class Amount(Decimal):
    pass


class Point(NamedTuple):
    x: int
    y: float


PLAIN_DATA: list[Any] = [
    None,
    True,
    '中文 "quoted" \n\u2028',
    [],
    {},
    [1, -2.5, 1e300, {"a": [], "b": {}}],
    {"z": [None, False, {"k": "v"}], "a": (1, 2), "m": {"y": 1, "x": [3]}},
    {"level": Level.HIGH, 7: "int key", "键": "值"},
    # Subclasses of the built-in types take the slower path of the writer: same text.
    {Colour.RED: [Colour.RED, Point(1, 2.5), Ratio(0.1)], "o": OrderedDict(b=1, a=-0.0)},
    [Level.HIGH, {Level.HIGH: None}, -1e-7, 1e16, 10**30, "\u0000\ud800"],
]
OPTIONS: list[dict[str, Any]] = [
    {},
    {"indent": 2},
    {"indent": 0},
    {"indent": "\t", "sort_keys": True},
    {"separators": (",", ":"), "sort_keys": True},
    {"separators": (",", ":")},  # a batch line: the compact path of the writer
    {"separators": (", ", " = ")},
    {"ensure_ascii": True},
]


@pytest.mark.parametrize("options", OPTIONS)
@pytest.mark.parametrize("value", PLAIN_DATA)
def test_everything_but_decimals_is_written_as_json_dumps_writes_it(
    value: Any, options: dict[str, Any]
) -> None:
    try:
        expected = json.dumps(value, **{"ensure_ascii": False, **options})
    except TypeError:  # json cannot sort int and str keys together; neither can we
        with pytest.raises(TypeError):
            dumps(value, **options)
        return
    assert dumps(value, **options) == expected


_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)  # as json writes them; NaN is refused
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30,
)


@given(value=_JSON, compact=st.booleans())
def test_any_plain_json_is_written_as_json_dumps_writes_it(value: Any, compact: bool) -> None:
    separators = (",", ":") if compact else None
    expected = json.dumps(value, ensure_ascii=False, separators=separators)
    assert dumps(value, separators=separators) == expected


def test_a_bad_key_is_refused_before_any_value_is_written() -> None:
    written: list[object] = []
    with pytest.raises(TypeError, match="keys must be str"):
        dumps({"a": {1}, None: 2}, separators=(",", ":"), default=written.append)
    assert written == []


def test_a_decimal_key_is_written_as_its_number() -> None:
    assert dumps({D("2.50"): 1}) == '{"2.5": 1}'


@pytest.mark.parametrize("key", [None, True, 1.5, ("a",)])
def test_keys_must_be_text_or_whole_numbers_or_decimals(key: Any) -> None:
    with pytest.raises(TypeError, match="keys must be str, int or Decimal"):
        dumps({key: 1})


def test_an_unknown_type_is_refused_unless_a_default_turns_it_into_json() -> None:
    with pytest.raises(TypeError, match="Object of type set is not JSON serializable"):
        dumps({"x": {1}})
    assert dumps({"x": {D("1.50")}}, default=sorted) == '{"x": [1.5]}'


def test_loads_reads_numbers_with_a_fraction_as_decimal_and_whole_numbers_as_int() -> None:
    read = loads(b'{"a": 0.1, "b": 1e-12, "c": 1000000000000000000000, "d": 4}')
    assert read == {"a": D("0.1"), "b": D("1E-12"), "c": 10**21, "d": 4}
    assert isinstance(read["a"], Decimal)
    assert isinstance(read["d"], int)


def test_the_encoder_class_writes_exactly_with_the_options_it_was_made_with() -> None:
    value = {"b": D("999999999999999999.123456"), "a": [D("1E+21")]}
    assert (
        json.dumps(value, cls=ExactJSONEncoder, sort_keys=True, separators=(",", ":"))
        == '{"a":[1000000000000000000000],"b":999999999999999999.123456}'
    )
    assert json.dumps(value, cls=ExactJSONEncoder, indent=1) == dumps(value, indent=1)
    assert "".join(ExactJSONEncoder().iterencode(value)) == dumps(value, ensure_ascii=True)
    with pytest.raises(TypeError, match="not JSON serializable"):
        json.dumps({1j}, cls=ExactJSONEncoder)


def test_the_decoder_class_reads_decimals() -> None:
    assert json.loads("[0.30]", cls=DecimalJSONDecoder) == [D("0.30")]
    assert json.loads("[0.30]", cls=DecimalJSONDecoder, parse_float=float) == [0.3]


@given(st.decimals(allow_nan=False, allow_infinity=False), st.integers(0, 30))
def test_every_equal_value_has_the_same_number_text(value: Decimal, zeros: int) -> None:
    """The text is normalised: every equal value (more trailing zeros, another exponent) has
    the text the rule gives (what `record_sha256` relies on for stored results)."""
    text = "0" if value.is_zero() else plain(value)
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # a finite value
    wide = Context(prec=999)
    padded = value.quantize(D(1).scaleb(exponent - zeros, wide), context=wide)
    assert padded == value
    assert number_text(value) == text
    assert number_text(padded) == text
    assert number_text(value.normalize(Context(prec=999))) == text
