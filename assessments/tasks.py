"""Celery tasks of the assessments app: ids in, services do the work.

Every way an evaluation can end is recorded on the assessment: evaluated, or failed with a
message that says what happened, gives a reference for support and asks to submit again, in
every language of the platform (a worker has no language of its own; the pages and the API
show the one they speak). Only transient errors (the database or broker gone for a moment)
are retried.
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from celery import Task, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import InterfaceError, OperationalError, close_old_connections

import zerocarbon.celery  # noqa: F401  (the app shared_task binds to: zerocarbon/__init__.py)
from assessments import notifications
from assessments.services import evaluation as evaluations
from assessments.services import import_jobs, rerate, workflow
from assessments.services.workflow import in_every_language

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
    reference = workflow.failure_reference(self.request.id, assessment_id)
    try:
        evaluation = evaluations.evaluate_assessment(assessment_id)
    except TRANSIENT as error:
        if self.request.retries >= MAX_RETRIES:
            message = partial(workflow.unreachable_database_message, error, reference)
            evaluations.record_evaluation_failure(assessment_id, in_every_language(message))
            raise
        raise self.retry(exc=error, countdown=2**self.request.retries) from error
    except evaluations.EvaluationRefused as refused:  # the dossier, in the reader's words
        evaluations.record_evaluation_failure(assessment_id, refused.texts)
        return None
    except SoftTimeLimitExceeded:
        logger.warning("evaluation of assessment %s hit the soft time limit", assessment_id)
        message = partial(workflow.timed_out_message, reference)
        evaluations.record_evaluation_failure(assessment_id, in_every_language(message))
        return None
    except Exception as error:
        # Not control flow: the last line of defence, so that no submission ends without a
        # word. The traceback goes to the log under the same reference the user sees.
        logger.exception("evaluation of assessment %s failed [%s]", assessment_id, reference)
        message = partial(workflow.unexpected_error_message, error, reference)
        evaluations.record_evaluation_failure(assessment_id, in_every_language(message))
        return None
    return evaluation.pk if evaluation else None


@shared_task(name="assessments.sweep_submissions", ignore_result=True)
def sweep_submissions_task() -> dict[str, list[int]]:
    """Beat, every minute: publish again what the queue never took or must have lost."""
    outcome = workflow.sweep_submissions()
    if outcome.republished or outcome.gave_up:
        logger.warning(
            "sweep: republished evaluations of %s, gave up on %s",
            outcome.republished,
            outcome.gave_up,
        )
    return {"republished": outcome.republished, "gave_up": outcome.gave_up}


class _ImportTask(Task):  # type: ignore[type-arg]
    def on_failure(self, exc: Exception, task_id: str, args: Any, kwargs: Any, einfo: Any) -> None:
        """Any failure ends on the row in words, never as a job left running."""
        logger.error("import job %s failed [task %s]: %r", args[0], task_id, exc)
        import_jobs.record_failure(args[0], import_jobs.unexpected_failure(exc, task_id))


@shared_task(
    bind=True,
    base=_ImportTask,
    name="assessments.import_process",
    acks_late=True,
    max_retries=MAX_RETRIES,
)
def import_process_task(self: Task[[int], int], job_id: int) -> int:
    """Read, check and compare an uploaded spreadsheet or dossier (an import job)."""
    try:
        return import_jobs.process_import(job_id).pk
    except TRANSIENT as error:
        close_old_connections()  # a dropped connection: the retry opens a fresh one
        raise self.retry(exc=error, countdown=2**self.request.retries) from error


@shared_task(
    bind=True,
    name="assessments.send_review_mail",
    acks_late=True,
    max_retries=MAX_RETRIES,
    ignore_result=True,
)
def send_review_mail_task(
    self: Task[[int, list[int]], int], event_id: int, user_ids: list[int]
) -> int:
    """Mail one review step to its recipients; a mail server that does not answer is tried
    again (2, 4, 8 … s), then the failure is logged with the event."""
    try:
        return notifications.send_review_mail(event_id, user_ids)
    except notifications.SEND_ERRORS as error:
        if self.request.retries >= MAX_RETRIES:
            logger.error("review mail of event %s not sent: %r", event_id, error)
            raise
        raise self.retry(exc=error, countdown=2**self.request.retries) from error


@shared_task(
    bind=True,
    name="assessments.rerate_chunk",
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
)
def rerate_chunk_task(self: Task[[int, list[int]], int], batch_id: int, item_ids: list[int]) -> int:
    """Preview or apply a re-rating for some of its items (services.rerate.run_chunk)."""
    try:
        return rerate.run_chunk(batch_id, item_ids)
    except TRANSIENT as error:
        raise self.retry(exc=error, countdown=2**self.request.retries) from error


@shared_task(name="assessments.sweep_reratings", ignore_result=True)
def sweep_reratings_task() -> list[int]:
    """Beat, every minute: hand over again the re-ratings whose chunks went quiet."""
    published = rerate.sweep()
    if published:
        logger.warning("sweep: republished re-ratings %s", published)
    return published
