"""Submissions always finish: a submission is recorded with its evaluation request (the
outbox), a broker that is down costs nothing but time, the sweep publishes what the queue
never took or lost and gives up with a message after three attempts, and every failure of the
evaluation is recorded on the assessment with a message the user can act on."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest
import redis
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.contrib.auth.models import User
from django.db import OperationalError
from django.db.models import F
from django.test import Client
from django.utils import timezone

from assessments.models import Assessment, Evaluation
from assessments.services import evaluation as evaluation_service
from assessments.services import workflow
from assessments.services.workflow import (
    ENQUEUE_GRACE,
    MAX_ENQUEUE_ATTEMPTS,
    publish_evaluation,
    submit_assessment,
    sweep_submissions,
)
from assessments.tasks import assessment_evaluate_task, sweep_submissions_task
from tests.assessments.test_worker import wait_until
from tests.conftest import _forget_producer_pool

AS_OF = date(2025, 6, 30)
# Tests that commit for real (so that on-commit publishing runs inside the request) are marked
# postgres: on SQLite the flush after them trips the frozen-factor-set triggers.
UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1


@contextmanager
def broker_unreachable() -> Iterator[None]:
    """Task sends go to a broker nobody answers for, as when Redis is down."""
    from zerocarbon.celery import app

    previous = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.update(CELERY_BROKER_URL=UNREACHABLE_BROKER, CELERY_TASK_ALWAYS_EAGER=False)
    _forget_producer_pool(app)
    try:
        yield
    finally:
        app.conf.update(CELERY_BROKER_URL=previous[0], CELERY_TASK_ALWAYS_EAGER=previous[1])
        _forget_producer_pool(app)


@pytest.fixture
def broker_down() -> Iterator[None]:
    with broker_unreachable():
        yield


@pytest.fixture
def submit(django_capture_on_commit_callbacks: Any) -> Any:
    """submit_assessment with its on-commit publish run, as after a real commit."""

    def run(user: User, assessment: Assessment) -> Assessment:
        with django_capture_on_commit_callbacks(execute=True):
            submit_assessment(user, assessment, as_of=AS_OF)
        return Assessment.objects.get(pk=assessment.pk)

    return run


def stalled(assessment: Assessment, **fields: Any) -> None:
    """The assessment as the sweep finds it: submitted a while ago, and whatever `fields` say."""
    defaults = {
        "status": "submitted",
        "as_of": AS_OF,
        "submitted_at": timezone.now() - ENQUEUE_GRACE - timedelta(seconds=1),
        "evaluation_enqueued_at": None,
        "evaluation_enqueue_attempts": 1,
    }
    Assessment.objects.filter(pk=assessment.pk).update(**(defaults | fields))


def lost_since() -> timedelta:
    return timedelta(
        seconds=settings.CELERY_TASK_TIME_LIMIT
        + settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
        + 1
    )


# --- the broker is down ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_a_submission_with_the_broker_down_is_recorded_and_not_lost(
    demo: dict[str, Any], alice: User, broker_down: None, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="assessments.services.workflow"):
        returned = submit_assessment(alice, demo["wuxi"], as_of=AS_OF)
    assert returned.status == "submitted"
    assert returned.evaluation_enqueued_at is None
    stored = Assessment.objects.get(pk=demo["wuxi"].pk)
    assert (stored.status, stored.evaluation_enqueued_at) == ("submitted", None)
    assert stored.evaluation_enqueue_attempts == 1
    assert "not queued" in caplog.text
    # Not lost: the sweep finds it once the submitter has had its chance to publish.
    assert Assessment.objects.filter(workflow._stalled(timezone.now() + ENQUEUE_GRACE)).exists()


def test_publishing_never_raises_when_the_broker_is_down(
    demo: dict[str, Any], broker_down: None
) -> None:
    assessment = demo["wuxi"]
    stalled(assessment)
    assert publish_evaluation(assessment.pk, assessment.submitted_at) is False


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_the_api_accepts_a_submission_with_the_broker_down_and_says_it_is_not_yet_queued(
    demo: dict[str, Any], alice_client: Client, broker_down: None
) -> None:
    url = f"/api/v1/assessments/{demo['wuxi'].pk}/submit/"
    response = alice_client.post(url, {"as_of": "2025-06-30"}, content_type="application/json")
    assert response.status_code == 202, response.content[:300]
    body = response.json()
    assert (body["status"], body["evaluation_queued"], body["evaluation_enqueued_at"]) == (
        "submitted",
        False,
        None,
    )
    again = alice_client.get(f"/api/v1/assessments/{demo['wuxi'].pk}/").json()
    assert (again["status"], again["evaluation_queued"]) == ("submitted", False)


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_the_browser_submit_with_the_broker_down_redirects_instead_of_failing(
    demo: dict[str, Any], alice_client: Client, broker_down: None
) -> None:
    response = alice_client.post(f"/assessments/{demo['suzhou'].pk}/submit/", {})
    assert response.status_code == 302
    assert Assessment.objects.get(pk=demo["suzhou"].pk).status == "submitted"


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_the_api_says_the_evaluation_is_queued_when_the_broker_took_it(
    demo: dict[str, Any], alice_client: Client, broker: str
) -> None:
    url = f"/api/v1/assessments/{demo['wuxi'].pk}/submit/"
    response = alice_client.post(url, {"as_of": "2025-06-30"}, content_type="application/json")
    assert response.status_code == 202
    body = response.json()
    assert (body["status"], body["evaluation_queued"]) == ("submitted", True)
    assert body["evaluation_enqueued_at"] is not None
    assert redis.Redis.from_url(broker).llen("celery") == 1  # the message waits for a worker


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_with_the_broker_back_the_sweep_publishes_it_and_a_real_worker_evaluates_it(
    demo: dict[str, Any], alice: User, start_worker: Any
) -> None:
    with broker_unreachable():
        assert submit_assessment(alice, demo["wuxi"], as_of=AS_OF).evaluation_enqueued_at is None
    assessment = Assessment.objects.filter(pk=demo["wuxi"].pk)
    assessment.update(submitted_at=F("submitted_at") - ENQUEUE_GRACE)  # a minute goes by
    start_worker()
    sweep_submissions_task.delay()  # what beat sends every minute; the worker runs the sweep
    wait_until(lambda: assessment.get().status == "evaluated", 60, "the evaluation")
    evaluation = Evaluation.objects.get(assessment=demo["wuxi"])
    assert (evaluation.star_level, str(evaluation.total_score)) == (4, "77.32")
    swept = assessment.get()
    assert swept.evaluation_enqueue_attempts == 2
    assert swept.evaluation_enqueued_at is not None


# --- the sweep ------------------------------------------------------------------------------


def test_the_sweep_publishes_a_submission_the_queue_never_took(
    demo: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    stalled(demo["wuxi"])
    with django_capture_on_commit_callbacks(execute=True):  # eager: evaluated in-process
        outcome = sweep_submissions()
    assert (outcome.republished, outcome.gave_up) == ([demo["wuxi"].pk], [])
    swept = Assessment.objects.get(pk=demo["wuxi"].pk)
    assert (swept.status, swept.evaluation_enqueue_attempts) == ("evaluated", 2)
    assert swept.evaluation_enqueued_at is not None


def test_the_sweep_publishes_again_a_submission_queued_so_long_ago_its_message_is_lost(
    demo: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    stalled(demo["wuxi"], evaluation_enqueued_at=timezone.now() - lost_since())
    with django_capture_on_commit_callbacks(execute=True):
        outcome = sweep_submissions()
    assert outcome.republished == [demo["wuxi"].pk]
    assert Assessment.objects.get(pk=demo["wuxi"].pk).status == "evaluated"


def test_the_sweep_leaves_fresh_and_recently_queued_submissions_alone(
    demo: dict[str, Any],
) -> None:
    stalled(demo["wuxi"], submitted_at=timezone.now())  # its submitter is still publishing
    lost = lost_since() - timedelta(seconds=2)
    stalled(demo["suzhou"], evaluation_enqueued_at=timezone.now() - lost)
    assert sweep_submissions() == workflow.SweepOutcome()
    assert Assessment.objects.filter(evaluation_enqueue_attempts=1).count() == 2


def test_the_sweep_gives_up_after_three_attempts_with_a_message_and_submit_works_again(
    demo: dict[str, Any], alice: User, submit: Any
) -> None:
    stalled(
        demo["wuxi"],
        evaluation_enqueued_at=timezone.now() - lost_since(),
        evaluation_enqueue_attempts=MAX_ENQUEUE_ATTEMPTS,
    )
    outcome = sweep_submissions()
    assert (outcome.republished, outcome.gave_up) == ([], [demo["wuxi"].pk])
    failed = Assessment.objects.get(pk=demo["wuxi"].pk)
    assert failed.status == "failed"
    assert "handed to the task queue 3 times" in failed.evaluation_error
    assert "Submit again" in failed.evaluation_error
    assert f"assessment {failed.pk} at " in failed.evaluation_error  # a reference for support
    assert sweep_submissions() == workflow.SweepOutcome()  # given up: not looping forever
    again = submit(alice, demo["wuxi"])
    assert (again.status, again.evaluation_enqueue_attempts) == ("evaluated", 1)


def test_the_sweep_task_reports_what_it_did(demo: dict[str, Any]) -> None:
    stalled(
        demo["wuxi"],
        evaluation_enqueued_at=timezone.now() - lost_since(),
        evaluation_enqueue_attempts=MAX_ENQUEUE_ATTEMPTS,
    )
    assert sweep_submissions_task.run() == {"republished": [], "gave_up": [demo["wuxi"].pk]}


# --- the evaluation fails -------------------------------------------------------------------


def test_an_unexpected_error_leaves_the_assessment_failed_with_a_message_and_a_traceback(
    demo: dict[str, Any],
    alice: User,
    submit: Any,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(evaluation_service, "compute", broken)
    with caplog.at_level(logging.ERROR, logger="assessments.tasks"):
        failed = submit(alice, demo["wuxi"])
    assert failed.status == "failed"
    message = failed.evaluation_error
    assert "unexpected error (ZeroDivisionError)" in message
    assert "Submit again" in message
    assert "reference task " in message
    assert not Evaluation.objects.exists()
    (record,) = [r for r in caplog.records if r.name == "assessments.tasks"]
    assert record.exc_info is not None
    assert record.exc_info[0] is ZeroDivisionError  # the traceback is in the log
    task_id = message.split("reference task ")[1].split(" ")[0]
    assert task_id in record.getMessage()  # the user's reference finds the log line

    monkeypatch.undo()
    evaluated = submit(alice, demo["wuxi"])
    assert (evaluated.status, evaluated.evaluation_error) == ("evaluated", "")
    assert Evaluation.objects.get(assessment=demo["wuxi"]).star_level == 4


def test_the_task_quotes_its_own_id_as_the_reference(
    demo: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    stalled(demo["wuxi"])
    monkeypatch.setattr(evaluation_service, "compute", lambda *args, **kwargs: 1 / 0)
    assessment_evaluate_task.apply(args=(demo["wuxi"].pk,), task_id="ref-0001", throw=True)
    failed = Assessment.objects.get(pk=demo["wuxi"].pk)
    assert failed.status == "failed"
    assert "reference task ref-0001 at 20" in failed.evaluation_error


def test_a_soft_time_limit_gets_its_own_message(
    demo: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    stalled(demo["wuxi"])

    def slow(*args: Any, **kwargs: Any) -> None:
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(evaluation_service, "compute", slow)
    assert assessment_evaluate_task.run(demo["wuxi"].pk) is None
    failed = Assessment.objects.get(pk=demo["wuxi"].pk)
    assert failed.status == "failed"
    limit = settings.CELERY_TASK_SOFT_TIME_LIMIT
    assert f"took longer than its limit of {limit} s" in failed.evaluation_error
    assert "Submit again" in failed.evaluation_error


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_the_api_answers_202_with_the_failure_when_the_in_process_evaluation_breaks(
    demo: dict[str, Any], alice_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(evaluation_service, "compute", lambda *args, **kwargs: 1 / 0)
    url = f"/api/v1/assessments/{demo['wuxi'].pk}/submit/"
    response = alice_client.post(url, {"as_of": "2025-06-30"}, content_type="application/json")
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "failed"
    assert "unexpected error (ZeroDivisionError)" in body["evaluation_error"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_in_process_a_database_that_stays_unreachable_is_recorded_not_raised(
    demo: dict[str, Any], alice_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(assessment_id: int) -> None:
        raise OperationalError("database is locked")

    monkeypatch.setattr(evaluation_service, "evaluate_assessment", down)
    url = f"/api/v1/assessments/{demo['wuxi'].pk}/submit/"
    response = alice_client.post(url, {"as_of": "2025-06-30"}, content_type="application/json")
    assert response.status_code == 202  # the retries ran in-process, then it was recorded
    body = response.json()
    assert body["status"] == "failed"
    assert "could not reach the database (database is locked)" in body["evaluation_error"]
