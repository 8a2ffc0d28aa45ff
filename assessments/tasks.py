"""Celery tasks of the assessments app: ids in, services do the work."""

from __future__ import annotations

import logging

from celery import Task, shared_task
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
    try:
        evaluation = services.evaluate_assessment(assessment_id)
    except TRANSIENT as error:
        if self.request.retries >= MAX_RETRIES:
            services.record_evaluation_failure(
                assessment_id,
                f"The evaluation could not reach the database ({error}); submit again.",
            )
            raise
        raise self.retry(exc=error, countdown=2**self.request.retries) from error
    except DomainError as error:
        details = "; ".join(f"{e.path}: {e.message}" for e in error.errors)
        services.record_evaluation_failure(assessment_id, f"{error.message} {details}".strip())
        return None
    return evaluation.pk if evaluation else None
