"""Meters and their readings over the REST API: idempotent batches, row-by-row refusals,
corrections, ranges, cumulative registers and the monthly roll-up."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from emissions.models import Factory, Meter, MeterMonth, Reading, ReadingCorrection
from emissions.services.readings import rebuild_rollup
from zerocarbon.accounts.models import Organisation

SHANGHAI = ZoneInfo("Asia/Shanghai")
METERS = "/api/v1/meters/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def factory(orgs: dict[str, Organisation]) -> Factory:
    return Factory.objects.create(
        organisation=orgs["org-a"],
        name="苏州测试工厂",
        credit_code="91320594MA1EXAMPL2",
        province="江苏",
        grid_region="east",
    )


@pytest.fixture
def meter(factory: Factory) -> Meter:
    return Meter.objects.create(
        factory=factory, carrier="grid_electricity", unit="kWh", external_id="M-1"
    )


def quarter_hours(day: datetime, count: int = 96, value: str = "12.5") -> list[dict[str, Any]]:
    return [
        {
            "start": (day + timedelta(minutes=15 * i)).isoformat(),
            "end": (day + timedelta(minutes=15 * (i + 1))).isoformat(),
            "value": value,
        }
        for i in range(count)
    ]


def post(client: Client, meter: Meter, rows: Any, query: str = "", method: str = "post") -> Any:
    send = getattr(client, method)
    return send(
        f"{METERS}{meter.pk}/readings/{query}", json.dumps(rows), content_type="application/json"
    )


DAY = datetime(2025, 3, 1, tzinfo=SHANGHAI)


def test_alice_creates_a_meter_of_her_factory(alice_client: Client, factory: Factory) -> None:
    body = {
        "factory": factory.pk,
        "carrier": "grid_electricity",
        "unit": "千瓦时",
        "external_id": "EMS-7",
        "kind": "interval",
    }
    answer = alice_client.post(METERS, body, content_type="application/json")
    assert answer.status_code == 201, answer.content
    assert answer.json()["unit"] == "kWh"  # the canonical spelling
    again = alice_client.post(METERS, body, content_type="application/json")
    assert again.status_code == 409
    assert again.json()["error"]["errors"][0]["path"] == "/external_id"


@pytest.mark.parametrize(
    ("change", "path"),
    [({"carrier": "moonlight"}, "carrier"), ({"unit": "t"}, "unit"), ({"kind": "x"}, "kind")],
)
def test_a_meter_with_a_bad_field_is_refused_naming_it(
    alice_client: Client, factory: Factory, change: dict[str, str], path: str
) -> None:
    body = {
        "factory": factory.pk,
        "carrier": "grid_electricity",
        "unit": "kWh",
        "external_id": "EMS-7",
    } | change
    answer = alice_client.post(METERS, body, content_type="application/json")
    assert answer.status_code == 400
    assert [e["path"] for e in answer.json()["error"]["errors"]] == [f"/{path}"]


def test_charlie_cannot_put_a_meter_on_alices_factory(
    charlie_client: Client, factory: Factory, meter: Meter
) -> None:
    body = {"factory": factory.pk, "carrier": "grid_electricity", "unit": "kWh", "external_id": "X"}
    answer = charlie_client.post(METERS, body, content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["error"]["errors"][0]["path"] == "/factory"
    assert charlie_client.get(f"{METERS}{meter.pk}/").status_code == 404
    assert post(charlie_client, meter, quarter_hours(DAY, 2)).status_code == 404


def test_bob_reads_readings_but_cannot_write_them(bob_client: Client, meter: Meter) -> None:
    assert bob_client.get(f"{METERS}{meter.pk}/readings/").status_code == 200
    assert post(bob_client, meter, quarter_hours(DAY, 2)).status_code == 403
    assert Reading.objects.count() == 0


def test_the_same_batch_posted_twice_changes_nothing(alice_client: Client, meter: Meter) -> None:
    rows = quarter_hours(DAY)
    first = post(alice_client, meter, rows)
    assert first.status_code == 200, first.content
    assert first.json() == {"created": 96, "updated": 0, "unchanged": 0, "rejected": []}
    second = post(alice_client, meter, rows)
    assert second.json() == {"created": 0, "updated": 0, "unchanged": 96, "rejected": []}
    assert Reading.objects.filter(meter=meter).count() == 96
    month = MeterMonth.objects.get(meter=meter)
    assert month.value == Decimal("1200")
    assert month.covered_seconds == 86400


def test_a_csv_batch_is_read_like_a_json_one(alice_client: Client, meter: Meter) -> None:
    lines = ["start,end,value,estimated"] + [
        f"{r['start']},{r['end']},{r['value']},{'true' if i == 0 else ''}"
        for i, r in enumerate(quarter_hours(DAY, 4))
    ]
    answer = alice_client.post(
        f"{METERS}{meter.pk}/readings/", "\n".join(lines) + "\n", content_type="text/csv"
    )
    assert answer.json()["created"] == 4, answer.content
    assert Reading.objects.filter(meter=meter, estimated=True).count() == 1
    assert json.loads(post(alice_client, meter, quarter_hours(DAY, 4)).content)["unchanged"] == 3


def test_each_bad_row_is_reported_with_its_index_and_the_good_ones_are_written(
    alice_client: Client, meter: Meter
) -> None:
    rows: list[Any] = quarter_hours(DAY, 3)
    rows += [
        {"start": "2025-03-02T01:00:00+08:00", "end": "2025-03-02T00:45:00+08:00", "value": 1},
        {"start": "2999-01-01T00:00:00+08:00", "end": "2999-01-01T00:15:00+08:00", "value": 1},
        {"start": "2025-03-02T02:00:00+08:00", "end": "2025-03-02T02:15:00+08:00", "value": -1},
        {"start": "yesterday", "end": "2025-03-02T02:15:00+08:00", "value": 1},
        rows[0],  # a duplicate of row 0
        {"start": "2025-03-01T00:05:00+08:00", "end": "2025-03-01T00:10:00+08:00", "value": 1},
        {
            "start": "2025-03-02T03:00:00+08:00",
            "end": "2025-03-02T03:15:00+08:00",
            "value": 1,
            "meter": "M-1",
        },
        {
            "start": "2025-03-02T04:00:00+08:00",
            "end": "2025-03-02T04:15:00+08:00",
            "value": 1,
            "unit": "furlong",
        },
        {
            "start": "2025-03-02T05:00:00+08:00",
            "end": "2025-03-02T05:15:00+08:00",
            "value": 1,
            "unit": "t",
        },
        {
            "start": "2025-03-02T06:00:00+08:00",
            "end": "2025-03-02T06:15:00+08:00",
            "value": "1.0000000000001",
        },
        "not a row",
    ]
    answer = post(alice_client, meter, rows).json()
    codes = {r["index"]: [e["code"] for e in r["errors"]] for r in answer["rejected"]}
    assert codes == {
        3: ["end_not_after_start"],
        4: ["future", "future"],
        5: ["negative"],
        6: ["invalid_timestamp"],
        7: ["duplicate_in_batch"],
        8: ["overlap_in_batch"],
        9: ["unknown_field"],
        10: ["unknown_unit"],
        11: ["incompatible_unit"],
        12: ["too_many_digits"],
        13: ["not_an_object"],
    }
    assert answer["rejected"][0]["errors"][0]["path"] == "/3/end"
    assert answer["created"] == 3


def test_an_atomic_batch_with_one_bad_row_writes_nothing(
    alice_client: Client, meter: Meter
) -> None:
    rows = quarter_hours(DAY, 10)
    rows[7]["value"] = "ten"
    answer = post(alice_client, meter, rows, "?atomic=true")
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "readings_rejected"
    assert error["errors"][0]["path"] == "/7/value"
    assert Reading.objects.count() == 0
    assert MeterMonth.objects.count() == 0


def test_a_changed_value_needs_a_put_which_keeps_the_previous_value(
    alice_client: Client, meter: Meter
) -> None:
    post(alice_client, meter, quarter_hours(DAY, 4))
    changed = quarter_hours(DAY, 4)
    changed[2]["value"] = "20"
    refused = post(alice_client, meter, changed).json()
    assert refused["rejected"][0]["errors"][0]["code"] == "conflicting_value"
    assert refused["unchanged"] == 3
    corrected = post(alice_client, meter, changed, method="put").json()
    assert corrected == {"created": 0, "updated": 1, "unchanged": 3, "rejected": []}
    correction = ReadingCorrection.objects.get()
    assert (correction.previous_value, correction.value) == (Decimal("12.5"), Decimal("20"))
    assert correction.corrected_via == "user alice"
    assert MeterMonth.objects.get(meter=meter).value == Decimal("57.5")


def test_a_reading_overlapping_a_stored_one_is_refused(alice_client: Client, meter: Meter) -> None:
    post(alice_client, meter, quarter_hours(DAY, 4))
    hour = [{"start": DAY.isoformat(), "end": (DAY + timedelta(hours=1)).isoformat(), "value": 50}]
    answer = post(alice_client, meter, hour).json()
    assert answer["rejected"][0]["errors"][0]["code"] == "overlaps_stored"
    assert Reading.objects.count() == 4


def test_naive_timestamps_are_read_in_shanghai_and_units_are_converted(
    alice_client: Client, meter: Meter
) -> None:
    rows = [{"start": "2025-03-01 00:00", "end": "2025-03-01 00:15", "value": "0.0125"}]
    answer = post(alice_client, meter, rows, "?unit=MWh").json()
    assert answer["created"] == 1
    reading = Reading.objects.get()
    assert reading.start == datetime(2025, 2, 28, 16, 0, tzinfo=UTC)
    assert reading.value == Decimal("12.5")


def test_deleting_a_range_removes_its_readings_and_their_months(
    alice_client: Client, meter: Meter
) -> None:
    post(alice_client, meter, quarter_hours(DAY, 8))
    url = f"{METERS}{meter.pk}/readings/"
    missing = alice_client.delete(f"{url}?end=2025-03-02T00:00:00%2B08:00")
    assert missing.status_code == 400
    assert missing.json()["error"]["errors"][0]["path"] == "start"
    answer = alice_client.delete(
        f"{url}?start=2025-03-01T00:00:00%2B08:00&end=2025-03-01T01:00:00%2B08:00"
    )
    assert answer.json() == {"deleted": 4}
    assert MeterMonth.objects.get(meter=meter).value == Decimal("50")
    post(alice_client, meter, quarter_hours(DAY + timedelta(hours=1), 4))  # 4 unchanged
    alice_client.delete(f"{url}?start=2025-01-01T00:00:00%2B08:00&end=2026-01-01T00:00:00%2B08:00")
    assert not MeterMonth.objects.filter(meter=meter).exists()


def test_a_cumulative_register_becomes_intervals_and_resets_are_detected(
    alice_client: Client, factory: Factory
) -> None:
    meter = Meter.objects.create(
        factory=factory,
        carrier="grid_electricity",
        unit="kWh",
        external_id="REG",
        kind="cumulative",
    )
    lonely = post(alice_client, meter, [{"timestamp": DAY.isoformat(), "reading": 100}]).json()
    assert lonely["rejected"][0]["errors"][0]["code"] == "register_start_only"
    points = [(0, "100"), (15, "112.5"), (30, "130"), (45, "4")]  # a reset before the last
    rows = [
        {"timestamp": (DAY + timedelta(minutes=m)).isoformat(), "reading": r} for m, r in points
    ]
    answer = post(alice_client, meter, rows).json()
    assert answer["created"] == 3
    assert answer["register_resets"] == [3]
    stored = Reading.objects.filter(meter=meter).values_list(
        "value", "register_start", "register_end"
    )
    assert list(stored) == [
        (Decimal("12.5"), Decimal("100"), Decimal("112.5")),
        (Decimal("17.5"), Decimal("112.5"), Decimal("130")),
        (Decimal("4"), Decimal("130"), Decimal("4")),
    ]
    last = [{"timestamp": (DAY + timedelta(minutes=45)).isoformat(), "reading": "4"}]
    assert post(alice_client, meter, last).json()["unchanged"] == 1
    last[0]["reading"] = "5"
    assert post(alice_client, meter, last).json()["rejected"][0]["errors"][0]["code"] == (
        "conflicting_value"
    )
    later = [{"timestamp": (DAY + timedelta(hours=2)).isoformat(), "reading": "10"}]
    assert post(alice_client, meter, later).json()["created"] == 1  # from the stored register
    assert post(alice_client, meter, rows).json()["unchanged"] == 3


def test_a_reading_across_a_month_end_is_split_by_time_share(
    alice_client: Client, meter: Meter
) -> None:
    start = datetime(2025, 3, 31, 18, 0, tzinfo=SHANGHAI)  # 6 h in March, 18 h in April
    rows = [
        {"start": start.isoformat(), "end": (start + timedelta(days=1)).isoformat(), "value": "240"}
    ]
    post(alice_client, meter, rows)
    months = dict(MeterMonth.objects.filter(meter=meter).values_list("month__month", "value"))
    assert months == {3: Decimal("60"), 4: Decimal("180")}
    answer = alice_client.get(f"{METERS}{meter.pk}/months/?year=2025").json()
    assert [m["coverage"] for m in answer] == [
        pytest.approx(6 / (31 * 24), abs=1e-6),
        pytest.approx(18 / (30 * 24), abs=1e-6),
    ]


def test_the_incremental_roll_up_equals_a_rebuild(alice_client: Client, meter: Meter) -> None:
    post(alice_client, meter, quarter_hours(datetime(2025, 1, 31, 20, tzinfo=SHANGHAI), 300, "1.3"))
    changed = quarter_hours(datetime(2025, 1, 31, 20, tzinfo=SHANGHAI), 300, "1.7")
    post(alice_client, meter, changed[::3], method="put")
    before = list(MeterMonth.objects.filter(meter=meter).values_list("month", "value", "readings"))
    rebuild_rollup(meter)
    after = list(MeterMonth.objects.filter(meter=meter).values_list("month", "value", "readings"))
    assert before == after


def test_fifty_thousand_rows_go_in_one_request_and_one_more_is_refused(
    alice_client: Client, meter: Meter
) -> None:
    start = datetime(2023, 1, 1, tzinfo=SHANGHAI)
    rows = quarter_hours(start, 50_000, "1")
    answer = post(alice_client, meter, rows)
    assert answer.json()["created"] == 50_000
    too_many = post(alice_client, meter, quarter_hours(start, 50_001, "1"))
    assert too_many.status_code == 400
    assert too_many.json()["error"]["code"] == "too_many_rows"
    assert Reading.objects.count() == 50_000


def test_quality_needs_a_year_and_names_it(alice_client: Client, meter: Meter) -> None:
    missing = alice_client.get(f"{METERS}{meter.pk}/quality/")
    assert missing.status_code == 400
    assert missing.json()["error"]["errors"][0]["path"] == "year"
    post(alice_client, meter, quarter_hours(DAY))
    quality = alice_client.get(f"{METERS}{meter.pk}/quality/?year=2025").json()
    assert quality["readings"] == 96
    assert not quality["full_year"]
    assert 1 <= quality["score"] <= 5
