"""Short forms for the metering kernel's tests: times as ISO 8601 text, intervals as tuples."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from decimal import Decimal
from zoneinfo import ZoneInfo

from emissions.metering.intervals import Interval

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")


def at(text: str) -> datetime:
    """An aware datetime; text without an offset is read in Asia/Shanghai."""
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=SHANGHAI)


def reading(start: str, end: str, value: str | int, estimated: bool = False) -> Interval:
    return Interval(at(start), at(end), Decimal(value), estimated)


class Shifting(tzinfo):
    """A made-up zone one hour ahead of UTC, two hours ahead from `ahead_from` until
    `ahead_until` (naive UTC instants): daylight-saving changes wherever a test needs them."""

    HOUR = timedelta(hours=1)

    def __init__(self, ahead_from: datetime, ahead_until: datetime) -> None:
        self.ahead_from, self.ahead_until = ahead_from, ahead_until

    def fromutc(self, dt: datetime) -> datetime:
        utc = dt.replace(tzinfo=None)
        if self.ahead_from <= utc < self.ahead_until:
            return (utc + 2 * self.HOUR).replace(tzinfo=self)
        second_time = self.ahead_until <= utc < self.ahead_until + self.HOUR  # clocks went back
        return (utc + self.HOUR).replace(tzinfo=self, fold=int(second_time))

    def utcoffset(self, dt: datetime | None) -> timedelta:
        assert dt is not None
        wall = dt.replace(tzinfo=None, fold=0)
        forward, back = self.ahead_from + 2 * self.HOUR, self.ahead_until + 2 * self.HOUR
        repeated = dt.fold == 1 and wall >= back - self.HOUR
        return 2 * self.HOUR if forward <= wall < back and not repeated else self.HOUR

    def dst(self, dt: datetime | None) -> timedelta | None:
        return None

    def tzname(self, dt: datetime | None) -> str:
        return "Shifting"
