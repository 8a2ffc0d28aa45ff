"""A real Celery worker on Redis evaluates submitted assessments, and a worker killed in the
middle of the task leads to exactly one evaluation (acks_late + idempotent recording)."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

import pytest
from django.contrib.auth.models import User

from assessments.models import Assessment, Evaluation
from assessments.services.workflow import submit_assessment

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]
AS_OF = date(2025, 6, 30)
# Redelivery after 3 s. The settings refuse a visibility timeout that is not above the hard
# time limit, so the limits shrink with it; the solo pool of these workers does not enforce
# time limits, so the 30-second task still runs until the test kills its worker.
QUICK_REDELIVERY = {
    "CELERY_VISIBILITY_TIMEOUT": "3",
    "CELERY_TASK_TIME_LIMIT": "2",
    "CELERY_TASK_SOFT_TIME_LIMIT": "1",
}


def wait_until(condition: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_submitted_assessment_is_evaluated_by_a_real_worker(
    demo: dict[str, Any], alice: User, start_worker: Any
) -> None:
    start_worker()
    submit_assessment(alice, demo["wuxi"], as_of=AS_OF)
    wait_until(
        lambda: Assessment.objects.get(pk=demo["wuxi"].pk).status == "evaluated",
        60,
        "the evaluation",
    )
    evaluation = Evaluation.objects.get(assessment=demo["wuxi"])
    assert (evaluation.star_level, str(evaluation.total_score)) == (4, "77.32")


def test_a_worker_killed_during_the_task_still_leads_to_exactly_one_evaluation(
    demo: dict[str, Any], alice: User, start_worker: Any
) -> None:
    slow = start_worker(ZEROCARBON_TEST_EVALUATION_DELAY_SECONDS="30", **QUICK_REDELIVERY)
    submit_assessment(alice, demo["suzhou"], as_of=AS_OF)
    slow.wait_for("Task assessments.evaluate[", timeout=30)  # received: running (sleeping)
    time.sleep(1)
    slow.kill()
    assert not Evaluation.objects.exists()
    assert Assessment.objects.get(pk=demo["suzhou"].pk).status == "submitted"

    # A new worker restores unacknowledged messages older than the visibility timeout when it
    # starts polling; wait past that timeout so the dead worker's task is restored at once.
    time.sleep(4)
    start_worker(**QUICK_REDELIVERY)
    wait_until(Evaluation.objects.exists, 90, "the redelivered task")
    time.sleep(5)  # room for any duplicate delivery to show up
    assert Evaluation.objects.filter(assessment=demo["suzhou"]).count() == 1
    assert Assessment.objects.get(pk=demo["suzhou"].pk).status == "evaluated"
