"""A reading as an interval [start, end) with the quantity the meter counted in it, and the
exact arithmetic the kernel shares: UTC microseconds and splitting a value by weights."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Context, Decimal, Inexact, InvalidOperation, Overflow

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
NO_TIME = timedelta(0)
MICROSECONDS_PER_SECOND = 1_000_000
# Sums and shares are exact: far more digits than a NUMERIC(30, 12) column holds, and any
# rounding raises instead of passing silently (it would take values of 500 digits).
EXACT = Context(prec=1000, traps=[InvalidOperation, Inexact, Overflow])
# A share of a value is rounded to this many significant digits of the value: the error is
# below 1e-28 of the value, far under the 1e-9 the roll-up promises even for a 1-microsecond
# share of a century-long reading (1e-15 of it).
SHARE_DIGITS = 28
_set = object.__setattr__  # how a frozen dataclass sets its fields


def microseconds(moment: datetime) -> int:
    """Microseconds since 1970 on the UTC time line, as an exact integer. Subtracting from a
    UTC moment goes through UTC; two datetimes of one zone object would be subtracted as
    wall-clock times, which a daylight-saving change would stretch."""
    return (moment - EPOCH) // MICROSECOND


def moment(micros: int) -> datetime:
    """The UTC datetime of `microseconds` since 1970."""
    return EPOCH + timedelta(microseconds=micros)


@dataclass(frozen=True, slots=True)
class Interval:
    """What a meter counted in [start, end), in the meter's unit. Any finite value is taken
    here (the quality check reports zero and negative runs); the write path refuses
    negative values of interval meters."""

    start: datetime
    end: datetime
    value: Decimal
    estimated: bool = False

    def __post_init__(self) -> None:
        start_offset, end_offset = self.start.utcoffset(), self.end.utcoffset()
        if start_offset is None or end_offset is None:
            raise ValueError("interval times must be timezone-aware")
        duration = self.end - self.start
        if self.start.tzinfo is self.end.tzinfo:  # Python subtracted wall-clock times
            duration -= end_offset - start_offset
        if duration <= NO_TIME:
            raise ValueError("an interval must end after it starts")
        if not self.value.is_finite():
            raise ValueError("an interval's value must be a finite number")

    @classmethod
    def checked(
        cls, start: datetime, end: datetime, value: Decimal, estimated: bool = False
    ) -> Interval:
        """An interval from parts the caller has already checked against the rules above
        (rows of the ingest, which checks each one, and of the database, whose constraints
        are the same): the write path builds 50,000 per request, and checking them again
        would more than double the cost. Parts that break the rules give wrong results
        here, not errors."""
        interval = object.__new__(cls)
        _set(interval, "start", start)
        _set(interval, "end", end)
        _set(interval, "value", value)
        _set(interval, "estimated", estimated)
        return interval

    @property
    def microseconds(self) -> int:
        """The duration on the UTC time line."""
        return microseconds(self.end) - microseconds(self.start)


def split(value: Decimal, weights: Sequence[int]) -> list[Decimal]:
    """`value` in parts proportional to the positive integer `weights` (durations), that sum
    to exactly `value`: every part but the last is rounded half-even to SHARE_DIGITS
    significant digits of the value, the last part is the remainder. Integer arithmetic on
    one grid of 10**exponent, so the sum cannot drift."""
    own = value.as_tuple().exponent
    if not isinstance(own, int):
        raise ValueError("only a finite value can be split")
    exponent = min(own, value.adjusted() - SHARE_DIGITS)
    units = int(value.scaleb(-exponent, EXACT))
    total = sum(weights)
    parts = [_divide_half_even(units * weight, total) for weight in weights[:-1]]
    parts.append(units - sum(parts))
    return [Decimal(part).scaleb(exponent, EXACT) for part in parts]


def _divide_half_even(numerator: int, denominator: int) -> int:
    quotient, remainder = divmod(numerator, denominator)
    twice = 2 * remainder
    if twice > denominator or (twice == denominator and quotient % 2):
        quotient += 1
    return quotient
