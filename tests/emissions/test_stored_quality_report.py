"""The metering endpoints read the stored quality report (MeterYearQuality.report): the same
response bytes as when they computed the quality from every reading, whether the row is
computed by the request, by the worker's task or read back; and a read-back reads no reading."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.translation import gettext as _
from hypothesis import example, given
from hypothesis import strategies as st

from emissions import metering_selectors
from emissions.ingest.readings import LOCAL_ZONE
from emissions.metering.intervals import Interval
from emissions.metering.quality import assess, inventory_score
from emissions.metering.rollup import year_span
from emissions.metering.shares import percent_down
from emissions.models import EnergyRecord, Inventory, Meter, MeterYearQuality, Reading
from tests.emissions.test_stored_quality import DAY, METER, QUARTER, Spec, meters_of, share
from tests.fuzz.state import FUZZ
from zerocarbon.renderers import ExactJSONRenderer

pytestmark = pytest.mark.django_db


def computed_answer(meter: Meter, year: int) -> dict[str, Any]:
    """The quality endpoint's answer as it was before the report was stored: `assess` over
    every reading, each kind of finding counted and its first hundred listed."""
    start, end = year_span(year, LOCAL_ZONE)
    rows = Reading.objects.filter(meter=meter).values_list("start", "end", "value", "estimated")
    quality = assess([Interval(*row) for row in rows], start, end)
    answer: dict[str, Any] = {"meter": meter.pk, "external_id": meter.external_id, "year": year}
    for name, value in asdict(quality).items():
        if isinstance(value, list | tuple):
            answer[f"{name}_count"] = len(value)
            answer[name] = metering_selectors._shown(list(value[:100]))
        else:
            answer[name] = metering_selectors._shown(value)
    answer["coverage"] = share(quality.coverage)
    answer["estimated_share"] = share(quality.estimated_share)
    return answer


def computed_metering(inventory: Inventory) -> dict[str, Any]:
    """GET …/metering/ as it was: the same carriers' months, with every quality computed."""
    meters = list(Meter.objects.filter(factory_id=inventory.factory_id).order_by("external_id"))
    lines = list(EnergyRecord.objects.filter(inventory=inventory).order_by("position"))
    start, end = year_span(inventory.year, LOCAL_ZONE)
    rows = Reading.objects.values_list("start", "end", "value", "estimated")
    qualities = {
        m.pk: assess([Interval(*row) for row in rows.filter(meter=m)], start, end) for m in meters
    }
    carriers = [
        metering_selectors._carrier(
            inventory,
            carrier,
            [m for m in meters if m.carrier == carrier],
            lines,
            qualities,  # type: ignore[arg-type]  # what it reads of them: `coverage`
        )
        for carrier in sorted({m.carrier for m in meters})
    ]
    with translation.override("en"):  # as the API answers alice
        warnings = [
            _("{carrier}: the meters cover {coverage} of {year}, not the full year.").format(
                carrier=entry["carrier"],
                coverage=percent_down(entry["coverage"]),
                year=inventory.year,
            )
            for entry in carriers
            if entry["coverage"] < 1
        ]
    return {
        "inventory": inventory.pk,
        "year": inventory.year,
        "carriers": carriers,
        "meters": [computed_answer(m, inventory.year) for m in meters],
        "data_quality_score": inventory_score(list(qualities.values())),
        "full_year": not warnings,
        "warnings": warnings,
    }


def rendered(answer: dict[str, Any]) -> bytes:
    content: bytes = ExactJSONRenderer().render(answer)
    return content


def reads_readings(client: Client, url: str) -> tuple[bytes, bool]:
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(url)
    assert answer.status_code == 200, answer.content
    return answer.content, any("emissions_reading" in q["sql"] for q in queries.captured_queries)


@pytest.fixture
def inventory(demo: dict[str, Any]) -> Inventory:
    inventory: Inventory = demo["suzhou"].inventory
    return inventory


@FUZZ
@given(specs=st.lists(METER, min_size=1, max_size=3), by_task=st.booleans())
@example(  # more than a hundred gaps, spikes and zero streaks: the lists are cut, counts kept
    specs=[
        (timedelta(0), "grid_electricity",
         [(QUARTER, QUARTER, v, False) for _ in range(60) for v in ("0",) * 4 + ("250", "1")]
         + [(QUARTER, QUARTER, "1", False)] * 400),
    ],
    by_task=False,
)  # fmt: skip
def test_the_metering_endpoints_answer_what_they_computed_from_every_reading(
    inventory: Inventory, alice_client: Client, specs: list[Spec], by_task: bool
) -> None:
    meters = meters_of(inventory, specs)
    metering = f"/api/v1/inventories/{inventory.pk}/metering/"
    expected = rendered(computed_metering(inventory))
    if by_task:  # the worker stored them first
        for meter in meters:
            metering_selectors.store_meter_qualities(meter.pk)
    content, computed = reads_readings(alice_client, metering)
    assert content == expected
    assert computed is not by_task
    assert reads_readings(alice_client, metering) == (expected, False)  # read back
    for meter in meters:
        quality = f"/api/v1/meters/{meter.pk}/quality/?year={inventory.year}"
        assert reads_readings(alice_client, quality) == (
            rendered(computed_answer(meter, inventory.year)),
            False,
        )


def test_the_quality_of_a_year_no_inventory_has_is_stored_when_asked_for(
    inventory: Inventory, alice_client: Client
) -> None:
    (meter,) = meters_of(inventory, [(-DAY, "grid_electricity", [(DAY, 400 * DAY, "3", True)])])
    year = inventory.year + 1
    url = f"/api/v1/meters/{meter.pk}/quality/?year={year}"
    expected = rendered(computed_answer(meter, year))
    assert reads_readings(alice_client, url) == (expected, True)
    assert MeterYearQuality.objects.filter(meter=meter, year=year).exists()
    assert reads_readings(alice_client, url) == (expected, False)
    Reading.objects.filter(meter=meter).update(estimated=False)  # the trigger deletes the row
    changed = rendered(computed_answer(meter, year))
    assert changed != expected
    assert reads_readings(alice_client, url) == (changed, True)
