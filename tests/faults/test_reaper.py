"""No row is left running forever: the reaper hands over what a dead worker held once its
lease ran out, and fails it with a reason after MAX_ATTEMPTS hand-overs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from assessments.models import Evaluation
from assessments.services import import_jobs
from emissions.models import ImportJob
from reports import rendering
from reports.models import RenderedPdf
from zerocarbon import leases
from zerocarbon.tasks import reap_leases

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _abandoned_render(evaluation: Evaluation, attempts: int = 1) -> RenderedPdf:
    """A render a worker claimed, then died holding (its lease ran out a second ago)."""
    started = timezone.now() - leases.lease() - timedelta(seconds=1)
    return RenderedPdf.objects.create(
        evaluation=evaluation,
        kind="certificate",
        language="en",
        status="running",
        stage="layout",
        progress=40,
        started_at=started,
        enqueued_at=started,
        enqueue_attempts=attempts,
    )


def test_an_abandoned_render_is_handed_over_and_ends_rendered(
    wuxi_evaluation: Evaluation,
) -> None:
    row = _abandoned_render(wuxi_evaluation)
    outcome = rendering.RENDERS.reap()  # in-process tasks: the hand-over renders it here
    assert outcome.republished == [row.pk]
    row.refresh_from_db()
    assert (row.status, row.enqueue_attempts, row.error) == ("done", 2, "")
    assert row.file.read().startswith(b"%PDF-")


def test_a_render_within_its_lease_is_left_to_its_worker(wuxi_evaluation: Evaluation) -> None:
    row = _abandoned_render(wuxi_evaluation)
    RenderedPdf.objects.filter(pk=row.pk).update(started_at=timezone.now())
    assert rendering.RENDERS.reap().republished == []
    row.refresh_from_db()
    assert (row.status, row.progress) == ("running", 40)


def test_a_render_handed_over_too_often_fails_with_a_reason(wuxi_evaluation: Evaluation) -> None:
    row = _abandoned_render(wuxi_evaluation, attempts=leases.MAX_ATTEMPTS)
    assert rendering.RENDERS.reap().failed == [row.pk]
    row.refresh_from_db()
    assert row.status == "failed"
    assert "handed to the task queue 3 times" in row.error
    assert row.finished_at is not None


def test_a_render_the_queue_lost_is_published_again(wuxi_evaluation: Evaluation) -> None:
    """Taken by the queue long ago and never claimed: the message is presumed lost."""
    row = _abandoned_render(wuxi_evaluation)
    long_ago = timezone.now() - leases.lost_after() - timedelta(seconds=1)
    RenderedPdf.objects.filter(pk=row.pk).update(
        status="queued", started_at=None, enqueued_at=long_ago
    )
    assert rendering.RENDERS.reap().republished == [row.pk]
    row.refresh_from_db()
    assert row.status == "done"


def test_an_abandoned_import_job_is_handed_over_and_ends_done(
    wuxi_evaluation: Evaluation, alice: User
) -> None:
    inventory = wuxi_evaluation.assessment.inventory
    inventory.assessments.all().update(status="draft")
    job = import_jobs.start_import(
        alice, inventory, name="a.xlsx", content=import_jobs.inventory_template(inventory)
    )
    job.refresh_from_db()
    assert job.status == "done"
    started = timezone.now() - leases.lease() - timedelta(seconds=1)
    ImportJob.objects.filter(pk=job.pk).update(
        status="running", started_at=started, changes=[], stage="reading"
    )
    assert import_jobs.IMPORTS.reap().republished == [job.pk]
    job.refresh_from_db()
    assert (job.status, job.enqueue_attempts, job.failure) == ("done", 2, "")
    assert job.started_at is not None
    assert job.started_at > started


def test_an_import_job_handed_over_too_often_fails_with_a_reason(
    wuxi_evaluation: Evaluation, alice: User
) -> None:
    inventory = wuxi_evaluation.assessment.inventory
    inventory.assessments.all().update(status="draft")
    job = import_jobs.start_import(
        alice, inventory, name="a.xlsx", content=import_jobs.inventory_template(inventory)
    )
    started = timezone.now() - leases.lease() - timedelta(seconds=1)
    ImportJob.objects.filter(pk=job.pk).update(
        status="running", started_at=started, enqueue_attempts=leases.MAX_ATTEMPTS
    )
    assert import_jobs.IMPORTS.reap().failed == [job.pk]
    job.refresh_from_db()
    assert job.status == "failed"
    assert "Nothing was changed; upload it again." in job.failure


def test_the_beat_task_reaps_every_registered_holder(
    wuxi_evaluation: Evaluation, settings: Any
) -> None:
    assert "zerocarbon.reap_leases" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    row = _abandoned_render(wuxi_evaluation, attempts=leases.MAX_ATTEMPTS)
    assert reap_leases() == {
        "renders": {"republished": [], "failed": [row.pk]},
        "imports": {"republished": [], "failed": []},
    }


def test_a_render_left_running_before_claims_had_a_time_is_reaped_too(
    wuxi_evaluation: Evaluation,
) -> None:
    row = _abandoned_render(wuxi_evaluation)
    old = timezone.now() - leases.lease() - timedelta(seconds=1)
    RenderedPdf.objects.filter(pk=row.pk).update(started_at=None, created_at=old)
    fresh = _abandoned_render(wuxi_evaluation)
    RenderedPdf.objects.filter(pk=fresh.pk).update(
        started_at=None, created_at=timezone.now(), language="zh-hans"
    )
    assert rendering.RENDERS.reap().republished == [row.pk]
    assert _status_of(fresh) == "running"


def _status_of(row: RenderedPdf) -> str:
    row.refresh_from_db()
    return str(row.status)
