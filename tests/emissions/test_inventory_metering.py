"""What meters say about an inventory: monthly values next to the entered total, data quality,
and the warning an evaluation carries when the meters miss part of the year."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from assessments.models import Assessment
from assessments.services.evaluation import evaluate_assessment
from assessments.services.workflow import submit_assessment
from emissions.metering.intervals import Interval
from emissions.models import Meter, MeterMonth

SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def daily_rows(first: datetime, days: int, mwh: str) -> list[dict[str, Any]]:
    return [
        {
            "start": (first + timedelta(days=d)).isoformat(),
            "end": (first + timedelta(days=d + 1)).isoformat(),
            "value": mwh,
        }
        for d in range(days)
    ]


def metered(alice_client: Client, assessment: Assessment, days: int) -> Meter:
    meter = Meter.objects.create(
        factory=assessment.inventory.factory,
        carrier="grid_electricity",
        unit="MWh",
        external_id="GRID-1",
    )
    rows = daily_rows(datetime(2023, 1, 1, tzinfo=SHANGHAI), days, "34.25")
    answer = alice_client.post(
        f"/api/v1/meters/{meter.pk}/readings/", json.dumps(rows), content_type="application/json"
    )
    assert answer.json()["created"] == days
    return meter


def test_the_inventory_shows_metered_months_next_to_the_entered_total(
    demo: dict[str, Any], alice_client: Client
) -> None:
    assessment = demo["suzhou"]
    metered(alice_client, assessment, 365)
    answer = alice_client.get(f"/api/v1/inventories/{assessment.inventory_id}/metering/").json()
    grid = answer["carriers"][0]
    assert grid["carrier"] == "grid_electricity"
    assert grid["unit"] == "MWh"  # the entered line's unit
    assert [m["value"] for m in grid["monthly"]][:2] == [31 * 34.25, 28 * 34.25]
    assert grid["metered_total"] == 365 * 34.25
    assert grid["entered_total"] == 12500
    assert grid["difference"] == 365 * 34.25 - 12500
    assert all(m["coverage"] == 1 for m in grid["monthly"])
    assert answer["full_year"] is True
    assert answer["warnings"] == []
    assert 1 <= answer["data_quality_score"] <= 5


def test_charlie_gets_404_for_the_metering_of_alices_inventory(
    demo: dict[str, Any], charlie_client: Client
) -> None:
    url = f"/api/v1/inventories/{demo['suzhou'].inventory_id}/metering/"
    assert charlie_client.get(url).status_code == 404


def test_meters_missing_part_of_the_year_put_a_warning_into_the_evaluation(
    demo: dict[str, Any], alice_client: Client, alice: Any
) -> None:
    assessment = demo["suzhou"]
    metered(alice_client, assessment, 200)
    page = alice_client.get(f"/api/v1/inventories/{assessment.inventory_id}/metering/").json()
    assert page["full_year"] is False
    assert "grid_electricity" in page["warnings"][0]
    submit_assessment(alice, assessment, as_of=None)
    evaluation = evaluate_assessment(assessment.pk)
    assert evaluation is not None
    quality = evaluation.result["data_quality"]
    assert quality["full_year"] is False
    assert quality["carriers"][0]["carrier"] == "grid_electricity"
    assert Decimal(str(quality["carriers"][0]["coverage"])) == Decimal("0.547945")  # 200/365
    assert "200" not in quality["warnings"][0]["en"]
    assert "54.7 %" in quality["warnings"][0]["en"]
    assert "54.7 %" in quality["warnings"][0]["zh"]
    assert evaluation.inputs["metering"]["carriers"][0]["coverage"] == "0.547945"


def test_an_evaluation_without_meters_has_no_data_quality(demo: dict[str, Any], alice: Any) -> None:
    assessment = demo["wuxi"]
    submit_assessment(alice, assessment, as_of=None)
    evaluation = evaluate_assessment(assessment.pk)
    assert evaluation is not None
    assert "data_quality" not in evaluation.result
    assert "metering" not in evaluation.inputs


def time_shared(intervals: list[Interval]) -> dict[date, Fraction]:
    """By hand, in exact fractions: each reading's value times the share of its seconds that
    fall in each calendar month of Shanghai."""
    totals: dict[date, Fraction] = {}
    for interval in intervals:
        seconds = Fraction((interval.end - interval.start).total_seconds())
        month = date(
            interval.start.astimezone(SHANGHAI).year, interval.start.astimezone(SHANGHAI).month, 1
        )
        while datetime(month.year, month.month, 1, tzinfo=SHANGHAI) < interval.end:
            following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
            low = max(interval.start, datetime(month.year, month.month, 1, tzinfo=SHANGHAI))
            high = min(interval.end, datetime(following.year, following.month, 1, tzinfo=SHANGHAI))
            share = Fraction((high - low).total_seconds()) / seconds
            totals[month] = totals.get(month, Fraction(0)) + Fraction(interval.value) * share
            month = following
    return totals


def test_the_roll_up_equals_the_time_shared_sum_of_the_readings(
    demo: dict[str, Any], alice_client: Client
) -> None:
    """Issue 8: monthly totals equal the time-shared sum of readings, relative error < 1e-9.
    Readings of odd lengths and values, crossing month ends, against the kernel's exact sum."""
    meter = Meter.objects.create(
        factory=demo["suzhou"].inventory.factory,
        carrier="grid_electricity",
        unit="kWh",
        external_id="ODD",
    )
    start, rows, intervals = datetime(2023, 1, 30, 7, 13, tzinfo=SHANGHAI), [], []
    for number in range(400):
        end = start + timedelta(minutes=97 + number % 11, seconds=number % 7)
        value = Decimal(number % 13) + Decimal("0.123456789012")
        rows.append({"start": start.isoformat(), "end": end.isoformat(), "value": str(value)})
        intervals.append(Interval(start, end, value))
        start = end
    answer = alice_client.post(
        f"/api/v1/meters/{meter.pk}/readings/", json.dumps(rows), content_type="application/json"
    )
    assert answer.json().get("created") == 400, answer.content
    expected = time_shared(intervals)
    stored = {m.month: m.value for m in MeterMonth.objects.filter(meter=meter)}
    assert set(stored) == set(expected)
    for month, total in expected.items():
        assert abs(Fraction(stored[month]) - total) <= Fraction(1, 10**9) * total
    assert sum(stored.values()) == sum(Decimal(r["value"]) for r in rows)


def test_what_if_sees_the_meters_as_a_submission_does(
    demo: dict[str, Any], alice_client: Client, alice: Any
) -> None:
    assessment = demo["suzhou"]
    metered(alice_client, assessment, 200)
    hypothetical = alice_client.post(
        f"/api/v1/assessments/{assessment.pk}/what-if/", {}, content_type="application/json"
    ).json()
    submit_assessment(alice, assessment, as_of=None)
    evaluation = evaluate_assessment(assessment.pk)
    assert evaluation is not None
    assert hypothetical["data_quality"]["carriers"] == [
        {"carrier": "grid_electricity", "coverage": 0.547945}
    ]
    assert hypothetical["star_level"] == evaluation.result["star_level"]
    assert hypothetical["data_quality"]["score"] == evaluation.result["data_quality"]["score"]
