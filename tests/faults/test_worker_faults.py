"""Real workers: one killed in the middle of a render leaves exactly one PDF, and one whose
database connection is terminated retries the render and finishes it."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from assessments.models import Evaluation
from reports import rendering
from reports.models import RenderedPdf
from tests.assessments.test_worker import QUICK_REDELIVERY, wait_until
from zerocarbon import leases

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]


def _pdf_files(settings: Any) -> set[str]:
    return {str(path) for path in (settings.MEDIA_ROOT / "pdfs").rglob("*.pdf")}


def _status(pk: int) -> str:
    return str(RenderedPdf.objects.values_list("status", flat=True).get(pk=pk))


def test_a_worker_killed_mid_render_leaves_exactly_one_pdf(
    wuxi_evaluation: Evaluation, alice: Any, start_worker: Any, settings: Any
) -> None:
    files_before = _pdf_files(settings)
    slow = start_worker(ZEROCARBON_TEST_RENDER_DELAY_SECONDS="30", **QUICK_REDELIVERY)
    row = rendering.request_render(alice, wuxi_evaluation.pk, kind="certificate", language="en")
    wait_until(lambda: _status(row.pk) == "running", 30, "the claim")
    slow.kill()

    # The dead worker's message comes back after the visibility timeout (3 s) and finds the
    # row claimed: nothing happens, the row stays running until its lease runs out.
    start_worker(**QUICK_REDELIVERY)
    time.sleep(4)
    assert _status(row.pk) == "running"
    held = RenderedPdf.objects.get(pk=row.pk).started_at
    assert held is not None
    outcome = rendering.RENDERS.reap(held + leases.lease() + timedelta(seconds=1))
    assert outcome.republished == [row.pk]
    wait_until(lambda: _status(row.pk) in ("done", "failed"), 60, "the handed-over render")
    time.sleep(3)  # room for a duplicate delivery to show up

    rows = RenderedPdf.objects.filter(evaluation=wuxi_evaluation)
    assert rows.count() == 1
    done = rows.get()
    assert (done.status, done.enqueue_attempts, done.error) == ("done", 2, "")
    assert done.file.read().startswith(b"%PDF-")
    assert _pdf_files(settings) - files_before == {str(settings.MEDIA_ROOT / done.file.name)}


def _terminate_other_backends() -> int:
    """Drops every other connection to this test database (the worker's), as a restarted
    PostgreSQL or a network cut would."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        (count,) = cursor.fetchone()
    return int(count)


def test_a_render_whose_database_connection_is_dropped_retries_and_finishes(
    wuxi_evaluation: Evaluation, alice: Any, start_worker: Any
) -> None:
    worker = start_worker(ZEROCARBON_TEST_RENDER_DELAY_SECONDS="2")
    row = rendering.request_render(alice, wuxi_evaluation.pk, kind="certificate", language="en")
    wait_until(lambda: _status(row.pk) == "running", 30, "the claim")
    assert _terminate_other_backends() >= 1  # while the worker sleeps inside the task

    wait_until(lambda: _status(row.pk) in ("done", "failed"), 60, "the retried render")
    row.refresh_from_db()
    assert (row.status, row.error) == ("done", ""), worker.output()[-3000:]
    assert "lost the database" in worker.output()
    assert row.started_at is not None
    assert row.started_at > timezone.now() - timedelta(seconds=60)
