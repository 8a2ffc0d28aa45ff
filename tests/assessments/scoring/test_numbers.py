"""Exact arithmetic and half-up rounding, independent of the caller's decimal context."""

from __future__ import annotations

from decimal import Decimal, localcontext
from fractions import Fraction

import pytest

from assessments.scoring.numbers import (
    exact,
    exact_sum,
    plain,
    round_fraction,
    round_half_up,
    to_decimal,
)

ROUNDED = [
    (Fraction(59995, 1000), 2, "60.00"),
    (Fraction(599949999, 10**7), 2, "59.99"),
    (Fraction(2, 3), 2, "0.67"),
    (Fraction(1, 8), 2, "0.13"),
    (Fraction(-1, 8), 2, "-0.13"),  # half-up is away from zero
    (Fraction(0), 2, "0.00"),
    (Fraction(1234567, 1000), 0, "1235"),
]


@pytest.mark.parametrize(("value", "places", "shown"), ROUNDED)
def test_a_fraction_rounds_half_up_exactly(value: Fraction, places: int, shown: str) -> None:
    assert str(round_fraction(value, places)) == shown


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        ("0.125", 2, "0.13"),
        ("0.12345", 4, "0.1235"),
        ("100.5555", 3, "100.556"),
        ("-0.125", 2, "-0.13"),
    ],
)
def test_a_decimal_rounds_half_up(value: str, places: int, shown: str) -> None:
    assert str(round_half_up(Decimal(value), places)) == shown


def test_rounding_ignores_a_narrow_caller_context() -> None:
    with localcontext() as context:
        context.prec = 3
        assert str(round_half_up(Decimal("12345.6789"), 3)) == "12345.679"
        assert to_decimal(Fraction(1, 3)) == Decimal("0." + "3" * 50)


def test_a_terminating_fraction_converts_exactly() -> None:
    assert to_decimal(Fraction(14357245, 10**6)) == Decimal("14.357245")


@pytest.mark.parametrize(
    ("value", "shown"), [("80", "80"), ("0.30", "0.3"), ("1.00", "1"), ("1E+2", "100")]
)
def test_a_threshold_is_written_as_a_person_writes_it(value: str, shown: str) -> None:
    assert plain(Decimal(value)) == shown


@pytest.mark.parametrize(
    ("value", "fraction"),
    [
        (3, Fraction(3)),
        (-7, Fraction(-7)),
        (Decimal("0.30"), Fraction(3, 10)),
        (Decimal("-2.5E+3"), Fraction(-2500)),
        (Decimal("1E-30"), Fraction(1, 10**30)),
        (Decimal("-0"), Fraction(0)),
    ],
)
def test_exact_gives_the_rational_value_of_an_int_or_decimal(
    value: int | Decimal, fraction: Fraction
) -> None:
    assert exact(value) == fraction
    assert exact(value).denominator == fraction.denominator  # normalised


@pytest.mark.parametrize("value", [Decimal("NaN"), Decimal("Infinity")])
def test_exact_refuses_a_decimal_without_a_rational_value(value: Decimal) -> None:
    with pytest.raises((ValueError, OverflowError)):
        exact(value)


def test_equal_decimals_written_differently_have_the_same_exact_value() -> None:
    assert exact(Decimal("0.3")) == Fraction(3, 10)
    assert exact(Decimal("0.30")) == Fraction(3, 10)  # remembered: the same fraction
    assert exact(3) == exact(Decimal("3.000")) == Fraction(3)


@pytest.mark.parametrize(
    "values",
    [
        [],
        [Fraction(1, 3)],
        [Fraction(1, 3), Fraction(2, 3)],
        [Fraction(5, 6), Fraction(-7, 4), Fraction(3), Fraction(1, 12)],
        [Fraction(10**40 + 1, 3**30), Fraction(-1, 7), Fraction(0)],
    ],
)
def test_an_exact_sum_is_the_sum_of_the_fractions_normalised(values: list[Fraction]) -> None:
    total = exact_sum(values)
    assert total == sum(values, Fraction(0))
    assert (total.numerator, total.denominator) == (
        sum(values, Fraction(0)).numerator,
        sum(values, Fraction(0)).denominator,
    )
