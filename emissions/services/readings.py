"""Meters, their readings and the monthly roll-up: writes, each in its own transaction.

A batch is checked row by row (emissions.ingest.readings), then against the meter's stored
readings, and written set-based: new rows with one COPY (PostgreSQL; one multi-row INSERT on
SQLite), corrections with one UPDATE and one INSERT of their history, the roll-up with one
upsert of the months touched. The meter row is locked for the batch, so two batches of one
meter never interleave; readings of different meters go in side by side.

Keys are (meter, start, end): posting the same batch again finds every row stored and equal
("unchanged"). POST never changes a stored value (a different value for a stored interval is
refused, naming it); PUT corrects it and records the previous value (ReadingCorrection).
"""

from __future__ import annotations

import bisect
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, localcontext
from itertools import pairwise
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from emissions.accounting.carriers import FIXED_CARRIERS
from emissions.accounting.errors import AccountingError
from emissions.accounting.units import canonical_unit, unit_fits_carrier
from emissions.ingest.readings import (
    LOCAL_ZONE,
    BatchInvalid,
    Parsed,
    Point,
    Row,
    RowChecker,
    RowError,
    decode_rows,
)
from emissions.metering.intervals import Interval
from emissions.metering.registers import RegisterReading, register_intervals
from emissions.metering.rollup import MonthTotal, monthly_totals
from emissions.models import Factory, Meter, MeterMonth, Reading, ReadingCorrection
from emissions.selectors import default_factor_set, kernel_factor_set
from zerocarbon.accounts.tenancy import Actor, require_write
from zerocarbon.errors import Conflict, FieldError, ValidationFailed

ROLLUP_PLACES = Decimal("1e-12")  # the storage scale of quantities (emissions.limits)


class ReadingsRejected(ValidationFailed):
    """?atomic=true and some rows were refused: nothing was written (400)."""

    code = "readings_rejected"

    def __init__(self, rejected: list[Rejected]) -> None:
        errors = [FieldError(e.path, e.message) for r in rejected for e in r.errors]
        message = _(
            "{count} of the rows were refused and the batch is all-or-nothing "
            "(atomic=true): nothing was written."
        ).format(count=len(rejected))
        super().__init__(message, errors)
        self.rejected = rejected


class BatchUnreadable(ValidationFailed):
    """The body as a whole is not a batch (not JSON or CSV, no rows, too many rows): 400."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message, [FieldError("/", message)])
        self.code = code


@dataclass(frozen=True)
class Rejected:
    index: int
    errors: tuple[RowError, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "errors": [{"path": e.path, "code": e.code, "message": e.message} for e in self.errors],
        }


@dataclass
class BatchResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    resets: list[int] = field(default_factory=list)  # cumulative meters: rows after a reset

    def as_dict(self) -> dict[str, Any]:
        answer: dict[str, Any] = {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": [r.as_dict() for r in sorted(self.rejected, key=lambda r: r.index)],
        }
        if self.resets:
            answer["register_resets"] = self.resets
        return answer


# --- meters -----------------------------------------------------------------------------


def create_meter(actor: Actor, factory: Factory, data: dict[str, Any]) -> Meter:
    """A meter of `factory`: its carrier must be one an inventory can hold, its unit one that
    fits the carrier, its external id new in the factory."""
    require_write(actor, factory.organisation, factory=factory)
    carrier, unit = str(data["carrier"]).strip(), str(data["unit"]).strip()
    errors = _carrier_unit_errors(carrier, unit)
    if errors:
        raise ValidationFailed(_("The meter was not created."), errors)
    external_id = str(data["external_id"]).strip()
    if Meter.objects.filter(factory=factory, external_id=external_id).exists():
        raise Conflict(
            _("This factory already has a meter {external_id}.").format(external_id=external_id),
            [FieldError("/external_id", _("already used by another meter of this factory"))],
        )
    return Meter.objects.create(
        factory=factory,
        carrier=carrier,
        unit=canonical_unit(unit),
        external_id=external_id,
        kind=data.get("kind") or Meter.Kind.INTERVAL,
        name=data.get("name", ""),
    )


def _carrier_unit_errors(carrier: str, unit: str) -> list[FieldError]:
    factors = kernel_factor_set(default_factor_set())
    if carrier not in FIXED_CARRIERS and carrier not in factors.fuels:
        return [
            FieldError(
                "/carrier",
                _(
                    "unknown energy carrier {carrier}; use grid_electricity, "
                    "onsite_renewable_electricity, purchased_heat, purchased_steam or a fuel code "
                    "of the factor set"
                ).format(carrier=repr(carrier)),
            )
        ]
    try:
        fits = unit_fits_carrier(carrier, unit, factors)
    except AccountingError:
        fits = False
    if not fits:
        return [
            FieldError(
                "/unit",
                _("{unit} is not a unit of {carrier}").format(unit=repr(unit), carrier=carrier),
            )
        ]
    return []


# --- readings in --------------------------------------------------------------------------


def record_readings(
    actor: Actor,
    meter: Meter,
    body: bytes,
    content_type: str,
    *,
    atomic: bool = False,
    correct: bool = False,
    unit: str = "",
    now: datetime | None = None,
) -> BatchResult:
    """Check and write a batch; `correct` (PUT) lets a stored interval take a new value."""
    require_write(actor, meter.factory.organisation, factory=meter.factory)
    try:
        raw_rows = decode_rows(body, content_type)
    except BatchInvalid as invalid:
        raise BatchUnreadable(invalid.code, invalid.message) from None
    checker = RowChecker(
        meter.unit, meter.kind == Meter.Kind.CUMULATIVE, now or timezone.now(), unit
    )
    parsed = checker.check(raw_rows)
    with transaction.atomic():
        Meter.objects.select_for_update().filter(pk=meter.pk).first()
        batch = _Batch(meter, parsed, correct=correct, actor=actor)
        batch.plan()
        if atomic and batch.result.rejected:
            raise ReadingsRejected(batch.result.rejected)
        batch.write()
        if batch.new or batch.changed:
            _quality_after_commit(meter)
    return batch.result


class _Batch:
    """One batch against the stored readings of one (locked) meter."""

    def __init__(self, meter: Meter, parsed: Parsed, *, correct: bool, actor: Actor) -> None:
        self.meter = meter
        self.correct = correct
        self.actor = actor
        self.result = BatchResult()
        self.rejections: dict[int, list[RowError]] = {i: list(e) for i, e in parsed.errors.items()}
        self.parsed = parsed
        self.new: list[Row] = []
        self.changed: list[tuple[int, Interval, Row]] = []  # stored id, stored, new
        # Cumulative meters: (register at start, register at end) of each new interval.
        self._registers: dict[tuple[datetime, datetime], tuple[Decimal | None, Decimal | None]] = {}

    def reject(self, index: int, path: str, code: str, message: str) -> None:
        self.rejections.setdefault(index, []).append(RowError(f"/{index}{path}", code, message))

    def plan(self) -> None:
        rows = self._rows()
        rows = self._without_batch_clashes(rows)
        self._against_stored(rows)
        self.result.rejected = [Rejected(i, tuple(e)) for i, e in sorted(self.rejections.items())]

    def _rows(self) -> list[Row]:
        if self.meter.kind != Meter.Kind.CUMULATIVE:
            return self.parsed.rows
        return self._register_rows(self.parsed.points)

    def _register_rows(self, points: list[Point]) -> list[Row]:
        ordered: list[Point] = []
        seen: set[datetime] = set()
        for point in sorted(points, key=lambda p: (p.register.timestamp, p.index)):
            if point.register.timestamp in seen:
                self.reject(
                    point.index,
                    "/timestamp",
                    "duplicate_in_batch",
                    _("another row of the batch has this timestamp"),
                )
                continue
            seen.add(point.register.timestamp)
            ordered.append(point)
        if not ordered:
            return []
        previous = _previous_register(self.meter, ordered[0].register.timestamp)
        if previous is not None and previous.timestamp == ordered[0].register.timestamp:
            self._stored_point(ordered.pop(0), previous)  # the end of a stored reading
            if not ordered:
                return []
        registers = [
            RegisterReading(p.register.timestamp, p.register.reading, p.estimated) for p in ordered
        ]
        derived = register_intervals(registers, previous)
        if previous is None and len(ordered) == 1:
            self.reject(
                ordered[0].index,
                "/timestamp",
                "register_start_only",
                _(
                    "the first reading of this meter only starts the register: nothing is counted "
                    "until the next one; send it again together with the next reading"
                ),
            )
        rows = []
        for item in derived:
            rows.append(Row(ordered[item.index].index, item.interval))
            self._registers[item.interval.start, item.interval.end] = (
                item.register_start,
                item.register_end,
            )
            if item.reset:
                self.result.resets.append(ordered[item.index].index)
        return rows

    def _stored_point(self, point: Point, stored: RegisterReading) -> None:
        if point.register.reading == stored.reading:
            self.result.unchanged += 1
        else:
            self.reject(
                point.index,
                "/reading",
                "conflicting_value",
                _(
                    "the register at this moment is stored as {value}; delete the readings "
                    "around it first to change it"
                ).format(value=_plain(stored.reading)),
            )

    def _without_batch_clashes(self, rows: list[Row]) -> list[Row]:
        """Duplicates and overlaps inside the batch: the later row (in time) is refused. In
        time order a duplicate follows its twin, so comparing with the previous row finds
        it; `reach` is the kept row that ends last."""
        kept: list[Row] = []
        previous: Interval | None = None
        reach: Interval | None = None
        reach_index = -1
        for row in _in_time_order(rows):
            interval = row.interval
            if (
                previous is not None
                and interval.start == previous.start
                and interval.end == previous.end
            ):
                self.reject(
                    row.index,
                    "/start",
                    "duplicate_in_batch",
                    _("another row of the batch has the same start and end"),
                )
                continue
            previous = interval
            if reach is not None and interval.start < reach.end:
                self.reject(
                    row.index,
                    "/start",
                    "overlap_in_batch",
                    _("overlaps row {other} of the batch").format(other=reach_index),
                )
                continue
            kept.append(row)
            if reach is None or interval.end > reach.end:
                reach, reach_index = interval, row.index
        return kept

    def _against_stored(self, rows: list[Row]) -> None:
        if not rows:
            return
        stored = _stored_between(
            self.meter, rows[0].interval.start, max(r.interval.end for r in rows)
        )
        if not stored:  # a meter's first readings of this stretch: all of them are new
            self.new.extend(rows)
            return
        by_key = {(s.start, s.end): (pk, s) for pk, s in stored}
        starts = [s.start for _pk, s in stored]
        for row in rows:
            found = by_key.get((row.interval.start, row.interval.end))
            if found is not None:
                self._same_interval(row, *found)
                continue
            clash = _overlapping(stored, starts, row.interval)
            if clash is not None:
                self.reject(
                    row.index,
                    "/start",
                    "overlaps_stored",
                    _(
                        "overlaps the stored reading {start} – {end}; delete that one first "
                        "or send the same interval"
                    ).format(start=_local(clash.start), end=_local(clash.end)),
                )
                continue
            self.new.append(row)

    def _same_interval(self, row: Row, pk: int, stored: Interval) -> None:
        new = row.interval
        if new.value == stored.value and new.estimated == stored.estimated:
            self.result.unchanged += 1
        elif self.correct:
            self.changed.append((pk, stored, row))
        else:
            self.reject(
                row.index,
                "/value",
                "conflicting_value",
                _(
                    "a reading for this interval is stored with value {value}; to correct it, send "
                    "the row with PUT"
                ).format(value=_plain(stored.value)),
            )

    def write(self) -> None:
        try:
            with transaction.atomic():
                _insert(self.meter, self.new, self._registers)
                _correct(self.actor, self.changed)
        except IntegrityError as error:
            if "reading_no_overlap" not in str(error) and "reading_interval_key" not in str(error):
                raise
            message = _("Readings of this meter changed at the same moment; send the batch again.")
            raise Conflict(message) from None
        self.result.created = len(self.new)
        self.result.updated = len(self.changed)
        additions = [r.interval for r in self.new] + [r.interval for _pk, _s, r in self.changed]
        removals = [stored for _pk, stored, _r in self.changed]
        apply_to_rollup(self.meter, additions, removals)


def _in_time_order(rows: list[Row]) -> list[Row]:
    """Rows by (start, end, index); most batches come in order already, and one pass tells
    (rows that start where the previous one ends or later are in order)."""
    if all(a.interval.end <= b.interval.start for a, b in pairwise(rows)):
        return rows
    return sorted(rows, key=lambda r: (r.interval.start, r.interval.end, r.index))


def _local(moment: datetime) -> str:
    return moment.astimezone(LOCAL_ZONE).isoformat()


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _previous_register(meter: Meter, before: datetime) -> RegisterReading | None:
    last = (
        Reading.objects.filter(meter=meter, end__lte=before, register_end__isnull=False)
        .order_by("-start")
        .values_list("end", "register_end")
        .first()
    )
    return RegisterReading(last[0], last[1]) if last else None


_STORED_SQL = """
SELECT id, start, "end", value, estimated FROM emissions_reading
WHERE meter_id = %s AND start >= %s AND start < %s ORDER BY start
"""
_BEFORE_SQL = """
SELECT id, start, "end", value, estimated FROM emissions_reading
WHERE meter_id = %s AND start < %s ORDER BY start DESC LIMIT 1
"""


def _stored_between(meter: Meter, first: datetime, last: datetime) -> list[tuple[int, Interval]]:
    """Stored readings that may meet [first, last): those starting inside, and the one before
    (stored readings never overlap, so only the last one starting earlier can reach in).
    PostgreSQL: raw rows, twice as fast as the ORM for 50,000 of them; SQLite stores
    datetimes as text the ORM must convert."""
    if connection.vendor != "postgresql":
        return _stored_between_orm(meter, first, last)
    with connection.cursor() as cursor:
        cursor.execute(_BEFORE_SQL, [meter.pk, first])
        rows = [row for row in cursor.fetchall() if _aware(row[2]) > first]
        cursor.execute(_STORED_SQL, [meter.pk, first, last])
        rows += cursor.fetchall()
    return [
        (pk, Interval.checked(_aware(start), _aware(end), value, bool(estimated)))
        for pk, start, end, value, estimated in rows
    ]


def _stored_between_orm(
    meter: Meter, first: datetime, last: datetime
) -> list[tuple[int, Interval]]:
    fields = ("pk", "start", "end", "value", "estimated")
    before = Reading.objects.filter(meter=meter, start__lt=first, end__gt=first)
    inside = Reading.objects.filter(meter=meter, start__gte=first, start__lt=last)
    rows = [
        *before.order_by("-start").values_list(*fields)[:1],
        *inside.order_by("start").values_list(*fields),
    ]
    return [
        (pk, Interval.checked(start, end, value, estimated))
        for pk, start, end, value, estimated in rows
    ]


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _overlapping(
    stored: Sequence[tuple[int, Interval]], starts: list[datetime], interval: Interval
) -> Interval | None:
    """The stored interval overlapping `interval`: the last one starting before its end."""
    position = bisect.bisect_left(starts, interval.end) - 1
    if position < 0:
        return None
    candidate = stored[position][1]
    return candidate if candidate.end > interval.start else None


def _insert(
    meter: Meter,
    rows: Sequence[Row],
    registers: dict[tuple[datetime, datetime], tuple[Decimal | None, Decimal | None]],
) -> None:
    if not rows:
        return

    def register_start(row: Row) -> Decimal | None:
        return registers.get((row.interval.start, row.interval.end), (None, None))[0]

    def register_end(row: Row) -> Decimal | None:
        return registers.get((row.interval.start, row.interval.end), (None, None))[1]

    if connection.vendor != "postgresql":
        Reading.objects.bulk_create(
            Reading(
                meter=meter,
                start=r.interval.start,
                end=r.interval.end,
                value=r.interval.value,
                estimated=r.interval.estimated,
                register_start=register_start(r),
                register_end=register_end(r),
            )
            for r in rows
        )
        return
    buffer = io.StringIO()
    if registers:
        buffer.writelines(
            f"{meter.pk}\t{_copy_times(r)}\t"
            f"{r.interval.value}\t{'t' if r.interval.estimated else 'f'}\t"
            f"{_copy_value(register_start(r))}\t{_copy_value(register_end(r))}\n"
            for r in rows
        )
    else:  # interval meters: no registers (the common case, 50,000 rows a request)
        prefix, flags = f"{meter.pk}\t", {True: "t\t\\N\t\\N\n", False: "f\t\\N\t\\N\n"}
        buffer.writelines(
            f"{prefix}{_copy_times(r)}\t{r.interval.value}\t{flags[r.interval.estimated]}"
            for r in rows
        )
    buffer.seek(0)
    with connection.cursor() as cursor:
        cursor.copy_expert(COPY_READINGS_SQL, buffer)


COPY_READINGS_SQL = (
    'COPY emissions_reading (meter_id, start, "end", value, estimated, register_start, '
    "register_end) FROM STDIN"
)


def _copy_times(row: Row) -> str:
    """start TAB end for COPY: as sent when the client gave offsets (PostgreSQL reads ISO
    8601 with an offset exactly as Python does), else written out."""
    if row.texts is not None:
        return f"{row.texts[0]}\t{row.texts[1]}"
    return f"{row.interval.start.isoformat()}\t{row.interval.end.isoformat()}"


def _copy_value(value: Decimal | None) -> str:
    return "\\N" if value is None else str(value)


def _correct(actor: Actor, changed: Sequence[tuple[int, Interval, Row]]) -> None:
    if not changed:
        return
    readings = [
        Reading(pk=pk, value=row.interval.value, estimated=row.interval.estimated)
        for pk, _stored, row in changed
    ]
    Reading.objects.bulk_update(readings, ["value", "estimated"], batch_size=2000)
    user = actor if isinstance(actor, User) else None
    via = _actor_label(actor)
    ReadingCorrection.objects.bulk_create(
        ReadingCorrection(
            reading_id=pk,
            previous_value=stored.value,
            previous_estimated=stored.estimated,
            value=row.interval.value,
            estimated=row.interval.estimated,
            corrected_by=user,
            corrected_via=via,
        )
        for pk, stored, row in changed
    )


def _actor_label(actor: Actor) -> str:
    """ "user alice", or "key:ab12cd34" for an API key (its username)."""
    name = str(getattr(actor, "username", ""))
    return name if name.startswith("key:") else f"user {name}"


# --- readings out ------------------------------------------------------------------------


def delete_readings(actor: Actor, meter: Meter, start: datetime, end: datetime) -> int:
    """Remove the readings lying wholly inside [start, end); the roll-up follows."""
    require_write(actor, meter.factory.organisation, factory=meter.factory)
    with transaction.atomic():
        Meter.objects.select_for_update().filter(pk=meter.pk).first()
        doomed = Reading.objects.filter(meter=meter, start__gte=start, end__lte=end)
        removed = [
            Interval(s, e, v, est)
            for s, e, v, est in doomed.values_list("start", "end", "value", "estimated")
        ]
        doomed.delete()
        apply_to_rollup(meter, [], removed)
        if removed:
            _quality_after_commit(meter)
    return len(removed)


def _quality_after_commit(meter: Meter) -> None:
    """Once the change commits, a worker computes the meter's quality of its years again
    (emissions.tasks; best effort, never raising: the next evaluation computes what no
    worker did)."""
    meter_id = meter.pk

    def publish() -> None:
        from emissions.tasks import readings_changed

        readings_changed([meter_id])

    transaction.on_commit(publish)


# --- roll-up ------------------------------------------------------------------------------


def apply_to_rollup(meter: Meter, added: Iterable[Interval], removed: Iterable[Interval]) -> None:
    """Bring the meter's months up to date with readings added and removed (set-based: the
    deltas of the months touched, in one upsert; months left without readings go)."""
    plus = monthly_totals(added, LOCAL_ZONE)
    minus = monthly_totals(removed, LOCAL_ZONE)
    months = sorted(set(plus) | set(minus))
    if not months:
        return
    deltas = [_delta(month, plus.get(month), minus.get(month)) for month in months]
    with connection.cursor() as cursor:
        cursor.executemany(_UPSERT_MONTH_SQL, [(meter.pk, *delta) for delta in deltas])
    MeterMonth.objects.filter(meter=meter, readings__lte=0).delete()


def _delta(month: Any, plus: MonthTotal | None, minus: MonthTotal | None) -> tuple[Any, ...]:
    def part(total: MonthTotal | None, name: str) -> Any:
        return getattr(total, name) if total is not None else 0

    with localcontext() as context:
        context.prec = 60
        value = (part(plus, "value") - part(minus, "value")).quantize(ROLLUP_PLACES)
        estimated = (part(plus, "estimated_value") - part(minus, "estimated_value")).quantize(
            ROLLUP_PLACES
        )
    month_seconds = (plus or minus).month_seconds  # type: ignore[union-attr]
    return (
        month,
        value,
        estimated,
        part(plus, "covered_seconds") - part(minus, "covered_seconds"),
        month_seconds,
        part(plus, "readings") - part(minus, "readings"),
    )


_UPSERT_MONTH_SQL = """
INSERT INTO emissions_metermonth
  (meter_id, month, value, estimated_value, covered_seconds, month_seconds, readings)
VALUES (%s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (meter_id, month) DO UPDATE SET
  value = emissions_metermonth.value + excluded.value,
  estimated_value = emissions_metermonth.estimated_value + excluded.estimated_value,
  covered_seconds = emissions_metermonth.covered_seconds + excluded.covered_seconds,
  readings = emissions_metermonth.readings + excluded.readings
"""


@transaction.atomic
def rebuild_rollup(meter: Meter) -> int:
    """Recompute the meter's months from all its readings (a repair and a check of the
    incremental roll-up); returns the number of months."""
    Meter.objects.select_for_update().filter(pk=meter.pk).first()
    MeterMonth.objects.filter(meter=meter).delete()
    readings = Reading.objects.filter(meter=meter).values_list("start", "end", "value", "estimated")
    apply_to_rollup(meter, (Interval(*row) for row in readings.iterator(chunk_size=5000)), [])
    return MeterMonth.objects.filter(meter=meter).count()
