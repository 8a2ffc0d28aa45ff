"""Redis stopped: nothing is lost, and no client sees a 500.

Readings go straight to the database (201 with the broker gone). A PDF render or an import
job is recorded queued with no `enqueued_at` (the page answers as usual, in about a second,
not Celery's fifteen), and the reaper hands it to the queue once Redis is back. What cannot
be recorded answers 503 with Retry-After (zerocarbon.unavailable).
"""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError as DatabaseOperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from kombu.exceptions import OperationalError as BrokerUnreachable

from assessments.models import Evaluation
from assessments.services import import_jobs
from emissions.models import ImportJob, Meter, Reading
from reports import rendering
from reports.models import RenderedPdf
from tests.faults.conftest import ThrowawayRedis
from zerocarbon import leases

UNAVAILABLE_MESSAGE = (
    "The service is briefly unavailable (the database or the task queue did not answer);"
    " nothing was changed. Try again in a few seconds."
)
pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]
# A publish gives up after about a second; the page must not hang on a dead broker.
QUICK = 5.0


def _after_grace() -> Any:
    return timezone.now() + leases.ENQUEUE_GRACE + timedelta(seconds=1)


def test_readings_are_stored_with_redis_stopped(
    wuxi_evaluation: Evaluation, alice_client: Client, throwaway_redis: ThrowawayRedis
) -> None:
    meter = Meter.objects.create(
        factory=wuxi_evaluation.assessment.inventory.factory,
        carrier="grid_electricity",
        unit="kWh",
        external_id="FAULT-1",
    )
    throwaway_redis.stop()
    rows = [
        {
            "start": f"2025-03-01T0{h}:00:00+08:00",
            "end": f"2025-03-01T0{h + 1}:00:00+08:00",
            "value": "10",
        }
        for h in range(4)
    ]
    started = time.monotonic()
    response = alice_client.post(
        f"/api/v1/meters/{meter.pk}/readings/", json.dumps(rows), content_type="application/json"
    )
    assert time.monotonic() - started < QUICK
    assert response.status_code == 200, response.content
    assert Reading.objects.filter(meter=meter).count() == 4


def test_a_render_requested_with_redis_stopped_is_kept_and_handed_over_later(
    wuxi_evaluation: Evaluation, alice_client: Client, throwaway_redis: ThrowawayRedis
) -> None:
    throwaway_redis.stop()
    url = reverse("pdf-request", args=[wuxi_evaluation.pk])
    started = time.monotonic()
    response = alice_client.post(url, {"kind": "certificate"})
    assert time.monotonic() - started < QUICK
    assert response.status_code == 302
    row = RenderedPdf.objects.get(evaluation=wuxi_evaluation)
    assert (row.status, row.enqueued_at, row.enqueue_attempts) == ("queued", None, 1)

    # Asking again while it waits gives the same row, not a second render.
    alice_client.post(url, {"kind": "certificate"})
    assert RenderedPdf.objects.filter(evaluation=wuxi_evaluation).count() == 1

    # Within the grace the requester may still publish it; the reaper leaves it alone.
    assert rendering.RENDERS.reap().republished == []
    throwaway_redis.start()  # Redis is back (same port, empty)
    outcome = rendering.RENDERS.reap(_after_grace())
    assert outcome.republished == [row.pk]
    row.refresh_from_db()
    assert (row.status, row.enqueue_attempts) == ("queued", 2)
    assert row.enqueued_at is not None
    assert throwaway_redis.queued() == 1


def test_an_import_uploaded_with_redis_stopped_is_kept_and_handed_over_later(
    wuxi_evaluation: Evaluation, alice_client: Client, throwaway_redis: ThrowawayRedis
) -> None:
    inventory = wuxi_evaluation.assessment.inventory
    inventory.assessments.all().update(status="draft")  # reopened: the draft may change
    template = import_jobs.inventory_template(inventory)
    throwaway_redis.stop()
    url = reverse("inventory-import", args=[inventory.pk])
    started = time.monotonic()
    response = alice_client.post(url, {"file": SimpleUploadedFile("a.xlsx", template)})
    assert time.monotonic() - started < QUICK
    assert response.status_code == 302, response.content[:2000]
    job = ImportJob.objects.get(inventory=inventory)
    assert (job.status, job.enqueued_at) == ("queued", None)

    throwaway_redis.start()
    assert import_jobs.IMPORTS.reap(_after_grace()).republished == [job.pk]
    job.refresh_from_db()
    assert job.enqueued_at is not None
    assert throwaway_redis.queued() == 1


def test_a_broker_error_no_outbox_absorbs_is_a_503_page_with_retry_after(
    wuxi_evaluation: Evaluation, alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(*args: Any, **kwargs: Any) -> None:
        raise BrokerUnreachable("Error 111 connecting to 127.0.0.1:6399. Connection refused.")

    monkeypatch.setattr("reports.rendering.request_render", unreachable)
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    page = client.post(reverse("pdf-request", args=[wuxi_evaluation.pk]), {"kind": "report"})
    assert page.status_code == 503
    assert page["Retry-After"] == "5"
    body = page.content.decode()
    with translation.override("zh-hans"):  # pages speak Chinese unless asked otherwise
        expected = translation.gettext(UNAVAILABLE_MESSAGE)
    assert expected in body
    assert "6399" not in body  # no host or port in the answer


def test_a_database_connection_lost_mid_request_is_503_json_with_retry_after(
    wuxi_evaluation: Evaluation, alice: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    meter = Meter.objects.create(
        factory=wuxi_evaluation.assessment.inventory.factory,
        carrier="grid_electricity",
        unit="kWh",
        external_id="FAULT-2",
    )

    def dropped(*args: Any, **kwargs: Any) -> None:
        raise DatabaseOperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("emissions.services.readings.record_readings", dropped)
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    response = client.post(
        f"/api/v1/meters/{meter.pk}/readings/", "[]", content_type="application/json"
    )
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["error"]["code"] == "unavailable"
    assert "server closed" not in response.content.decode()
