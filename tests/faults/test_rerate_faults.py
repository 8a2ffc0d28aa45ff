"""Faults during a re-rating (issue 11): the broker unreachable while a preview and a
confirmation are handed over loses neither (the sweep hands them over once it is back), and
a worker killed in the middle of a chunk leaves exactly one new evaluation per assessment."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.contrib.auth.models import User

from assessments.models import Assessment, Evaluation, RerateBatch, RerateItem
from assessments.services import evaluation as evaluations
from assessments.services import rerate
from assessments.services.workflow import submit_assessment
from tests.assessments.reviewing import AS_OF
from tests.assessments.test_rerate import _new_set, _variant
from tests.conftest import _forget_producer_pool
from zerocarbon.accounts.models import Organisation

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
]
UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def _rated(orgs: dict[str, Organisation], alice: User, count: int) -> list[Assessment]:
    made = []
    for number in range(1, count + 1):
        assessment = _variant(orgs["org-a"], number)
        submit_assessment(alice, assessment, as_of=AS_OF)
        evaluations.evaluate_assessment(assessment.pk)  # here: the worker starts later
        made.append(assessment)
    return made


def _wait_for(batch: RerateBatch, status: str, timeout: float = 90) -> RerateBatch:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        batch.refresh_from_db()
        if batch.status == status:
            return batch
        time.sleep(0.2)
    raise AssertionError(f"batch {batch.pk} is {batch.status}, never {status}")


class _BrokerDown:
    def __init__(self, broker: str) -> None:
        from zerocarbon.celery import app

        self.app, self.broker = app, broker

    def __enter__(self) -> None:
        self.app.conf.update(CELERY_BROKER_URL=UNREACHABLE_BROKER)
        _forget_producer_pool(self.app)

    def __exit__(self, *exc: object) -> None:
        self.app.conf.update(CELERY_BROKER_URL=self.broker)
        _forget_producer_pool(self.app)


def test_an_unreachable_broker_delays_a_re_rating_and_loses_nothing(
    orgs: dict[str, Organisation], alice: User, broker: str, start_worker: Any
) -> None:
    made = _rated(orgs, alice, 3)
    new = _new_set()
    with _BrokerDown(broker):
        batch = rerate.start_preview(alice, new)  # recorded; the hand-over fails
    batch.refresh_from_db()
    assert batch.status == RerateBatch.Status.PREVIEWING
    assert batch.enqueued_at is None
    assert batch.items.count() == 3

    start_worker()
    assert rerate.sweep() == [batch.pk]
    batch = _wait_for(batch, RerateBatch.Status.PREVIEWED)
    assert rerate.changed_items(batch).count() == 3

    with _BrokerDown(broker):
        rerate.confirm(alice, batch, batch.fingerprint)
    batch.refresh_from_db()
    assert batch.status == RerateBatch.Status.APPLYING
    assert batch.enqueued_at is None
    assert rerate.sweep() == [batch.pk]
    _wait_for(batch, RerateBatch.Status.APPLIED)
    for assessment in made:
        assert Evaluation.objects.filter(assessment=assessment).count() == 2


def test_a_worker_killed_in_the_middle_of_a_chunk_leaves_one_result_each(
    orgs: dict[str, Organisation], alice: User, settings: Any, start_worker: Any
) -> None:
    made = _rated(orgs, alice, 4)
    fast = start_worker()
    batch = rerate.start_preview(alice, _new_set())
    batch = _wait_for(batch, RerateBatch.Status.PREVIEWED)
    fast.stop()

    slow = start_worker(ZEROCARBON_TEST_RERATE_DELAY_SECONDS="3")
    rerate.confirm(alice, batch, batch.fingerprint)
    slow.wait_for("Task assessments.rerate_chunk[", timeout=30)  # received: in the chunk
    time.sleep(4)  # past its first item and into the pause after it
    slow.kill()
    # The chunk is one transaction: its first item was rolled back with it.
    assert batch.items.filter(state=RerateItem.State.PREVIEWED).count() == 4
    assert all(Evaluation.objects.filter(assessment=a).count() == 1 for a in made)

    start_worker()
    settings.ZEROCARBON_RERATE_LEASE_SECONDS = 0  # the killed chunk's lease is over
    assert rerate.sweep() == [batch.pk]
    _wait_for(batch, RerateBatch.Status.APPLIED)
    time.sleep(2)  # room for a duplicate delivery to show up
    for assessment in made:
        assert Evaluation.objects.filter(assessment=assessment).count() == 2
    assert batch.items.filter(state=RerateItem.State.APPLIED).count() == 4
    assert set(batch.items.values_list("evaluation__factor_set_version", flat=True)) == {
        "CN-2025.2"
    }
