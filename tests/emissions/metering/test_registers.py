"""Cumulative registers: consecutive readings become intervals, resets are detected."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import pytest

from emissions.metering.registers import RegisterError, RegisterReading, register_intervals
from tests.emissions.metering.support import BERLIN, at


def register(time: str, value: str | int, estimated: bool = False) -> RegisterReading:
    return RegisterReading(at(f"2025-03-01T{time}"), Decimal(value), estimated)


# readings, previous -> [(start, end, value, index, reset)]
CASES = {
    "a rising register gives the differences": (
        [register("00:00", "100.5"), register("00:15", "103"), register("00:30", "110")],
        None,
        [("00:00", "00:15", "2.5", 1, False), ("00:15", "00:30", "7", 2, False)],
    ),
    "an unchanged register gives zero, not a reset": (
        [register("00:00", 50), register("00:15", 50)],
        None,
        [("00:00", "00:15", "0", 1, False)],
    ),
    "a register that goes down was reset: the new reading counts from zero": (
        [register("00:00", 99990), register("00:15", 99998), register("00:30", 12)],
        None,
        [("00:00", "00:15", "8", 1, False), ("00:15", "00:30", "12", 2, True)],
    ),
    "an exchanged meter starting again at zero": (
        [register("00:00", 5000), register("00:15", 0), register("00:30", 3)],
        None,
        [("00:00", "00:15", "0", 1, True), ("00:15", "00:30", "3", 2, False)],
    ),
    "the previous stored reading starts the first interval": (
        [register("00:15", 104), register("00:30", 110)],
        register("00:00", 100),
        [("00:00", "00:15", "4", 0, False), ("00:15", "00:30", "6", 1, False)],
    ),
    "a reset right after the previous reading": (
        [register("00:15", 2)],
        register("00:00", 100),
        [("00:00", "00:15", "2", 0, True)],
    ),
    "one reading without a previous one gives nothing yet": (
        [register("00:00", 100)],
        None,
        [],
    ),
    "no readings give nothing": ([], register("00:00", 100), []),
}


@pytest.mark.parametrize(("readings", "previous", "expected"), CASES.values(), ids=list(CASES))
def test_register_intervals(readings, previous, expected) -> None:
    derived = register_intervals(readings, previous)
    assert [
        (
            f"{d.interval.start:%H:%M}",
            f"{d.interval.end:%H:%M}",
            str(d.interval.value),
            d.index,
            d.reset,
        )
        for d in derived
    ] == expected


def test_each_interval_records_the_registers_it_came_from() -> None:
    derived = register_intervals(
        [register("00:15", 12), register("00:30", 20)], register("00:00", 900)
    )
    assert [(d.register_start, d.register_end) for d in derived] == [
        (Decimal(900), Decimal(12)),
        (Decimal(12), Decimal(20)),
    ]


def test_an_interval_is_estimated_when_either_reading_is() -> None:
    readings = [
        register("00:00", 1),
        register("00:15", 2, True),
        register("00:30", 3),
        register("00:45", 4),
    ]
    assert [d.interval.estimated for d in register_intervals(readings)] == [True, True, False]


def test_a_register_of_thirty_digits_is_subtracted_exactly() -> None:
    earlier = register("00:00", "123456789012345678.123456789012")
    later = register("00:15", "123456789012345679.000000000001")
    (derived,) = register_intervals([earlier, later])
    assert derived.interval.value == Decimal("0.876543210989")


def test_readings_are_ordered_by_real_time_across_a_clock_change() -> None:
    # 02:45 the first time comes before 02:15 the second time on 26 October in Berlin.
    first = RegisterReading(datetime(2025, 10, 26, 2, 45, tzinfo=BERLIN), Decimal(1))
    second = RegisterReading(datetime(2025, 10, 26, 2, 15, tzinfo=BERLIN, fold=1), Decimal(3))
    (derived,) = register_intervals([first, second])
    assert derived.interval.microseconds == 30 * 60 * 1_000_000
    with pytest.raises(RegisterError, match="increasing time order"):
        register_intervals([second, first])


# readings, previous -> index of the offending reading
INVALID = {
    "readings out of order": ([register("00:15", 1), register("00:00", 2)], None, 1),
    "two readings at one time": (
        [register("00:00", 1), register("00:15", 2), register("00:15", 3)],
        None,
        2,
    ),
    "a first reading before the previous one": ([register("00:00", 5)], register("00:15", 1), 0),
    "a first reading at the time of the previous one": (
        [register("00:15", 5)],
        register("00:15", 1),
        0,
    ),
    "a register below zero": ([register("00:00", 1), register("00:15", -1)], None, 1),
    "a previous register below zero": ([register("00:15", 1)], register("00:00", -1), -1),
    "a register that is not a number": ([register("00:00", "NaN")], None, 0),
    "a naive timestamp": (
        [register("00:00", 1), RegisterReading(datetime(2025, 3, 1, 0, 15), Decimal(2))],
        None,
        1,
    ),
}


@pytest.mark.parametrize(("readings", "previous", "index"), INVALID.values(), ids=list(INVALID))
def test_readings_that_cannot_be_paired_are_refused_with_their_index(
    readings, previous, index
) -> None:
    with pytest.raises(RegisterError, match=f"register reading {index}:") as raised:
        register_intervals(readings, previous)
    assert raised.value.index == index
    assert isinstance(raised.value, ValueError)
