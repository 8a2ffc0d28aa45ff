"""Redis stopped during an ingest: the readings are stored and answered as usual (the quality
task is best effort, decision 104), and the next evaluation computes the quality itself."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from emissions import tasks
from emissions.ingest.readings import LOCAL_ZONE
from emissions.metering.rollup import year_span
from emissions.metering_selectors import inventory_coverage
from emissions.models import MeterYearQuality, Reading
from tests.emissions.test_stored_quality import meters_of, reference
from tests.faults.conftest import ThrowawayRedis

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]
QUICK = 5.0


def test_readings_with_redis_stopped_leave_the_quality_to_the_next_evaluation(
    demo: dict[str, Any], alice_client: Client, throwaway_redis: ThrowawayRedis
) -> None:
    inventory = demo["suzhou"].inventory
    (meter,) = meters_of(inventory, [(timedelta(0), "grid_electricity", [])])
    first, _ = year_span(inventory.year, LOCAL_ZONE)
    inventory_coverage(inventory)
    assert MeterYearQuality.objects.filter(meter=meter).exists()
    throwaway_redis.stop()
    rows = [
        {"start": (first + timedelta(hours=h)).isoformat(),
         "end": (first + timedelta(hours=h + 1)).isoformat(), "value": "10"}
        for h in range(4)
    ]  # fmt: skip
    started = time.monotonic()
    response = alice_client.post(
        f"/api/v1/meters/{meter.pk}/readings/", json.dumps(rows), content_type="application/json"
    )
    assert time.monotonic() - started < QUICK
    assert response.status_code == 200, response.content
    assert response.json()["created"] == 4
    assert Reading.objects.filter(meter=meter).count() == 4
    assert not MeterYearQuality.objects.filter(meter=meter).exists()  # stale, and not computed
    assert tasks.readings_changed([meter.pk]) == []  # never raises
    assert inventory_coverage(inventory) == reference(inventory)
    assert MeterYearQuality.objects.filter(meter=meter).exists()


def test_readings_with_redis_up_publish_the_quality_task(
    demo: dict[str, Any], alice_client: Client, throwaway_redis: ThrowawayRedis
) -> None:
    inventory = demo["suzhou"].inventory
    (meter,) = meters_of(inventory, [(timedelta(0), "grid_electricity", [])])
    first, _ = year_span(inventory.year, LOCAL_ZONE)
    row = {
        "start": first.isoformat(),
        "end": (first + timedelta(hours=1)).isoformat(),
        "value": "1",
    }
    response = alice_client.post(
        f"/api/v1/meters/{meter.pk}/readings/", json.dumps([row]), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert throwaway_redis.queued() == 1  # published after the commit
