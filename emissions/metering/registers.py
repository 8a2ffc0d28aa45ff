"""Cumulative meters: register readings turned into intervals.

A cumulative meter reports its register (the total counted since it was installed or last
reset) at moments in time. Two consecutive readings, earlier `a` and later `b`, give the
interval [a.timestamp, b.timestamp) with value

- `b.reading - a.reading` when the register did not go down (equal readings give 0);
- `b.reading` when it went down (`b.reading < a.reading`): a reset, by a rollover past the
  register's capacity or an exchanged meter. The register counts from zero again, so what
  it shows is what it counted since the reset; what it counted between `a` and the reset
  is unknown (it is lost, not guessed), and the interval says `reset=True` so that it can be
  reviewed.

An interval is estimated when either of its readings is. The first reading of a batch pairs
with `previous` (the last stored reading before it) when there is one; otherwise it only
starts the first interval. Readings must be timezone-aware, finite, not below zero and in
strictly increasing time order (`RegisterError`, a `ValueError`, names the offending one).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from .intervals import EXACT, Interval, microseconds

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class RegisterReading:
    timestamp: datetime
    reading: Decimal  # the register, in the meter's unit
    estimated: bool = False


@dataclass(frozen=True, slots=True)
class Derived:
    """One interval from a pair of readings; `index` is the later reading's position in the
    readings given (so the caller can name the row), `register_start` and `register_end` the
    pair's readings."""

    interval: Interval
    index: int
    reset: bool
    register_start: Decimal | None = None
    register_end: Decimal | None = None


class RegisterError(ValueError):
    """Readings that cannot be paired; `index` is the offending reading's position (-1 for
    `previous`)."""

    def __init__(self, index: int, problem: str) -> None:
        super().__init__(f"register reading {index}: {problem}")
        self.index = index


def register_intervals(
    readings: Sequence[RegisterReading], previous: RegisterReading | None = None
) -> list[Derived]:
    """The intervals between consecutive readings (and from `previous` to the first), with
    resets detected as the module says."""
    chain = list(readings) if previous is None else [previous, *readings]
    offset = 0 if previous is None else 1  # position in `chain` minus position in `readings`
    times = [_checked_time(reading, position - offset) for position, reading in enumerate(chain)]
    derived = []
    for position in range(1, len(chain)):
        if times[position] <= times[position - 1]:
            raise RegisterError(position - offset, "readings must be in increasing time order")
        earlier, later = chain[position - 1], chain[position]
        reset = later.reading < earlier.reading
        value = later.reading if reset else EXACT.subtract(later.reading, earlier.reading)
        estimated = earlier.estimated or later.estimated
        derived.append(
            Derived(
                interval=Interval.checked(earlier.timestamp, later.timestamp, value, estimated),
                index=position - offset,
                reset=reset,
                register_start=earlier.reading,
                register_end=later.reading,
            )
        )
    return derived


def _checked_time(reading: RegisterReading, index: int) -> int:
    """The reading's time as UTC microseconds (compared exactly, whatever its zone), once
    the reading is known to be one a register can show."""
    if reading.timestamp.utcoffset() is None:
        raise RegisterError(index, "the timestamp must be timezone-aware")
    if not reading.reading.is_finite():
        raise RegisterError(index, "a register is a finite number")
    if reading.reading < ZERO:
        raise RegisterError(index, "a register cannot be below zero")
    return microseconds(reading.timestamp)
