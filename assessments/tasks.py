"""Celery tasks of the assessments app: ids in, services do the work.

Every way an evaluation can end is recorded on the assessment: evaluated, or failed with a
message that says what happened, gives a reference for support and asks to submit again.
Only transient errors (the database or broker gone for a moment) are retried.
"""

from __future__ import annotations

import logging

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError

from assessments import services
from zerocarbon.errors import DomainError

logger = logging.getLogger(__name__)

# Errors worth another try: the database or broker went away for a moment.
TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)
MAX_RETRIES = 5


@shared_task(
    bind=True,
    name="assessments.evaluate",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
)
def assessment_evaluate_task(self: Task[[int], int | None], assessment_id: int) -> int | None:
    """Evaluate a submitted assessment; returns the evaluation id (None if nothing to do)."""
    reference = services.failure_reference(self.request.id, assessment_id)
    try:
        evaluation = services.evaluate_assessment(assessment_id)
    except TRANSIENT as error:
        if self.request.retries >= MAX_RETRIES:
            message = services.unreachable_database_message(error, reference)
            services.record_evaluation_failure(assessment_id, message)
            raise
        raise self.retry(exc=error, countdown=2**self.request.retries) from error
    except DomainError as error:
        details = "; ".join(f"{e.path}: {e.message}" for e in error.errors)
        services.record_evaluation_failure(assessment_id, f"{error.message} {details}".strip())
        return None
    except SoftTimeLimitExceeded:
        logger.warning("evaluation of assessment %s hit the soft time limit", assessment_id)
        services.record_evaluation_failure(assessment_id, services.timed_out_message(reference))
        return None
    except Exception as error:
        # Not control flow: the last line of defence, so that no submission ends without a
        # word. The traceback goes to the log under the same reference the user sees.
        logger.exception("evaluation of assessment %s failed [%s]", assessment_id, reference)
        message = services.unexpected_error_message(error, reference)
        services.record_evaluation_failure(assessment_id, message)
        return None
    return evaluation.pk if evaluation else None


@shared_task(name="assessments.sweep_submissions", ignore_result=True)
def sweep_submissions_task() -> dict[str, list[int]]:
    """Beat, every minute: publish again what the queue never took or must have lost."""
    outcome = services.sweep_submissions()
    if outcome.republished or outcome.gave_up:
        logger.warning(
            "sweep: republished evaluations of %s, gave up on %s",
            outcome.republished,
            outcome.gave_up,
        )
    return {"republished": outcome.republished, "gave_up": outcome.gave_up}
