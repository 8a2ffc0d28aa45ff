"""The meters' quality computed on a worker after their readings change (emissions.tasks):
the same stored rows the first evaluation would write, one task per meter however many
batches arrive, and nothing published (nor raised) without a broker."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

import pytest
import redis
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st

from emissions import tasks
from emissions.ingest.readings import LOCAL_ZONE
from emissions.metering.quality import RULES_VERSION
from emissions.metering.rollup import year_span
from emissions.metering_selectors import inventory_coverage, store_meter_qualities
from emissions.models import Inventory, Meter, MeterYearQuality
from tests.emissions.test_stored_quality import METER, assessed, meters_of, reference, share
from tests.fuzz.state import FUZZ

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


@pytest.fixture
def inventory(demo: dict[str, Any]) -> Inventory:
    inventory: Inventory = demo["suzhou"].inventory
    return inventory


@FUZZ
@given(specs=st.lists(METER, min_size=1, max_size=3))
def test_what_the_task_stores_is_what_the_first_evaluation_would(
    inventory: Inventory, specs: list[Any], django_assert_num_queries: Any
) -> None:
    meters = meters_of(inventory, specs)
    expected = reference(inventory)
    for meter in meters:
        assert inventory.year in store_meter_qualities(meter.pk)
        assert store_meter_qualities(meter.pk) == []  # stored: nothing to do
    with django_assert_num_queries(1):  # read back, not computed
        assert repr(inventory_coverage(inventory)) == repr(expected)
    rows = MeterYearQuality.objects.filter(method=RULES_VERSION, year=inventory.year)
    assert {row.meter_id: (row.score, row.coverage) for row in rows} == {
        pk: (quality.score, share(quality.coverage)) for pk, quality in assessed(inventory).items()
    }


def test_every_inventory_year_of_the_factory_is_stored(inventory: Inventory) -> None:
    (meter,) = meters_of(inventory, [(timedelta(0), "grid_electricity", [(DAY, DAY, "3", False)])])
    later = Inventory.objects.get(pk=inventory.pk)
    later.pk, later.year = None, inventory.year + 1
    later._state.adding = True
    later.save()
    MeterYearQuality.objects.create(meter=meter, year=inventory.year, method=RULES_VERSION - 1,
                                    score=5, coverage=0)  # fmt: skip
    years = set(
        Inventory.objects.filter(factory_id=inventory.factory_id).values_list("year", flat=True)
    )
    assert set(store_meter_qualities(meter.pk)) == years  # the old rules' row computed again
    assert set(MeterYearQuality.objects.values_list("year", "method")) == {
        (year, RULES_VERSION) for year in years
    }


def test_a_deleted_meter_is_nothing_to_do(inventory: Inventory) -> None:
    assert store_meter_qualities(10**9) == []


def _rows(first: Any, days: range) -> str:
    return json.dumps(
        [
            {"start": (first + DAY * d).isoformat(), "end": (first + DAY * (d + 1)).isoformat(),
             "value": "7"}
            for d in days
        ]
    )  # fmt: skip


def _post(client: Client, meter: Meter, body: str, method: str = "post") -> Any:
    call = getattr(client, method)
    return call(f"/api/v1/meters/{meter.pk}/readings/", body, content_type="application/json")


@pytest.mark.redis
def test_many_batches_of_a_meter_publish_one_task(
    inventory: Inventory,
    alice_client: Client,
    broker: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    grid, gas = meters_of(
        inventory, [(timedelta(0), "grid_electricity", []), (timedelta(0), "natural_gas", [])]
    )
    first, _ = year_span(inventory.year, LOCAL_ZONE)
    queue = redis.Redis.from_url(broker)
    with django_capture_on_commit_callbacks(execute=True):
        for batch in range(5):
            assert (
                _post(alice_client, grid, _rows(first, range(batch * 2, batch * 2 + 2))).json()[
                    "created"
                ]
                == 2
            )
        assert _post(alice_client, grid, _rows(first, range(2))).json()["unchanged"] == 2
        assert _post(alice_client, gas, _rows(first, range(1))).status_code == 200
    assert queue.llen("celery") == 2  # one for each meter
    queued: Any = queue.lrange("celery", 0, -1)  # the sync client: a list
    messages = [json.loads(m) for m in queued]
    assert {m["headers"]["task"] for m in messages} == {"emissions.store_meter_quality"}
    assert sorted(json.loads(_body(m))[0][0] for m in messages) == sorted([grid.pk, gas.pk])


def _body(message: dict[str, Any]) -> str:
    import base64

    return base64.b64decode(message["body"]).decode()


@pytest.mark.redis
def test_corrections_and_deletions_publish_too(
    inventory: Inventory,
    alice_client: Client,
    broker: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    (grid,) = meters_of(inventory, [(timedelta(0), "grid_electricity", [])])
    first, _ = year_span(inventory.year, LOCAL_ZONE)
    queue = redis.Redis.from_url(broker)
    _post(alice_client, grid, _rows(first, range(3)))  # no commit callbacks run: no task
    assert queue.llen("celery") == 0
    corrected = _rows(first, range(1)).replace('"7"', '"8"')
    with django_capture_on_commit_callbacks(execute=True):
        assert _post(alice_client, grid, corrected, "put").json()["updated"] == 1
    assert queue.llen("celery") == 1
    queue.delete(*tasks._keys(grid.pk), "celery")
    start, end = first.isoformat(), (first + DAY).isoformat()
    url = f"/api/v1/meters/{grid.pk}/readings/?start={start}&end={end}"
    with django_capture_on_commit_callbacks(execute=True):
        assert alice_client.delete(url.replace("+", "%2B")).json() == {"deleted": 1}
    assert queue.llen("celery") == 1


@pytest.mark.redis
def test_the_task_waits_for_the_meter_to_be_quiet(inventory: Inventory, broker: str) -> None:
    (grid,) = meters_of(inventory, [(timedelta(0), "grid_electricity", [(DAY, DAY, "3", False)])])
    queue = redis.Redis.from_url(broker)
    assert tasks.readings_changed([grid.pk, grid.pk]) == [grid.pk]
    assert tasks.readings_changed([grid.pk]) == []  # one is pending
    assert queue.llen("celery") == 1
    assert tasks.refresh_meter_quality(grid.pk) is None  # changed just now: put off
    assert queue.llen("celery") == 2
    assert not MeterYearQuality.objects.exists()
    changed, pending = tasks._keys(grid.pk)
    queue.set(changed, repr(time.time() - tasks.QUIET_SECONDS))
    assert tasks.refresh_meter_quality(grid.pk) == [inventory.year]
    assert queue.get(pending) is None  # the next change publishes again
    assert repr(inventory_coverage(inventory)) == repr(reference(inventory))
    assert tasks.readings_changed([grid.pk]) == [grid.pk]


def test_without_a_broker_nothing_is_published(inventory: Inventory) -> None:
    (grid,) = meters_of(inventory, [(timedelta(0), "grid_electricity", [])])
    assert tasks.readings_changed([grid.pk]) == []  # the tests run tasks eagerly
    assert not MeterYearQuality.objects.exists()
