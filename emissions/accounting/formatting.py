"""How numbers appear in calculation lines: plain decimals a person can retype.

Stored factor values keep their digits (43.070 stays 43.070); computed values never show an
exponent (8.5E+5 shows as 850000).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

_THOUSANDTH = Decimal("0.001")


def num(value: Decimal) -> str:
    """A given or stored value as a plain decimal string with its digits (43.070)."""
    return format(value, "f")


def amount(value: Decimal) -> str:
    """A computed value as a plain decimal string without padding (85, not 85.0000)."""
    return format(value.normalize(), "f")


def tonnes(value: Decimal) -> str:
    """A computed tonnage for the end of a formula, half-up to 3 places as in the output."""
    return format(value.quantize(_THOUSANDTH, rounding=ROUND_HALF_UP), "f")
