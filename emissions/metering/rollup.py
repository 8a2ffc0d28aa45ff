"""The monthly roll-up: what a meter's readings give per calendar month of a zone.

A reading inside one month counts wholly in it. A reading that spans month boundaries is
split by time share: each month gets value x (the reading's time in the month / its whole
duration), the shares rounded to 28 significant digits and the last month taking the
remainder, so the parts sum exactly to the reading's value (`intervals.split`). Months start
at local midnight of their first day in the zone (Asia/Shanghai for the platform; the first
instant of that midnight where a zone's clocks jump). Sums are exact.

The common case, a reading inside the month of the one before it, is a few comparisons: the
month's bounds are kept in the reading's own time zone object, where Python compares and
subtracts wall-clock times, which is exact when the reading and both bounds have one UTC
offset (always for fixed offsets such as the UTC datetimes of the database; checked per
reading otherwise). Everything else goes through UTC microseconds.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from decimal import Context, Decimal, localcontext

from .intervals import (
    EPOCH,
    EXACT,
    MICROSECOND,
    MICROSECONDS_PER_SECOND,
    Interval,
    microseconds,
    moment,
    split,
)

ZERO = Decimal(0)
NO_TIME = timedelta(0)
_RATIO = Context(prec=28)


@dataclass(frozen=True)
class MonthTotal:
    """One month of one meter. `value` and `estimated_value` (the part of it from estimated
    readings) are in the meter's unit; `covered_seconds` is the time the readings cover in
    the month (whole seconds, rounded down), `readings` the number of readings touching it."""

    month: date
    value: Decimal
    estimated_value: Decimal
    covered_seconds: int
    month_seconds: int
    readings: int

    @property
    def coverage(self) -> Decimal:
        """Covered share of the month, 0 to 1 (28 significant digits)."""
        return _RATIO.divide(Decimal(self.covered_seconds), Decimal(self.month_seconds))


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def previous_month(month: date) -> date:
    if month.month == 1:
        return date(month.year - 1, 12, 1)
    return date(month.year, month.month - 1, 1)


def year_months(year: int) -> list[date]:
    """The first days of the twelve months of `year`."""
    return [date(year, number, 1) for number in range(1, 13)]


def month_span(month: date, zone: tzinfo) -> tuple[datetime, datetime]:
    """[start, end) of the month of `month` in `zone`, as datetimes of that zone."""
    return _midnight(month, zone), _midnight(next_month(month), zone)


def year_span(year: int, zone: tzinfo) -> tuple[datetime, datetime]:
    """[start, end) of the calendar year in `zone`: the period of an inventory year."""
    return _midnight(date(year, 1, 1), zone), _midnight(date(year + 1, 1, 1), zone)


def _midnight(day: date, zone: tzinfo) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=zone)


class MonthCalendar:
    """Month boundaries of a zone as UTC microseconds, extended on demand around the times
    asked about: `bounds[i]` is where `months[i]` starts and `bounds[i + 1]` where it ends."""

    def __init__(self, zone: tzinfo) -> None:
        self.zone = zone
        self.months: list[date] = []
        self.bounds: list[int] = []

    def pieces(self, start: int, end: int) -> list[Piece]:
        """The months [start, end) (UTC microseconds) touches, in time order, with the time
        it spends in each."""
        self._cover(start, end)
        index = bisect_right(self.bounds, start) - 1
        pieces = []
        while self.bounds[index] < end:
            low, high = self.bounds[index], self.bounds[index + 1]
            pieces.append(Piece(self.months[index], low, high, min(end, high) - max(start, low)))
            index += 1
        return pieces

    def _cover(self, start: int, end: int) -> None:
        if not self.months:
            local = moment(start).astimezone(self.zone)
            first = date(local.year, local.month, 1)
            self.months.append(first)
            self.bounds += [self._start(first), self._start(next_month(first))]
        # Where clocks jump around midnight, the local date can disagree with the boundary.
        while start < self.bounds[0]:
            month = previous_month(self.months[0])
            self.months.insert(0, month)
            self.bounds.insert(0, self._start(month))
        while end > self.bounds[-1]:
            month = next_month(self.months[-1])
            self.months.append(month)
            self.bounds.append(self._start(next_month(month)))

    def _start(self, month: date) -> int:
        return microseconds(_midnight(month, self.zone))


@dataclass(frozen=True, slots=True)
class Piece:
    """The part of an interval in one month."""

    month: date
    low: int  # the month's bounds, UTC microseconds
    high: int
    length: int  # microseconds of the interval in the month


def month_parts(interval: Interval, zone: tzinfo) -> list[tuple[date, Decimal, int]]:
    """(month, share of the value, whole seconds in the month) for each month the interval
    touches, in time order; the shares sum exactly to `interval.value`."""
    start, end = microseconds(interval.start), microseconds(interval.end)
    pieces = MonthCalendar(zone).pieces(start, end)
    shares = _shares(interval.value, pieces)
    return [
        (piece.month, share, piece.length // MICROSECONDS_PER_SECOND)
        for piece, share in zip(pieces, shares, strict=True)
    ]


def _shares(value: Decimal, pieces: list[Piece]) -> list[Decimal]:
    if len(pieces) == 1:  # inside one month: no division
        return [value]
    return split(value, [piece.length for piece in pieces])


class _Month:
    """Running totals of one month (covered time in two parts: wall-clock time from the
    common case, microseconds from the rest)."""

    __slots__ = ("estimated", "length", "micros", "readings", "value", "wall")

    def __init__(self, length: int) -> None:
        self.length = length  # of the month, microseconds
        self.value = ZERO
        self.estimated = ZERO
        self.wall = NO_TIME
        self.micros = 0
        self.readings = 0


class _Rollup:
    def __init__(self, zone: tzinfo) -> None:
        self.months: dict[date, _Month] = {}
        self.calendar = MonthCalendar(zone)
        # The month of the last reading, in that reading's zone object (see the module doc).
        self._zone: tzinfo | None = None
        self._low = self._high = EPOCH
        self._offset: timedelta | None = None
        self._current = _Month(0)

    def add(self, interval: Interval) -> None:
        start, end = interval.start, interval.end
        zone = start.tzinfo
        if (
            zone is self._zone
            and end.tzinfo is zone
            and self._low <= start
            and end <= self._high
            and (self._offset is None or start.utcoffset() == self._offset == end.utcoffset())
        ):
            month = self._current
            month.value += interval.value
            if interval.estimated:
                month.estimated += interval.value
            month.wall += end - start
            month.readings += 1
        else:
            self._add_exactly(interval)

    def _add_exactly(self, interval: Interval) -> None:
        pieces = self.calendar.pieces(microseconds(interval.start), microseconds(interval.end))
        shares = _shares(interval.value, pieces)
        for piece, share in zip(pieces, shares, strict=True):
            totals = self._month(piece)
            totals.value += share
            if interval.estimated:
                totals.estimated += share
            totals.micros += piece.length
            totals.readings += 1
        self._remember(interval.start.tzinfo, pieces[-1])

    def _month(self, piece: Piece) -> _Month:
        totals = self.months.get(piece.month)
        if totals is None:
            totals = self.months[piece.month] = _Month(piece.high - piece.low)
        return totals

    def _remember(self, zone: tzinfo | None, piece: Piece) -> None:
        self._low = moment(piece.low).astimezone(zone)
        self._high = moment(piece.high).astimezone(zone)
        self._current = self.months[piece.month]
        self._zone = zone
        if isinstance(zone, timezone):  # a fixed offset: wall-clock time is UTC time shifted
            self._offset = None
        else:
            self._offset = self._low.utcoffset()
            if self._high.utcoffset() != self._offset:  # the offset changes in this month
                self._zone = None

    def totals(self) -> dict[date, MonthTotal]:
        result = {}
        for month in sorted(self.months):
            totals = self.months[month]
            covered = totals.micros + totals.wall // MICROSECOND
            result[month] = MonthTotal(
                month=month,
                value=totals.value,
                estimated_value=totals.estimated,
                covered_seconds=covered // MICROSECONDS_PER_SECOND,
                month_seconds=totals.length // MICROSECONDS_PER_SECOND,
                readings=totals.readings,
            )
        return result


def _start(interval: Interval) -> datetime:
    return interval.start


def monthly_totals(intervals: Iterable[Interval], zone: tzinfo) -> dict[date, MonthTotal]:
    """The months the intervals touch, in calendar order, with their time-shared totals.
    Overlapping intervals (which the database refuses) would each count in full."""
    rollup = _Rollup(zone)
    # In time order most readings fall in the month of the one before (the cheap path);
    # sorting costs little, and nearly nothing for readings already in order.
    with localcontext(EXACT):
        for interval in sorted(intervals, key=_start):
            rollup.add(interval)
    return rollup.totals()
