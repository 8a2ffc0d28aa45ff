"""Data quality of one meter over a period [start, end) (an inventory year in Asia/Shanghai),
and of an inventory's meters together.

Readings count for the part of them inside the period; readings wholly outside are ignored.

Findings
- Gaps: stretches of the period no reading covers, including before the first and after the
  last reading.
- Overlaps: every reading that starts before an earlier-starting one ends, paired with the
  earlier reading that reaches furthest (one finding per overlapping reading, so the list
  stays as long as the input at most). The database refuses overlaps; other input may not.
- Zero or negative streaks: runs of at least `streak_min` (default 4) consecutive readings,
  in time order, with a value of zero or less. One zero is ordinary (an idle quarter-hour, a
  value rounded down); four in a row (an hour of 15-minute readings, four days of daily ones)
  look like a stopped meter or a lost connection and deserve a look. Bounds are the
  readings' own.
- Spikes: readings whose rate (value per hour, in the meter's unit per hour) lies outside
  median ± k x 1.4826 x MAD of the rates (k = `spike_k`, default 5; 1.4826 makes the MAD
  estimate a normal distribution's standard deviation). When half the rates or more are
  equal the MAD is 0 and would flag every other reading, so 1.2533 x the mean absolute
  deviation from the median takes its place (sqrt(pi/2): the modified z-score's fallback,
  as IBM's Cognos Analytics documents it); when that is 0 too, all rates are equal and
  nothing is a spike. Only readings with a positive value take part: zeros are the
  streaks' business, and a plant that stops every night would otherwise have a median of 0.
- Estimated share: the estimated part of the metered quantity (by value, the part inside the
  period; values below zero weigh nothing). When the quantity is 0, the share of estimated
  readings by count.
- Coverage: seconds of the period covered by at least one reading / seconds of the period.

Score (1 to 5, for the certification body)
1. Coverage band: the whole period covered 5; at least 95 % 4; at least 80 % 3; at least 50 %
   2; less 1.
2. Estimated share above 5 %: one point off; above 25 %: two points off.
3. One point off when readings overlap, or when more than 1 % of the readings in the period
   are anomalous (in a zero or negative streak, or a spike).
4. Never below 1.
An inventory's score is its worst meter's (a chain of evidence is as strong as its weakest
link; meters of different carriers have no common unit to weigh them by); none without
meters.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Context, Decimal, localcontext
from operator import itemgetter

from .intervals import Interval, microseconds

ZERO, ONE = Decimal(0), Decimal(1)
DEFAULT_STREAK_MIN = 4
DEFAULT_SPIKE_K = Decimal(5)
MAD_SCALE = Decimal("1.4826")  # 1 / (the normal distribution's 3rd quartile)
MEAN_DEVIATION_SCALE = Decimal("1.2533")  # sqrt(pi / 2)
MICROSECONDS_PER_HOUR = 3_600_000_000

COVERAGE_BANDS = ((ONE, 5), (Decimal("0.95"), 4), (Decimal("0.80"), 3), (Decimal("0.50"), 2))
LOWEST_SCORE = 1
ESTIMATED_PENALTIES = ((Decimal("0.25"), 2), (Decimal("0.05"), 1))  # share above: points off
ANOMALY_TOLERANCE = Decimal("0.01")  # of the readings in the period
# The version of these rules: raise it with any change of a rule or threshold above, so that
# the qualities stored with the old ones (MeterYearQuality) are computed again.
RULES_VERSION = 1

_STATS = Context(prec=28)

# (UTC microseconds of start and end, the interval), sorted by time
_Reading = tuple[int, int, Interval]


@dataclass(frozen=True)
class Gap:
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Overlap:
    first: Interval
    second: Interval


@dataclass(frozen=True)
class Streak:
    start: datetime
    end: datetime
    count: int


@dataclass(frozen=True)
class Spike:
    """A reading whose rate (`value` per hour) lies outside [low, high]."""

    start: datetime
    end: datetime
    value: Decimal
    rate: Decimal
    low: Decimal
    high: Decimal


@dataclass(frozen=True)
class MeterQuality:
    period_start: datetime
    period_end: datetime
    readings: int  # readings touching the period
    coverage: Decimal  # 0 to 1
    gaps: tuple[Gap, ...]
    overlaps: tuple[Overlap, ...]
    zero_streaks: tuple[Streak, ...]
    spikes: tuple[Spike, ...]
    estimated_share: Decimal  # 0 to 1
    score: int  # 1 to 5
    full_year: bool  # the whole period is covered

    @property
    def anomalous_readings(self) -> int:
        return sum(streak.count for streak in self.zero_streaks) + len(self.spikes)


def assess(
    intervals: Sequence[Interval],
    period_start: datetime,
    period_end: datetime,
    *,
    streak_min: int = DEFAULT_STREAK_MIN,
    spike_k: Decimal = DEFAULT_SPIKE_K,
) -> MeterQuality:
    """The quality of one meter's readings (in any order) over [period_start, period_end)."""
    low, high = _period(period_start, period_end)
    if streak_min < 1 or spike_k <= ZERO:
        raise ValueError("streak_min must be at least 1 and spike_k above 0")
    readings = _inside(intervals, low, high)
    with localcontext(_STATS):
        gaps, covered = _gaps(readings, period_start, period_end, low, high)
        coverage = Decimal(covered) / Decimal(high - low)
        overlaps = tuple(_overlaps(readings))
        streaks = tuple(_streaks(readings, streak_min))
        spikes = _spikes(readings, Decimal(spike_k))
        estimated = _estimated_share(readings, low, high)
        anomalous = sum(streak.count for streak in streaks) + len(spikes)
        score = meter_score(coverage, estimated, bool(overlaps), anomalous, len(readings))
    return MeterQuality(
        period_start=period_start,
        period_end=period_end,
        readings=len(readings),
        coverage=coverage,
        gaps=gaps,
        overlaps=overlaps,
        zero_streaks=streaks,
        spikes=spikes,
        estimated_share=estimated,
        score=score,
        full_year=covered == high - low,
    )


def meter_score(
    coverage: Decimal, estimated_share: Decimal, overlaps: bool, anomalous: int, readings: int
) -> int:
    """The score rule of the module doc."""
    score = next((points for floor, points in COVERAGE_BANDS if coverage >= floor), LOWEST_SCORE)
    score -= next((off for above, off in ESTIMATED_PENALTIES if estimated_share > above), 0)
    if overlaps or anomalous > ANOMALY_TOLERANCE * readings:
        score -= 1
    return max(score, LOWEST_SCORE)


def inventory_score(meters: Sequence[MeterQuality]) -> int | None:
    """The worst meter's score; None without meters."""
    return min((meter.score for meter in meters), default=None)


def _period(start: datetime, end: datetime) -> tuple[int, int]:
    if start.utcoffset() is None or end.utcoffset() is None:
        raise ValueError("the period must be timezone-aware")
    low, high = microseconds(start), microseconds(end)
    if high <= low:
        raise ValueError("the period must end after it starts")
    return low, high


def _inside(intervals: Sequence[Interval], low: int, high: int) -> list[_Reading]:
    readings = []
    for interval in intervals:
        start, end = microseconds(interval.start), microseconds(interval.end)
        if start < high and end > low:
            readings.append((start, end, interval))
    readings.sort(key=itemgetter(0, 1))
    return readings


def _gaps(
    readings: list[_Reading], period_start: datetime, period_end: datetime, low: int, high: int
) -> tuple[tuple[Gap, ...], int]:
    """The uncovered stretches and the covered microseconds (of the union of the readings)."""
    gaps = []
    covered = 0
    reach, reach_at = low, period_start  # covered up to here
    for start, end, interval in readings:
        if start > reach:
            gaps.append(Gap(reach_at, interval.start))
        if end > reach:
            covered += min(end, high) - max(start, reach)
            reach, reach_at = end, interval.end
    if reach < high:
        gaps.append(Gap(reach_at, period_end))
    return tuple(gaps), covered


def _overlaps(readings: list[_Reading]) -> Iterator[Overlap]:
    furthest: _Reading | None = None
    for reading in readings:
        if furthest is not None and reading[0] < furthest[1]:
            yield Overlap(furthest[2], reading[2])
        if furthest is None or reading[1] > furthest[1]:
            furthest = reading


def _streaks(readings: list[_Reading], minimum: int) -> Iterator[Streak]:
    run: list[Interval] = []
    for _, _, interval in readings:
        if interval.value <= ZERO:
            run.append(interval)
            continue
        if len(run) >= minimum:
            yield Streak(run[0].start, run[-1].end, len(run))
        run = []
    if len(run) >= minimum:
        yield Streak(run[0].start, run[-1].end, len(run))


def _spikes(readings: list[_Reading], k: Decimal) -> tuple[Spike, ...]:
    rated = [
        (interval, interval.value * MICROSECONDS_PER_HOUR / (end - start))
        for start, end, interval in readings
        if interval.value > ZERO
    ]
    if not rated:
        return ()
    rates = [rate for _, rate in rated]
    centre = _median(rates)
    deviations = [abs(rate - centre) for rate in rates]
    spread = MAD_SCALE * _median(deviations)
    if spread == ZERO:
        spread = MEAN_DEVIATION_SCALE * sum(deviations) / len(deviations)
    if spread == ZERO:
        return ()
    low, high = centre - k * spread, centre + k * spread
    return tuple(
        Spike(interval.start, interval.end, interval.value, rate, low, high)
        for interval, rate in rated
        if rate < low or rate > high
    )


def _median(values: list[Decimal]) -> Decimal:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def _estimated_share(readings: list[_Reading], low: int, high: int) -> Decimal:
    total = estimated = ZERO
    for start, end, interval in readings:
        if interval.value <= ZERO:
            continue
        value = interval.value
        if start < low or end > high:  # only the part inside the period counts
            value = value * (min(end, high) - max(start, low)) / (end - start)
        total += value
        if interval.estimated:
            estimated += value
    if total > ZERO:
        return estimated / total
    if not readings:
        return ZERO
    return Decimal(sum(1 for _, _, interval in readings if interval.estimated)) / len(readings)
