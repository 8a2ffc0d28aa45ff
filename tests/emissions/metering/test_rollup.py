"""The monthly roll-up: readings split by time share at local month boundaries."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from decimal import Decimal, localcontext
from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from emissions.metering.intervals import EXACT, Interval, microseconds, moment, split
from emissions.metering.rollup import (
    MonthCalendar,
    MonthTotal,
    month_parts,
    month_span,
    monthly_totals,
    next_month,
    previous_month,
    year_months,
    year_span,
)
from tests.emissions.metering.support import BERLIN, SHANGHAI, Shifting, at, reading
from tests.properties.budget import budget

JAN, FEB, MAR, APR = (date(2025, month, 1) for month in range(1, 5))
DEC_2024 = date(2024, 12, 1)
HOUR, DAY = 3600, 86400
THIRD = Decimal("0.3333333333333333333333333333")

# (start, end, value, zone) -> [(month, share, seconds)]; times without offset are Shanghai's.
PARTS = {
    "a reading inside one month": (
        ("2025-03-10T00:00", "2025-03-10T00:15", "2.5", SHANGHAI),
        [(MAR, Decimal("2.5"), 900)],
    ),
    "a reading across a month boundary, split by time share": (
        ("2025-01-31T23:00", "2025-02-01T01:00", "10", SHANGHAI),
        [(JAN, Decimal(5), HOUR), (FEB, Decimal(5), HOUR)],
    ),
    "UTC timestamps split at Shanghai's midnight": (
        ("2025-01-31T15:30+00:00", "2025-01-31T16:30+00:00", "4", SHANGHAI),
        [(JAN, Decimal(2), HOUR // 2), (FEB, Decimal(2), HOUR // 2)],
    ),
    "the same hour rolled up in UTC stays in January": (
        ("2025-01-31T15:30+00:00", "2025-01-31T16:30+00:00", "4", UTC),
        [(JAN, Decimal(4), HOUR)],
    ),
    "a UTC evening is the next month's morning in Shanghai": (
        ("2025-01-31T20:00+00:00", "2025-01-31T21:00+00:00", "7", SHANGHAI),
        [(FEB, Decimal(7), HOUR)],
    ),
    "a reading over several months and a year boundary": (
        ("2024-12-15T00:00", "2025-02-15T00:00", "62", SHANGHAI),
        [
            (DEC_2024, Decimal(17), 17 * DAY),
            (JAN, Decimal(31), 31 * DAY),
            (FEB, Decimal(14), 14 * DAY),
        ],
    ),
    "a reading ending exactly at the month's end": (
        ("2025-03-31T23:45", "2025-04-01T00:00", "1", SHANGHAI),
        [(MAR, Decimal(1), 900)],
    ),
    "a reading starting exactly at the month's start": (
        ("2025-04-01T00:00", "2025-04-01T00:15", "1", SHANGHAI),
        [(APR, Decimal(1), 900)],
    ),
    "thirds: the last month takes the remainder": (
        ("2025-01-31T23:00", "2025-02-01T02:00", "1", SHANGHAI),
        [(JAN, THIRD, HOUR), (FEB, 1 - THIRD, 2 * HOUR)],
    ),
}


@pytest.mark.parametrize(("given_", "expected"), PARTS.values(), ids=list(PARTS))
def test_month_parts_split_a_reading_by_time_share(given_, expected) -> None:
    start, end, value, zone = given_
    interval = reading(start, end, value)
    parts = month_parts(interval, zone)
    assert parts == expected
    assert sum(share for _, share, _ in parts) == interval.value


def test_the_parts_of_an_awkward_value_sum_exactly_to_it() -> None:
    interval = reading(
        "2024-11-20T07:13:11", "2025-03-02T05:00:01", "123456789012345678.123456789012"
    )
    parts = month_parts(interval, SHANGHAI)
    assert [month for month, _, _ in parts] == [date(2024, 11, 1), DEC_2024, JAN, FEB, MAR]
    with localcontext(EXACT):  # 30 digits: the default context (28) would round the sum
        assert sum(share for _, share, _ in parts) == interval.value


def test_a_month_of_a_daylight_saving_zone_is_its_real_length() -> None:
    # Berlin moves its clocks forward on 30 March 2025: March has 31 days less an hour.
    totals = monthly_totals(
        [reading("2025-03-10T00:00+01:00", "2025-03-10T01:00+01:00", 1)], BERLIN
    )
    assert totals[MAR].month_seconds == 31 * DAY - HOUR


def _berlin(text: str, fold: int = 0) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BERLIN, fold=fold)


def test_readings_in_a_daylight_saving_zone_count_their_real_duration() -> None:
    # Half-hours from 01:00 on the night Berlin's clocks go from 02:00 to 03:00: 01:00,
    # 01:30, 03:00, 03:30, 04:00 on the clock are two real hours.
    first = _berlin("2025-03-30T01:00").astimezone(UTC)
    steps = [(first + timedelta(minutes=30 * n)).astimezone(BERLIN) for n in range(5)]
    night = [Interval(a, b, Decimal(1)) for a, b in pairwise(steps)]
    hour = Interval(_berlin("2025-01-05T00:00"), _berlin("2025-01-05T01:00"), Decimal(2))
    totals = monthly_totals([hour, hour, hour, *night], BERLIN)  # January: the cheap path
    assert (totals[MAR].covered_seconds, totals[MAR].value) == (2 * HOUR, Decimal(4))
    assert (totals[JAN].covered_seconds, totals[JAN].value) == (3 * HOUR, Decimal(6))


def _in(zone: tzinfo, utc: str) -> datetime:
    return at(f"{utc}+00:00").astimezone(zone)


def test_a_month_whose_ends_differ_in_offset_is_never_taken_on_the_clock() -> None:
    # Two hours ahead from 15 March to 1 April 00:30 UTC, then one again: the UTC month of
    # March ends (00:00 UTC) at 02:00 on this zone's clock, and 00:45 UTC is 01:45 after the
    # clocks went back. On the clock the second reading would end inside March.
    zone = Shifting(datetime(2025, 3, 15), datetime(2025, 4, 1, 0, 30))
    first = Interval(_in(zone, "2025-03-02T00:00"), _in(zone, "2025-03-02T01:00"), Decimal(1))
    across = Interval(_in(zone, "2025-03-10T00:00"), _in(zone, "2025-04-01T00:45"), Decimal(1))
    totals = monthly_totals([first, across], UTC)
    assert totals[APR].covered_seconds == 45 * 60
    assert totals[MAR].value + totals[APR].value == 2


def test_a_reading_across_a_clock_change_inside_a_month_counts_its_real_time() -> None:
    # Two hours ahead from 10 to 20 March: March starts and ends one hour ahead.
    zone = Shifting(datetime(2025, 3, 10), datetime(2025, 3, 20))
    first = Interval(_in(zone, "2025-03-02T00:00"), _in(zone, "2025-03-02T01:00"), Decimal(1))
    across = Interval(_in(zone, "2025-03-09T23:00"), _in(zone, "2025-03-10T01:00"), Decimal(1))
    assert monthly_totals([first, across], UTC)[MAR].covered_seconds == 3 * HOUR


def test_monthly_totals_add_values_estimates_time_and_readings_per_month() -> None:
    readings = [
        reading("2025-01-31T23:00", "2025-02-01T01:00", "10", estimated=True),
        reading("2025-02-01T01:00", "2025-02-01T01:15", "1.25"),
        reading("2025-02-01T01:15", "2025-02-01T01:30", "0.75", estimated=True),
        reading("2025-04-01T00:00", "2025-05-01T00:00", "300"),
    ]
    assert monthly_totals(readings, SHANGHAI) == {
        JAN: MonthTotal(JAN, Decimal(5), Decimal(5), HOUR, 31 * DAY, 1),
        FEB: MonthTotal(FEB, Decimal(7), Decimal("5.75"), HOUR + 1800, 28 * DAY, 3),
        APR: MonthTotal(APR, Decimal(300), Decimal(0), 30 * DAY, 30 * DAY, 1),
    }


def test_a_month_covered_wholly_has_coverage_1_and_half_covered_one_half() -> None:
    totals = monthly_totals(
        [
            reading("2025-04-01T00:00", "2025-05-01T00:00", 1),
            reading("2025-02-01", "2025-02-15", 1),
        ],
        SHANGHAI,
    )
    assert totals[APR].coverage == 1
    assert totals[FEB].coverage == Decimal("0.5")
    assert list(totals) == [FEB, APR]


def test_the_order_of_the_readings_does_not_change_the_totals() -> None:
    readings = [
        reading(f"2025-01-31T{hour:02}:00+00:00", f"2025-01-31T{hour + 1:02}:00+00:00", hour)
        for hour in range(23)
    ]
    assert monthly_totals(readings[::-1], SHANGHAI) == monthly_totals(readings, SHANGHAI)


def test_no_readings_give_no_months() -> None:
    assert monthly_totals([], SHANGHAI) == {}


def test_readings_in_fixed_offsets_and_zone_objects_roll_up_alike() -> None:
    utc = [
        reading(f"2025-03-0{day}T16:00+00:00", f"2025-03-0{day}T17:00+00:00", day)
        for day in range(1, 9)
    ]
    plus8 = timezone(timedelta(hours=8))
    forms = [
        [Interval(r.start.astimezone(zone), r.end.astimezone(zone), r.value) for r in utc]
        for zone in (UTC, plus8, SHANGHAI)
    ]
    mixed = [Interval(r.start, r.end.astimezone(SHANGHAI), r.value) for r in utc]
    results = [monthly_totals(form, SHANGHAI) for form in (*forms, mixed)]
    assert all(result == results[0] for result in results)
    assert results[0][MAR].value == 36


MONTHS = {
    "December to January": (date(2024, 12, 1), date(2025, 1, 1), date(2024, 11, 1)),
    "January to December": (date(2025, 1, 1), date(2025, 2, 1), date(2024, 12, 1)),
    "June": (date(2025, 6, 1), date(2025, 7, 1), date(2025, 5, 1)),
}


@pytest.mark.parametrize(("month", "after", "before"), MONTHS.values(), ids=list(MONTHS))
def test_next_and_previous_month(month, after, before) -> None:
    assert next_month(month) == after
    assert previous_month(month) == before


def test_a_year_has_twelve_months_and_spans_local_midnights() -> None:
    assert year_months(2025) == [date(2025, month, 1) for month in range(1, 13)]
    start, end = year_span(2025, SHANGHAI)
    assert (start.isoformat(), end.isoformat()) == (
        "2025-01-01T00:00:00+08:00",
        "2026-01-01T00:00:00+08:00",
    )
    assert month_span(date(2025, 12, 1), SHANGHAI) == (
        at("2025-12-01T00:00"),
        at("2026-01-01T00:00"),
    )


def test_the_calendar_extends_backwards_and_forwards() -> None:
    calendar = MonthCalendar(SHANGHAI)
    may = microseconds(at("2025-05-10T00:00"))
    assert [piece.month for piece in calendar.pieces(may, may + 1)] == [date(2025, 5, 1)]
    january = microseconds(at("2025-01-10T00:00"))
    pieces = calendar.pieces(january, microseconds(at("2025-07-02T00:00")))
    assert [piece.month for piece in pieces] == [date(2025, month, 1) for month in range(1, 8)]
    assert sum(piece.length for piece in pieces) == microseconds(at("2025-07-02")) - january


INVALID = {
    "a naive start": (datetime(2025, 1, 1), at("2025-01-02"), Decimal(1), "aware"),
    "a naive end": (at("2025-01-01"), datetime(2025, 1, 2), Decimal(1), "aware"),
    "an end at the start": (at("2025-01-01"), at("2025-01-01"), Decimal(1), "after"),
    "an end before the start": (at("2025-01-02"), at("2025-01-01"), Decimal(1), "after"),
    # 02:15 the second time (01:15 UTC) to 02:45 the first time (00:45 UTC) on 26 October.
    "an end before the start in real time, after it on the clock": (
        _berlin("2025-10-26T02:15", fold=1),
        _berlin("2025-10-26T02:45"),
        Decimal(1),
        "after",
    ),
    "a value that is not a number": (at("2025-01-01"), at("2025-01-02"), Decimal("NaN"), "finite"),
    "an infinite value": (at("2025-01-01"), at("2025-01-02"), Decimal("Infinity"), "finite"),
}


@pytest.mark.parametrize(("start", "end", "value", "problem"), INVALID.values(), ids=list(INVALID))
def test_an_interval_refuses_what_cannot_be_a_reading(start, end, value, problem) -> None:
    with pytest.raises(ValueError, match=problem):
        Interval(start, end, value)


def test_an_interval_from_checked_parts_is_the_same_interval() -> None:
    parts = (at("2025-01-01T00:00"), at("2025-01-01T00:15"), Decimal("2.5"), True)
    assert Interval.checked(*parts) == Interval(*parts)
    assert Interval.checked(*parts[:3]) == Interval(*parts[:3])


DURATIONS = {
    "across the spring change": (_berlin("2025-03-30T01:00"), _berlin("2025-03-30T04:00"), 2),
    "across the autumn change": (_berlin("2025-10-26T01:00"), _berlin("2025-10-26T04:00"), 4),
    "back on the clock, forward in time": (
        _berlin("2025-10-26T02:30"),
        _berlin("2025-10-26T02:15", fold=1),
        Decimal("0.75"),
    ),
    "between two zones": (at("2025-01-01T08:00"), at("2025-01-01T02:00+00:00"), 2),
}


@pytest.mark.parametrize(("start", "end", "hours"), DURATIONS.values(), ids=list(DURATIONS))
def test_an_interval_is_as_long_as_real_time_says(start, end, hours) -> None:
    assert Interval(start, end, Decimal(1)).microseconds == hours * HOUR * 1_000_000


SPLITS = {
    "a half rounds to the even 0": (Decimal(1), [1, 2 * 10**28 - 1], Decimal(0)),
    "a half rounds to the even 2": (Decimal(3), [1, 2 * 10**28 - 1], Decimal("2E-28")),
    "more than a half rounds up": (Decimal(2), [1, 3 * 10**28 - 1], Decimal("1E-28")),
    "less than a half rounds down": (Decimal(1), [1, 3 * 10**28 - 1], Decimal(0)),
}


@pytest.mark.parametrize(("value", "weights", "first"), SPLITS.values(), ids=list(SPLITS))
def test_split_rounds_half_even_and_keeps_the_sum(value, weights, first) -> None:
    parts = split(value, weights)
    assert parts[0] == first
    assert sum(parts) == value


def test_split_refuses_a_value_that_is_not_a_number() -> None:
    with pytest.raises(ValueError, match="finite"):
        split(Decimal("NaN"), [1, 1])


# The property: monthly totals are the time-shared sums of the readings.
ZONES = (UTC, SHANGHAI, BERLIN, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5)))
ORIGIN = microseconds(at("2024-10-01T00:00"))
SPAN = 500 * DAY * 1_000_000


LENGTHS = st.one_of(
    st.integers(1, HOUR * 1_000_000),  # down to a microsecond
    st.sampled_from([900, HOUR, DAY]).map(lambda seconds: seconds * 1_000_000),
    st.integers(1, 120 * DAY * 1_000_000),  # over several months
)
VALUES = st.decimals(min_value=0, max_value=10**18, places=12, allow_nan=False)


@st.composite
def runs(draw: st.DrawFn) -> list[Interval]:
    """Back-to-back readings of one length in one zone (a meter's stream: mostly the cheap
    path, with a month boundary now and then), or a single reading."""
    start = ORIGIN + draw(st.integers(0, SPAN))
    length, zone = draw(LENGTHS), draw(st.sampled_from(ZONES))
    run = []
    for _ in range(draw(st.integers(1, 12))):
        end = start + length
        value, estimated = draw(VALUES), draw(st.booleans())
        run.append(
            Interval(moment(start).astimezone(zone), moment(end).astimezone(zone), value, estimated)
        )
        start = end
    return run


def _time_shared(
    readings: list[Interval], month: date, zone
) -> tuple[Fraction, Fraction, int, int]:
    low, high = (microseconds(bound) for bound in month_span(month, zone))
    value = estimated = Fraction(0)
    covered = count = 0
    for interval in readings:
        start, end = microseconds(interval.start), microseconds(interval.end)
        inside = min(end, high) - max(start, low)
        if inside > 0:
            share = Fraction(interval.value) * inside / (end - start)
            value += share
            estimated += share if interval.estimated else 0
            covered += inside
            count += 1
    return value, estimated, covered // 1_000_000, count


def _close(actual: Decimal, exact: Fraction) -> bool:
    if exact == 0:
        return actual == 0
    return abs(Fraction(actual) - exact) / exact < Fraction(1, 10**9)


@given(st.lists(runs(), max_size=6), st.randoms(), st.sampled_from((SHANGHAI, UTC, BERLIN)))
@budget()
def test_monthly_totals_are_the_time_shared_sums_of_the_readings(runs_, random, zone) -> None:
    readings = [interval for run in runs_ for interval in run]
    random.shuffle(readings)
    with localcontext(EXACT):  # the test's own sums must not round
        _check_totals(readings, zone)


def _check_totals(readings: list[Interval], zone) -> None:
    totals = monthly_totals(readings, zone)
    assert sum(total.value for total in totals.values()) == sum(r.value for r in readings)
    by_parts: dict[date, Decimal] = defaultdict(Decimal)
    for interval in readings:
        parts = month_parts(interval, zone)
        assert sum(share for _, share, _ in parts) == interval.value
        for month, share, _ in parts:
            by_parts[month] += share
    assert set(totals) == set(by_parts)
    for month, total in totals.items():
        value, estimated, covered, count = _time_shared(readings, month, zone)
        assert total.value == by_parts[month]
        assert _close(total.value, value)
        assert _close(total.estimated_value, estimated)
        assert (total.covered_seconds, total.readings) == (covered, count)
