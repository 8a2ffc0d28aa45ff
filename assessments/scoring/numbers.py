"""Exact arithmetic and half-up rounding shared by the engine and the presentation.

Points are computed as `Fraction`s: item and indicator points divide by a level count, a range
width or an applicable maximum (2 x 1/3, x 20/16, ...), which a `Decimal` would round at its
context precision. The rubric says points are exact until the total, and a total of exactly
59.995 must become 60.00, so the engine stays exact and converts to `Decimal` only at its edges.
Nothing here reads the global decimal context: results do not depend on the caller's settings.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from functools import cache, lru_cache

POINTS_PLACES = 2
RATIO_PLACES = 4
QUANTITY_PLACES = 3  # tCO2e and MWh

# Enough digits that a terminating value (every value a user types in) converts exactly.
_WIDE = Context(prec=50)


def from_json_number(value: int | float | Decimal) -> Decimal:
    """YAML and JSON read 0.30 as a float; its shortest repr gives back the decimal written."""
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


@lru_cache(maxsize=4096)
def exact(value: Decimal | int) -> Fraction:
    """The exact rational value of a finite `Decimal` or an `int`. From the integer ratio:
    `Fraction(Decimal)` first asks whether the value is a `numbers.Rational`, an abstract base
    class check that was a third of the time of scoring. Remembered: most values are the
    rubric's points, bounds and maxima, the same for every dossier (equal values have equal
    fractions, so 0.30 may be answered with the fraction of 0.3: the same)."""
    if type(value) is int:
        return Fraction(value)
    numerator, denominator = value.as_integer_ratio()
    return Fraction(numerator, denominator)


def exact_sum(values: Iterable[Fraction]) -> Fraction:
    """The exact sum, over the least common denominator: one `Fraction` made, not one per
    addition (the same value as `sum(values, Fraction(0))`; fractions are kept normalised)."""
    terms = [(value.numerator, value.denominator) for value in values]
    denominator = math.lcm(*(d for _n, d in terms))  # lcm() of nothing is 1
    return Fraction(sum(n * (denominator // d) for n, d in terms), denominator)


def to_decimal(value: Fraction) -> Decimal:
    """`Decimal` for a result field: exact for terminating values, 50 digits otherwise."""
    return _WIDE.divide(Decimal(value.numerator), Decimal(value.denominator))


def round_fraction(value: Fraction, places: int) -> Decimal:
    """Round half-up (away from zero) exactly, without an intermediate `Decimal`.

    Used for the total, which decides the level, so a tie is a true tie.
    """
    scale = 10**places
    magnitude = math.floor(abs(value) * scale + Fraction(1, 2))
    signed = magnitude if value >= 0 else -magnitude
    return Decimal(signed).scaleb(-places)


def round_half_up(value: Decimal, places: int) -> Decimal:
    """Round a `Decimal` half-up to `places` decimals, as the output rules ask."""
    return value.quantize(_quantum(places), rounding=ROUND_HALF_UP, context=_WIDE)


@cache
def _quantum(places: int) -> Decimal:
    """1E-places, made once (a result rounds some thirty numbers): from its digits, so that
    no decimal context is read."""
    return Decimal((0, (1,), -places))


def plain(value: Decimal) -> str:
    """A threshold as a person writes it: 80, 0.3, 1 (no exponent, no trailing zeros)."""
    return format(value.normalize(_WIDE), "f")
