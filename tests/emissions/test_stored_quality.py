"""The stored data quality of a meter's year (MeterYearQuality): what an evaluation records of
the meters is exactly what `quality.assess` over every reading gives, whether computed now or
read back, and any change of a meter's readings makes its stored quality go away."""

from __future__ import annotations

import json
import threading
from datetime import date, datetime, timedelta
from decimal import ROUND_FLOOR, Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from hypothesis import example, given
from hypothesis import strategies as st

from assessments.models import Assessment
from assessments.services.evaluation import evaluate_assessment
from emissions import metering_selectors
from emissions.ingest.readings import LOCAL_ZONE
from emissions.metering.intervals import Interval
from emissions.metering.quality import RULES_VERSION, MeterQuality, assess, inventory_score
from emissions.metering.rollup import year_span
from emissions.metering_selectors import inventory_coverage
from emissions.models import Inventory, Meter, MeterYearQuality, Reading
from tests.fuzz.state import FUZZ

pytestmark = pytest.mark.django_db

QUARTER = timedelta(minutes=15)
DAY = timedelta(days=1)


def assessed(inventory: Inventory) -> dict[int, MeterQuality]:
    """Each meter's quality of the inventory year: every reading through `quality.assess`."""
    start, end = year_span(inventory.year, LOCAL_ZONE)
    rows = Reading.objects.values_list("start", "end", "value", "estimated")
    return {
        meter.pk: assess([Interval(*row) for row in rows.filter(meter=meter)], start, end)
        for meter in Meter.objects.filter(factory_id=inventory.factory_id)
    }


def share(coverage: Decimal) -> Decimal:
    """Six places rounded down, as an evaluation records a coverage."""
    return coverage.quantize(Decimal("1e-6"), rounding=ROUND_FLOOR)


def reference(inventory: Inventory) -> dict[str, Any] | None:
    """What an evaluation recorded before the qualities were stored: the worst score of the
    meters' `assessed` qualities and each carrier's least coverage."""
    meters = list(Meter.objects.filter(factory_id=inventory.factory_id))
    if not meters:
        return None
    qualities = assessed(inventory)
    return {
        "score": inventory_score(list(qualities.values())),
        "carriers": [
            {
                "carrier": carrier,
                "coverage": share(
                    min(qualities[m.pk].coverage for m in meters if m.carrier == carrier)
                ),
            }
            for carrier in sorted({meter.carrier for meter in meters})
        ],
    }


Spec = tuple[timedelta, str, list[tuple[timedelta, timedelta, str, bool]]]

# A sparse meter: where its first reading starts (from the year's first instant), its carrier, and
# its readings as (time since the previous one ended, duration, value, estimated).
READING = st.tuples(
    st.sampled_from([timedelta(0)] * 4 + [QUARTER, DAY, 30 * DAY]),
    st.sampled_from([QUARTER, QUARTER, timedelta(hours=1), DAY, 40 * DAY, 120 * DAY]),
    st.sampled_from(["0", "0", "0", "1.5", "2.25", "2.5", "3", "3.000000000001", "250"]),
    st.booleans(),
)
SPARSE = st.tuples(
    st.sampled_from([-400 * DAY, -2 * DAY, -QUARTER, timedelta(0), QUARTER, 181 * DAY, 366 * DAY]),
    st.sampled_from(["grid_electricity", "grid_electricity", "natural_gas"]),
    st.lists(READING, max_size=30),
)


def year_of_days(
    offset: int,
    carrier: str,
    missing: set[int],
    zeros: tuple[int, int],
    spikes: set[int],
    estimated: tuple[int, int],
) -> Spec:
    """A meter of daily readings from `offset` days around the year's first instant to past
    its end, but for the `missing` days: zero in a run of days, a spike on others, estimated
    in one stretch; the other values vary by the weekday."""
    days, pause = [], timedelta(0)
    for day in range(368):
        if day in missing:
            pause += DAY
            continue
        value = f"{30 + day % 7}.5"
        if zeros[0] <= day < sum(zeros):
            value = "0"
        elif day in spikes:
            value = "900"
        days.append((pause, DAY, value, estimated[0] <= day < sum(estimated)))
        pause = timedelta(0)
    return timedelta(days=offset), carrier, days


DAYS = st.integers(min_value=0, max_value=367)
YEAR = st.builds(
    year_of_days,
    st.integers(min_value=-2, max_value=2),
    st.sampled_from(["grid_electricity", "natural_gas"]),
    st.sets(DAYS, max_size=8),
    st.tuples(DAYS, st.sampled_from([0, 2, 4, 9])),
    st.sets(DAYS, max_size=6),
    st.tuples(DAYS, st.sampled_from([0, 10, 30, 120])),
)
METER = st.one_of(SPARSE, YEAR, YEAR)


def meters_of(inventory: Inventory, specs: list[Spec]) -> list[Meter]:
    """The factory's meters, replaced by those of `specs`."""
    Meter.objects.filter(factory_id=inventory.factory_id).delete()
    first, _ = year_span(inventory.year, LOCAL_ZONE)
    meters = []
    for number, (offset, carrier, readings) in enumerate(specs):
        meter = Meter.objects.create(
            factory_id=inventory.factory_id, carrier=carrier, unit="kWh", external_id=f"M{number}"
        )
        rows, at = [], first + offset
        for pause, duration, value, estimated in readings:
            start = at + pause
            at = start + duration
            rows.append(Reading(meter=meter, start=start, end=at, value=Decimal(value)))
            rows[-1].estimated = estimated
        Reading.objects.bulk_create(rows)
        meters.append(meter)
    return meters


@pytest.fixture
def inventory(demo: dict[str, Any]) -> Inventory:
    assessment: Assessment = demo["suzhou"]
    return assessment.inventory


@FUZZ  # a fixed seed, 25 examples
@given(specs=st.lists(METER, max_size=3))
@example(specs=[])  # no meters: None
@example(specs=[(timedelta(0), "grid_electricity", [])])  # a meter without readings
@example(  # a meter replaced mid-year by another of the same carrier
    specs=[
        (-QUARTER, "grid_electricity", [(timedelta(0), 181 * DAY, "5", False)]),
        (181 * DAY, "grid_electricity", [(QUARTER, 185 * DAY, "5", True)]),
    ]
)
def test_the_recorded_quality_is_what_assess_gives_over_every_reading(
    inventory: Inventory, specs: list[Spec], django_assert_num_queries: Any
) -> None:
    meters_of(inventory, specs)
    expected = reference(inventory)
    computed = inventory_coverage(inventory)
    with django_assert_num_queries(1):  # read back, not computed again
        stored = inventory_coverage(inventory)
    assert repr(computed) == repr(stored) == repr(expected)  # Decimal places included
    rows = MeterYearQuality.objects.filter(method=RULES_VERSION, year=inventory.year)
    assert {row.meter_id: (row.score, row.coverage) for row in rows} == {
        pk: (quality.score, share(quality.coverage)) for pk, quality in assessed(inventory).items()
    }


def two_meters(inventory: Inventory) -> tuple[Meter, Meter]:
    """Two meters of the factory with a day of quarter-hours each, their qualities stored."""
    first, _ = year_span(inventory.year, LOCAL_ZONE)
    grid, gas = meters_of(
        inventory,
        [(timedelta(0), "grid_electricity", []), (timedelta(0), "natural_gas", [])],
    )
    for meter in (grid, gas):
        Reading.objects.bulk_create(readings(first, 96, meter=meter))
    inventory_coverage(inventory)
    assert stored_meters() == {grid.pk, gas.pk}
    return grid, gas


def readings(first: datetime, count: int, *, meter: Meter) -> list[Reading]:
    return [
        Reading(meter=meter, start=first + QUARTER * n, end=first + QUARTER * (n + 1), value=1)
        for n in range(count)
    ]


def stored_meters() -> set[int]:
    return set(MeterYearQuality.objects.values_list("meter_id", flat=True))


def test_computing_the_missing_qualities_takes_a_fixed_number_of_queries(
    inventory: Inventory, django_assert_num_queries: Any
) -> None:
    grid, _ = two_meters(inventory)
    MeterYearQuality.objects.filter(meter=grid).delete()
    expected = reference(inventory)
    # the meters; a savepoint, the lock, the meters again, one meter's readings, the upsert,
    # the savepoint's release
    with django_assert_num_queries(7):
        assert inventory_coverage(inventory) == expected
    assert stored_meters() == {grid.pk, _.pk}


def test_new_readings_delete_the_stored_quality_of_their_meter_only(
    inventory: Inventory,
) -> None:
    grid, gas = two_meters(inventory)
    first, _ = year_span(inventory.year, LOCAL_ZONE)
    Reading.objects.bulk_create(readings(first + DAY, 4, meter=grid))
    assert stored_meters() == {gas.pk}
    assert inventory_coverage(inventory) == reference(inventory)
    assert stored_meters() == {grid.pk, gas.pk}


def test_readings_sent_to_the_api_delete_the_stored_quality(
    inventory: Inventory, alice_client: Client
) -> None:
    grid, gas = two_meters(inventory)
    first, _ = year_span(inventory.year, LOCAL_ZONE)
    row = {"start": (first + DAY).isoformat(), "end": (first + 2 * DAY).isoformat(), "value": "7"}
    answer = alice_client.post(
        f"/api/v1/meters/{gas.pk}/readings/", json.dumps([row]), content_type="application/json"
    )
    assert answer.json()["created"] == 1
    assert stored_meters() == {grid.pk}


def test_a_corrected_value_deletes_the_stored_quality(inventory: Inventory) -> None:
    grid, gas = two_meters(inventory)
    Reading.objects.filter(meter=grid).update(estimated=True)
    assert stored_meters() == {gas.pk}
    assert inventory_coverage(inventory) == reference(inventory)


def test_deleted_readings_delete_the_stored_quality(inventory: Inventory) -> None:
    grid, gas = two_meters(inventory)
    Reading.objects.filter(meter=gas)[:1].get().delete()
    assert stored_meters() == {grid.pk}
    assert inventory_coverage(inventory) == reference(inventory)


def test_a_quality_stored_with_other_rules_is_computed_again(inventory: Inventory) -> None:
    grid, _ = two_meters(inventory)
    expected = reference(inventory)
    MeterYearQuality.objects.filter(meter=grid).update(method=RULES_VERSION - 1, score=5)
    assert inventory_coverage(inventory) == expected
    assert set(MeterYearQuality.objects.values_list("method", flat=True)) == {RULES_VERSION}


def test_a_quality_is_stored_per_year(inventory: Inventory) -> None:
    two_meters(inventory)
    other = Inventory(factory_id=inventory.factory_id, year=inventory.year + 1)
    assert inventory_coverage(other) == reference(other)
    assert MeterYearQuality.objects.filter(year=inventory.year + 1).count() == 2
    assert inventory_coverage(inventory) == reference(inventory)


def evaluation_queries(assessment: Assessment, day: int) -> int:
    Assessment.objects.filter(pk=assessment.pk).update(as_of=date(2025, 6, day))
    with CaptureQueriesContext(connection) as queries:
        assert evaluate_assessment(assessment.pk) is not None
    return len(queries)


def test_an_evaluation_reads_the_stored_qualities_of_all_meters_in_one_query(
    demo: dict[str, Any],
) -> None:
    assessment: Assessment = demo["suzhou"]
    Assessment.objects.filter(pk=assessment.pk).update(status="submitted")
    first, _ = year_span(assessment.inventory.year, LOCAL_ZONE)
    evaluation_queries(assessment, 1)  # warms the caches of published reference data
    without_meters = evaluation_queries(assessment, 2)
    for meter in meters_of(assessment.inventory, [(timedelta(0), "grid_electricity", [])] * 5):
        Reading.objects.bulk_create(readings(first, 96, meter=meter))
    evaluation_queries(assessment, 3)  # computes and stores the qualities
    assert evaluation_queries(assessment, 4) == without_meters


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_readings_deleted_while_a_quality_is_computed_do_not_leave_it_stale(
    demo: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    inventory = demo["suzhou"].inventory
    (meter,) = meters_of(inventory, [(timedelta(0), "grid_electricity", [])])
    first, _ = year_span(inventory.year, LOCAL_ZONE)
    Reading.objects.bulk_create(readings(first, 96, meter=meter))
    computing, deleted = threading.Event(), threading.Event()
    compute = metering_selectors._quality

    def slow(meter: Meter | int, year: int) -> Any:
        quality = compute(meter, year)  # from the readings before the deletion
        computing.set()
        deleted.wait(timeout=2)  # the deletion waits for our commit (else it is done now)
        return quality

    def delete() -> None:
        try:
            computing.wait(timeout=10)
            Reading.objects.filter(meter=meter).delete()
            deleted.set()
        finally:
            connection.close()

    monkeypatch.setattr(metering_selectors, "_quality", slow)
    writer = threading.Thread(target=delete)
    writer.start()
    inventory_coverage(inventory)
    writer.join(timeout=30)
    assert deleted.is_set()
    monkeypatch.undo()
    assert not MeterYearQuality.objects.exists()  # the deletion came after and removed it
    assert inventory_coverage(inventory) == reference(inventory)
