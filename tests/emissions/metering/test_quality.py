"""Data quality of a meter: gaps, overlaps, zero streaks, spikes, estimates, coverage, score."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from emissions.metering.intervals import Interval
from emissions.metering.quality import (
    Gap,
    MeterQuality,
    Overlap,
    Spike,
    Streak,
    assess,
    inventory_score,
    meter_score,
)
from emissions.metering.shares import percent_down
from tests.emissions.metering.support import at, reading

DAY_START, DAY_END = at("2025-03-01T00:00"), at("2025-03-02T00:00")
QUARTER = timedelta(minutes=15)


def day(
    values: Sequence[int | str | None], estimated: frozenset[int] = frozenset()
) -> list[Interval]:
    """Quarter-hours from the start of the day; None leaves a quarter-hour out."""
    return [
        Interval(
            DAY_START + n * QUARTER, DAY_START + (n + 1) * QUARTER, Decimal(value), n in estimated
        )
        for n, value in enumerate(values)
        if value is not None
    ]


def quarter(n: int) -> str:
    return (DAY_START + n * QUARTER).isoformat()


STEADY = [10 + n % 5 for n in range(96)]  # 10 to 14 kWh a quarter-hour


def test_a_complete_steady_day_is_full_and_scores_5() -> None:
    quality = assess(day(STEADY), DAY_START, DAY_END)
    assert (quality.readings, quality.full_year, quality.score) == (96, True, 5)
    assert quality.coverage == 1
    assert [quality.gaps, quality.overlaps, quality.zero_streaks, quality.spikes] == [()] * 4
    assert quality.estimated_share == 0


def test_gaps_are_found_before_between_and_after_the_readings() -> None:
    values = [None, None, *STEADY[2:40], None, *STEADY[41:95], None]
    quality = assess(day(values), DAY_START, DAY_END)
    assert quality.gaps == (
        Gap(DAY_START, DAY_START + 2 * QUARTER),
        Gap(DAY_START + 40 * QUARTER, DAY_START + 41 * QUARTER),
        Gap(DAY_START + 95 * QUARTER, DAY_END),
    )
    assert quality.coverage == Decimal(92) / 96
    assert not quality.full_year


def test_no_readings_leave_the_whole_period_a_gap() -> None:
    quality = assess([], DAY_START, DAY_END)
    assert quality.gaps == (Gap(DAY_START, DAY_END),)
    assert (quality.readings, quality.score) == (0, 1)
    assert quality.coverage == quality.estimated_share == 0


def test_readings_partly_outside_the_period_count_only_inside_it() -> None:
    readings = [
        reading("2025-02-28T23:00", "2025-03-01T01:00", 80, estimated=True),  # half inside
        *day(STEADY)[4:94],
        reading("2025-03-01T23:30", "2025-03-02T00:30", 20),  # half inside
        reading("2025-03-02T00:30", "2025-03-02T01:00", 10),  # outside
        reading("2025-02-28T22:00", "2025-02-28T23:00", 10),  # outside
    ]
    quality = assess(readings, DAY_START, DAY_END)
    assert (quality.readings, quality.gaps, quality.coverage) == (92, (), Decimal(1))
    inside = sum(STEADY[4:94]) + 40 + 10
    assert quality.estimated_share == Decimal(40) / inside


def test_every_reading_that_starts_inside_an_earlier_one_is_an_overlap() -> None:
    long = reading(quarter(0), quarter(4), 40)
    inner = reading(quarter(1), quarter(2), 10)
    across = reading(quarter(3), quarter(5), 20)
    twice = reading(quarter(4), quarter(6), 20)
    again = reading(quarter(4), quarter(6), 20)
    quality = assess([again, twice, across, inner, long], DAY_START, at(quarter(6)))
    assert quality.overlaps == (
        Overlap(long, inner),
        Overlap(long, across),
        Overlap(across, twice),
        Overlap(twice, again),
    )
    assert quality.coverage == 1
    assert quality.score == 4  # an overlap costs a point


# values -> streaks as (first quarter, quarter after the last, count), with streak_min 4
STREAKS = {
    "four zeros in a row": ([5, 0, 0, 0, 0, 5], [(1, 5, 4)]),
    "three zeros are not a streak": ([5, 0, 0, 0, 5, 0, 0, 0], []),
    "negative values count as zeros": ([5, 0, -1, "-0.5", 0, 0, 5], [(1, 6, 5)]),
    "a streak at the end": ([5, 5, 0, 0, 0, 0], [(2, 6, 4)]),
    "two streaks": ([0, 0, 0, 0, 5, 0, 0, 0, 0], [(0, 4, 4), (5, 9, 4)]),
}


@pytest.mark.parametrize(("values", "expected"), STREAKS.values(), ids=list(STREAKS))
def test_zero_and_negative_streaks(values, expected) -> None:
    quality = assess(day(values), DAY_START, DAY_END)
    assert quality.zero_streaks == tuple(
        Streak(DAY_START + first * QUARTER, DAY_START + after * QUARTER, count)
        for first, after, count in expected
    )


def test_the_streak_length_is_configurable() -> None:
    quality = assess(day([5, 0, 0, 5]), DAY_START, DAY_END, streak_min=2)
    assert quality.zero_streaks == (Streak(DAY_START + QUARTER, DAY_START + 3 * QUARTER, 2),)


def test_spikes_lie_outside_median_plus_minus_k_scaled_mads_of_the_rates() -> None:
    # Rates 40 to 56 kWh/h: median 48, MAD 4, band 48 -/+ 5 x 1.4826 x 4 = 18.348 to 77.652.
    values = [*STEADY[:10], 30, *STEADY[11:20], 2, *STEADY[21:]]
    quality = assess(day(values), DAY_START, DAY_END)
    low, high = Decimal("18.3480"), Decimal("77.6520")
    assert quality.spikes == (
        Spike(
            DAY_START + 10 * QUARTER, DAY_START + 11 * QUARTER, Decimal(30), Decimal(120), low, high
        ),
        Spike(
            DAY_START + 20 * QUARTER, DAY_START + 21 * QUARTER, Decimal(2), Decimal(8), low, high
        ),
    )
    assert quality.anomalous_readings == 2
    assert quality.score == 4  # 2 of 96 readings are more than 1 %


def test_a_larger_k_flags_fewer_spikes() -> None:
    values = [*STEADY[:10], 30, *STEADY[11:]]
    assert len(assess(day(values), DAY_START, DAY_END).spikes) == 1
    assert assess(day(values), DAY_START, DAY_END, spike_k=Decimal(20)).spikes == ()


def test_a_constant_load_falls_back_to_the_mean_absolute_deviation() -> None:
    # MAD 0; mean deviation 80 / 96, band 40 -/+ 5 x 1.2533 x 80 / 96.
    values = [10] * 50 + [30] + [10] * 45
    quality = assess(day(values), DAY_START, DAY_END)
    assert [spike.value for spike in quality.spikes] == [30]
    assert quality.spikes[0].high == 40 + 5 * (Decimal("1.2533") * 80 / 96)


SPIKE_FREE = {
    "all rates equal": [10] * 96,
    "no positive readings": [0] * 3,
    "one reading": [10],
    "two readings": [10, 1000],
}


@pytest.mark.parametrize("values", SPIKE_FREE.values(), ids=list(SPIKE_FREE))
def test_no_spikes_without_a_spread(values) -> None:
    assert assess(day(values), DAY_START, DAY_END).spikes == ()


def test_zeros_do_not_take_part_in_the_spike_rule() -> None:
    # A plant running one quarter-hour in 16: among all rates, the median and the MAD would
    # be 0 and every reading a spike.
    values = ([0] * 15 + [12]) * 6
    quality = assess(day(values), DAY_START, DAY_END, streak_min=16)
    assert quality.spikes == ()
    assert quality.zero_streaks == ()


def test_the_estimated_share_is_by_value() -> None:
    values = [30, 10, 10, 30]
    quality = assess(day(values, estimated=frozenset({0, 3})), DAY_START, DAY_END)
    assert quality.estimated_share == Decimal("0.75")


def test_the_estimated_share_of_a_meter_that_counted_nothing_is_by_count() -> None:
    quality = assess(day([0, 0, 0, -1], estimated=frozenset({1})), DAY_START, DAY_END)
    assert quality.estimated_share == Decimal("0.25")


def test_the_order_of_the_readings_does_not_change_the_findings() -> None:
    readings = day([*STEADY[:10], 30, None, 0, 0, 0, 0, *STEADY[16:]], estimated=frozenset({3}))
    assert assess(readings[::-1], DAY_START, DAY_END) == assess(readings, DAY_START, DAY_END)


# coverage, estimated share, overlaps, anomalous readings (of 1000) -> score
SCORES = {
    "full, measured, clean": ("1", "0", False, 0, 5),
    "one second short of full": ("0.99999", "0", False, 0, 4),
    "95 %": ("0.95", "0", False, 0, 4),
    "just under 95 %": ("0.9499", "0", False, 0, 3),
    "80 %": ("0.80", "0", False, 0, 3),
    "50 %": ("0.50", "0", False, 0, 2),
    "under 50 %": ("0.4999", "0", False, 0, 1),
    "5 % estimated is tolerated": ("1", "0.05", False, 0, 5),
    "over 5 % estimated costs a point": ("1", "0.0501", False, 0, 4),
    "25 % estimated costs a point": ("1", "0.25", False, 0, 4),
    "over 25 % estimated costs two": ("1", "0.2501", False, 0, 3),
    "an overlap costs a point": ("1", "0", True, 0, 4),
    "1 % anomalous readings are tolerated": ("1", "0", False, 10, 5),
    "more than 1 % cost a point": ("1", "0", False, 11, 4),
    "never below 1": ("0.6", "1", True, 1000, 1),
}


@pytest.mark.parametrize(
    ("coverage", "estimated", "overlaps", "anomalous", "score"), SCORES.values(), ids=list(SCORES)
)
def test_meter_score(coverage, estimated, overlaps, anomalous, score) -> None:
    assert meter_score(Decimal(coverage), Decimal(estimated), overlaps, anomalous, 1000) == score


def test_the_inventory_scores_as_its_worst_meter() -> None:
    good = assess(day(STEADY), DAY_START, DAY_END)
    meters = [good, replace(good, score=3), replace(good, score=4)]
    assert inventory_score(meters) == 3
    assert inventory_score([good]) == 5


def test_an_inventory_without_meters_has_no_score() -> None:
    assert inventory_score([]) is None


INVALID = {
    "a naive period": ({"period_start": DAY_START.replace(tzinfo=None)}, "aware"),
    "a period ending at its start": ({"period_end": DAY_START}, "end after"),
    "a streak of no readings": ({"streak_min": 0}, "streak_min"),
    "a spike band of no width": ({"spike_k": Decimal(0)}, "spike_k"),
}


@pytest.mark.parametrize(("changes", "problem"), INVALID.values(), ids=list(INVALID))
def test_assess_refuses_a_period_or_rule_that_makes_no_sense(changes, problem) -> None:
    arguments = {"period_start": DAY_START, "period_end": DAY_END} | changes
    with pytest.raises(ValueError, match=problem):
        assess(day(STEADY), **arguments)


def test_a_meter_quality_is_a_plain_value() -> None:
    quality = assess(day(STEADY), DAY_START, DAY_END)
    assert isinstance(quality, MeterQuality)
    assert quality == assess(day(STEADY), DAY_START, DAY_END)


@pytest.mark.parametrize(
    ("share", "shown"),
    [("0.547945", "54.7 %"), ("0.99999", "99.9 %"), ("1", "100.0 %"), ("0", "0.0 %")],
)
def test_a_share_is_shown_as_a_percentage_rounded_down(share: str, shown: str) -> None:
    assert percent_down(Decimal(share)) == shown
