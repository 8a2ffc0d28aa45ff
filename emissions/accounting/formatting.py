"""How numbers appear in calculation lines: plain decimals a person can retype.

Stored factor values keep their digits (43.070 stays 43.070); computed values never show an
exponent (8.5E+5 shows as 850000).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal

_THOUSANDTH = Decimal("0.001")
# Decimal.normalize() rounds to the context's precision (28 digits by default), which would cut
# a stored 30-digit quantity; every number the platform handles has far fewer digits than this.
_EXACT = Context(prec=1000)


def stripped(value: Decimal) -> Decimal:
    """`value` without trailing zeros (12.400 -> 12.4, 8000 -> 8E+3), never rounded."""
    return value.normalize(_EXACT)


def num(value: Decimal) -> str:
    """A given or stored value as a plain decimal string with its digits (43.070)."""
    return format(value, "f")


def amount(value: Decimal) -> str:
    """A computed value as a plain decimal string without padding (85, not 85.0000)."""
    return format(stripped(value), "f")


def tonnes(value: Decimal) -> str:
    """A computed tonnage for the end of a formula, half-up to 3 places as in the output."""
    return format(value.quantize(_THOUSANDTH, rounding=ROUND_HALF_UP, context=_EXACT), "f")
