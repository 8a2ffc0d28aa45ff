"""Reads of meters, readings, the monthly roll-up and data quality, scoped to the actor's
organisations (and, for a key limited to factories, to those factories)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import date, datetime
from decimal import ROUND_FLOOR, Decimal
from typing import Any

from django.db import transaction
from django.db.models import FilteredRelation, Q, QuerySet
from django.utils.translation import gettext as _

from emissions.accounting import exact_json
from emissions.accounting.errors import AccountingError
from emissions.accounting.units import convert
from emissions.ingest.readings import LOCAL_ZONE, parse_range
from emissions.metering.intervals import Interval
from emissions.metering.quality import RULES_VERSION, MeterQuality, assess
from emissions.metering.rollup import year_span
from emissions.metering.shares import percent_down
from emissions.models import (
    EnergyRecord,
    Factory,
    Inventory,
    Meter,
    MeterMonth,
    MeterYearQuality,
    Reading,
)
from zerocarbon.accounts.tenancy import Actor, get_scoped, scope
from zerocarbon.errors import FieldError, NotFound, ValidationFailed
from zerocarbon.renderers import ExactDRFEncoder

LISTED_FINDINGS = 100  # per kind of finding; the answer always gives the count


def meters_for(actor: Actor) -> QuerySet[Meter]:
    return scope(
        Meter.objects.select_related("factory__organisation"), actor, via="factory__organisation"
    )


def meter_for(actor: Actor, pk: int) -> Meter:
    return get_scoped(
        Meter.objects.select_related("factory__organisation"),
        actor,
        via="factory__organisation",
        pk=pk,
    )


def factory_for_input(actor: Actor, pk: int) -> Factory:
    """The factory a request body names: another tenant's is as unknown as a missing one,
    and a body field that names nothing is the request's fault (400, not 404)."""
    try:
        return get_scoped(Factory.objects.select_related("organisation"), actor, pk=pk)
    except NotFound:
        raise ValidationFailed(
            _("The request names a factory you have no access to."),
            [FieldError("/factory", _("no factory {id} among yours").format(id=pk))],
        ) from None


def readings_of(meter: Meter, params: Mapping[str, str]) -> QuerySet[Reading]:
    rows = Reading.objects.filter(meter=meter).order_by("start")
    if params.get("start") or params.get("end"):
        start, end = parse_range(params.get("start"), params.get("end"))
        rows = rows.filter(start__lt=end, end__gt=start)
    return rows


def months_of(meter: Meter, year: int | None) -> QuerySet[MeterMonth]:
    months = MeterMonth.objects.filter(meter=meter)
    if year is not None:
        months = months.filter(month__gte=date(year, 1, 1), month__lt=date(year + 1, 1, 1))
    return months.order_by("month")


def coverage(month: MeterMonth) -> Decimal:
    return (Decimal(month.covered_seconds) / Decimal(month.month_seconds)).quantize(Decimal("1e-6"))


def _intervals(meter: Meter | int, start: datetime, end: datetime) -> list[Interval]:
    """The readings touching [start, end), unchecked: the table's constraints are the
    interval's rules (aware times, end after start, a finite value), and checking 35,000
    readings of a year again took half the time of assessing them."""
    rows = Reading.objects.filter(meter=meter, start__lt=end, end__gt=start).order_by("start")
    values = rows.values_list("start", "end", "value", "estimated")
    return [Interval.checked(*row) for row in values]


def _quality(meter: Meter | int, year: int) -> MeterQuality:
    start, end = year_span(year, LOCAL_ZONE)
    return assess(_intervals(meter, start, end), start, end)


def meter_quality(meter: Meter, year: int) -> dict[str, Any]:
    """The meter's quality of the year as the API shows it: read back from its stored row,
    else computed from every reading and stored (as `inventory_coverage` stores it)."""
    stored = MeterYearQuality.objects.filter(meter=meter, year=year, method=RULES_VERSION)
    report = stored.values_list("report", flat=True).first()
    if report is None:
        computed = _store_meter_years(meter.pk, [year])
        report = computed[year].report if year in computed else stored.get().report
    return _quality_answer(meter, year, _Report.read(report).findings)


def _quality_answer(meter: Meter, year: int, findings: dict[str, Any]) -> dict[str, Any]:
    return {"meter": meter.pk, "external_id": meter.external_id, "year": year, **findings}


def _findings(quality: MeterQuality) -> dict[str, Any]:
    """What the API shows of a quality after the meter's id and the year: each finding's
    count and its first LISTED_FINDINGS, the shares to six places rounded down."""
    answer: dict[str, Any] = {}
    for item in fields(quality):
        value = getattr(quality, item.name)
        if isinstance(value, list | tuple):
            answer[f"{item.name}_count"] = len(value)
            answer[item.name] = _shown([asdict(each) for each in value[:LISTED_FINDINGS]])
        else:
            answer[item.name] = _shown(value)
    answer["coverage"] = _share(quality.coverage)
    answer["estimated_share"] = _share(quality.estimated_share)
    return answer


@dataclass(frozen=True)
class _Report:
    """A meter's quality of a year as stored (MeterYearQuality.report): the exact coverage
    (the carriers' coverage and warnings of `inventory_metering` use it unrounded) and the
    findings the API shows, as JSON text: text, not jsonb, which would reorder the keys.
    Times are stored as the API writes them, Decimals with exactly their digits (read back
    as Decimals, or whole numbers as int): the answer is written out byte for byte as it
    was from the quality itself."""

    coverage: Decimal
    findings: dict[str, Any]

    @classmethod
    def of(cls, quality: MeterQuality) -> _Report:
        return cls(quality.coverage, _findings(quality))

    def text(self) -> str:
        return exact_json.dumps(
            {"coverage": str(self.coverage), "findings": self.findings},
            separators=(",", ":"),
            default=_API_JSON.default,
        )

    @classmethod
    def read(cls, text: str) -> _Report:
        stored = exact_json.loads(text)
        return cls(Decimal(stored["coverage"]), stored["findings"])


_API_JSON = ExactDRFEncoder()


def _shown(value: Any) -> Any:
    """Times in Asia/Shanghai, as the readings were sent (the kernel works in UTC)."""
    if isinstance(value, datetime):
        return value.astimezone(LOCAL_ZONE)
    if isinstance(value, dict):
        return {key: _shown(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shown(item) for item in value]
    return value


def inventory_metering(inventory: Inventory) -> dict[str, Any]:
    """What the meters of the inventory's factory say about its year, per carrier: monthly
    values (in the unit of the inventory's energy line of that carrier, else the meter's),
    each month's coverage, the metered total next to the entered one and the difference;
    data quality per meter and the inventory's score; warnings for carriers whose meters do
    not cover the whole year. The meters' qualities are read back from their stored rows
    (computed and stored first where missing, as for an evaluation)."""
    meters = list(Meter.objects.filter(factory_id=inventory.factory_id).order_by("external_id"))
    lines = list(EnergyRecord.objects.filter(inventory=inventory).order_by("position"))
    reports = _stored_reports(inventory.factory_id, inventory.year)
    if len(reports) < len(meters):
        _store_qualities(inventory.factory_id, inventory.year)
        reports = _stored_reports(inventory.factory_id, inventory.year)
    qualities = {pk: report for pk, (_, report) in reports.items()}
    carriers = sorted({meter.carrier for meter in meters})
    answer_carriers = [
        _carrier(inventory, carrier, [m for m in meters if m.carrier == carrier], lines, qualities)
        for carrier in carriers
    ]
    warnings = [
        _("{carrier}: the meters cover {coverage} of {year}, not the full year.").format(
            carrier=entry["carrier"], coverage=percent_down(entry["coverage"]), year=inventory.year
        )
        for entry in answer_carriers
        if entry["coverage"] < 1
    ]
    return {
        "inventory": inventory.pk,
        "year": inventory.year,
        "carriers": answer_carriers,
        "meters": [_quality_answer(m, inventory.year, qualities[m.pk].findings) for m in meters],
        "data_quality_score": min((score for score, _ in reports.values()), default=None),
        "full_year": not warnings,
        "warnings": warnings,
    }


def _stored_reports(factory_id: int, year: int) -> dict[int, tuple[int, _Report]]:
    """(score, report) of the factory's meters whose quality of the year is stored."""
    rows = MeterYearQuality.objects.filter(
        meter__factory_id=factory_id, year=year, method=RULES_VERSION
    ).values_list("meter_id", "score", "report")
    return {pk: (score, _Report.read(report)) for pk, score, report in rows}


def inventory_coverage(inventory: Inventory) -> dict[str, Any] | None:
    """What an evaluation records of the meters (an input it is hashed with): the data-quality
    score and each metered carrier's coverage of the year (its least covered meter); None
    when no meter of the factory exists. One query when every meter's quality of the year is
    stored (see `_store_qualities`)."""
    rows = _stored_rows(inventory.factory_id, inventory.year)
    if any(score is None for _, _, score, _ in rows):
        rows = _store_qualities(inventory.factory_id, inventory.year)
    if not rows:
        return None
    carriers = sorted({carrier for _, carrier, _, _ in rows})
    return {
        "score": min(score for _, _, score, _ in rows if score is not None),
        "carriers": [
            {
                "carrier": carrier,
                "coverage": min(
                    share for _, each, _, share in rows if each == carrier and share is not None
                ),
            }
            for carrier in carriers
        ],
    }


# (meter id, carrier, score, coverage) of each meter of a factory; the last two are None when
# the meter's quality of the year is not stored (or was stored with other rules).
_StoredRow = tuple[int, str, int | None, Decimal | None]


def _stored_rows(factory_id: int, year: int) -> list[_StoredRow]:
    stored = FilteredRelation(
        "year_qualities",
        condition=Q(year_qualities__year=year, year_qualities__method=RULES_VERSION),
    )
    meters = Meter.objects.filter(factory_id=factory_id).annotate(stored=stored).order_by("pk")
    return list(meters.values_list("pk", "carrier", "stored__score", "stored__coverage"))


@transaction.atomic
def _store_qualities(factory_id: int, year: int) -> list[_StoredRow]:
    """Compute and store the missing qualities of the year, with the factory's meters locked:
    a change of their readings waits for the commit (the triggers of migration 0012 lock the
    same rows before they delete the stored ones), so a quality computed from the readings
    as they were is never stored after the change that made it stale. A memo of the
    readings, written in a read as a cache would be; the score and the coverage are those of
    `meter_quality`."""
    list(Meter.objects.select_for_update().filter(factory_id=factory_id).order_by("pk"))
    rows = _stored_rows(factory_id, year)  # with what another evaluation stored meanwhile
    stored = {
        pk: _stored_quality(pk, year, _quality(pk, year))
        for pk, _, score, _ in rows
        if score is None
    }
    MeterYearQuality.objects.bulk_create(
        stored.values(),
        update_conflicts=True,
        unique_fields=["meter", "year"],
        update_fields=["method", "score", "coverage", "report"],
    )
    fresh = {pk: (quality.score, quality.coverage) for pk, quality in stored.items()}
    return [
        (pk, carrier, *fresh.get(pk, (score, coverage))) for pk, carrier, score, coverage in rows
    ]


def store_meter_qualities(meter_id: int) -> list[int]:
    """Compute and store one meter's missing qualities of its factory's inventory years (the
    years an evaluation or the metering page asks for); returns the years computed. What a
    worker does after the meter's readings change (emissions.tasks), so that the next
    evaluation reads the stored rows instead of every reading."""
    years = Inventory.objects.filter(factory__meters=meter_id).values_list("year", flat=True)
    return sorted(_store_meter_years(meter_id, set(years)))


@transaction.atomic
def _store_meter_years(meter_id: int, years: Iterable[int]) -> dict[int, MeterYearQuality]:
    """The meter's missing qualities of `years`, computed and stored with that meter locked
    as `_store_qualities` locks the factory's (the ingest's meter lock makes it wait)."""
    if Meter.objects.select_for_update().filter(pk=meter_id).first() is None:
        return {}  # deleted meanwhile
    stored = MeterYearQuality.objects.filter(meter_id=meter_id, method=RULES_VERSION)
    missing = set(years) - set(stored.values_list("year", flat=True))
    rows = {year: _stored_quality(meter_id, year, _quality(meter_id, year)) for year in missing}
    MeterYearQuality.objects.bulk_create(
        rows.values(),
        update_conflicts=True,
        unique_fields=["meter", "year"],
        update_fields=["method", "score", "coverage", "report"],
    )
    return rows


def _stored_quality(meter_id: int, year: int, quality: MeterQuality) -> MeterYearQuality:
    return MeterYearQuality(
        meter_id=meter_id,
        year=year,
        method=RULES_VERSION,
        score=quality.score,
        coverage=_share(quality.coverage),
        report=_Report.of(quality).text(),
    )


def _share(share: Decimal) -> Decimal:
    """Six decimals, rounded down: a year short by a second never reads as complete."""
    return share.quantize(Decimal("1e-6"), rounding=ROUND_FLOOR)


def _carrier(
    inventory: Inventory,
    carrier: str,
    meters: Sequence[Meter],
    lines: Sequence[EnergyRecord],
    qualities: Mapping[int, _Report],
) -> dict[str, Any]:
    entered = [line for line in lines if line.carrier == carrier]
    unit = entered[0].unit if entered else meters[0].unit
    months = MeterMonth.objects.filter(
        meter__in=meters,
        month__gte=date(inventory.year, 1, 1),
        month__lt=date(inventory.year + 1, 1, 1),
    )
    by_month: dict[date, list[MeterMonth]] = {}
    for month in months:
        by_month.setdefault(month.month, []).append(month)
    units = {meter.pk: meter.unit for meter in meters}
    monthly: list[dict[str, Any]] = []
    for number in range(1, 13):
        first = date(inventory.year, number, 1)
        rows = by_month.get(first, [])
        value = sum((_in(row.value, units[row.meter_id], unit) for row in rows), Decimal(0))
        month_coverage = (
            min((coverage(row) for row in rows), default=Decimal(0))
            if len(rows) == len(meters)
            else Decimal(0)
        )
        monthly.append({"month": first, "value": value, "coverage": month_coverage})
    metered = sum((entry["value"] for entry in monthly), Decimal(0))
    entered_total = _entered_total(entered, unit)
    return {
        "carrier": carrier,
        "unit": unit,
        "meters": [meter.pk for meter in meters],
        "monthly": monthly,
        "metered_total": metered,
        "entered_total": entered_total,
        "difference": None if entered_total is None else metered - entered_total,
        "coverage": min(qualities[m.pk].coverage for m in meters),
    }


def _in(value: Decimal, unit: str, target: str) -> Decimal:
    return value if unit == target else convert(value, unit, target)


def _entered_total(lines: Sequence[EnergyRecord], unit: str) -> Decimal | None:
    if not lines:
        return None
    try:
        return sum((_in(line.quantity, line.unit, unit) for line in lines), Decimal(0))
    except AccountingError:
        return None
