"""Writes of the assessments app: the workflow transitions and evaluation records.

Transitions happen only here. An invalid one raises `InvalidTransition` (409 with a reason).
Evaluation is idempotent: identical inputs reuse the stored row (unique input_sha256 per
assessment), so a task delivered twice, or re-run after a worker died, leaves one record.
"""

from __future__ import annotations

import logging
import time
from datetime import date
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from assessments.dossier import export_dossier, read_full_dossier
from assessments.evaluation import Evaluated, evaluate, sha256_of
from assessments.models import Assessment, Evaluation
from emissions.selectors import kernel_factor_set
from zerocarbon.accounts.tenancy import Actor, require_write
from zerocarbon.errors import Conflict
from zerocarbon.version import CODE_VERSION

logger = logging.getLogger(__name__)


class InvalidTransition(Conflict):
    code = "invalid_transition"


TRANSITIONS = {
    "submit": ({Assessment.Status.DRAFT, Assessment.Status.FAILED}, Assessment.Status.SUBMITTED),
    "evaluate": (
        {Assessment.Status.SUBMITTED, Assessment.Status.EVALUATED},
        Assessment.Status.EVALUATED,
    ),
    "reopen": ({Assessment.Status.EVALUATED, Assessment.Status.FAILED}, Assessment.Status.DRAFT),
}


def _check_transition(assessment: Assessment, action: str) -> str:
    allowed_from, target = TRANSITIONS[action]
    if assessment.status not in allowed_from:
        allowed = ", ".join(sorted(allowed_from))
        raise InvalidTransition(
            f"Cannot {action} an assessment that is {assessment.status}; "
            f"{action} is possible only from: {allowed}."
        )
    return target


def submit_assessment(
    actor: Actor, assessment: Assessment, *, as_of: date | None = None
) -> Assessment:
    """draft → submitted; the evaluation is enqueued once the transaction commits."""
    from assessments.tasks import assessment_evaluate_task

    require_write(actor, assessment.inventory.factory.organisation)
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        locked.status = _check_transition(locked, "submit")
        locked.submitted_at = timezone.now()
        locked.submitted_by_id = actor.pk
        locked.as_of = as_of or timezone.localdate()
        locked.evaluation_error = ""
        locked.save()
        transaction.on_commit(lambda: assessment_evaluate_task.delay(locked.pk))
    return locked


def reopen_assessment(actor: Actor, assessment: Assessment) -> Assessment:
    require_write(actor, assessment.inventory.factory.organisation)
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        locked.status = _check_transition(locked, "reopen")
        locked.save()
    return locked


def compute(
    assessment: Assessment, *, as_of: date, document: dict[str, Any] | None = None
) -> Evaluated:
    """Evaluate an assessment's dossier (or a changed copy of it) without saving anything."""
    full = read_full_dossier(
        document or export_dossier(assessment),
        as_of=as_of,
        factor_set=assessment.inventory.factor_set,
    )
    return evaluate(
        full.read,
        factors=kernel_factor_set(full.factor_set),
        rubric=full.scoring_rubric,
        answers=full.answers,
        gates=full.gates,
        as_of=as_of,
        code_version=CODE_VERSION,
    )


def evaluate_assessment(assessment_id: int) -> Evaluation | None:
    """Worker entry point: evaluate a submitted assessment and record the result.

    Returns None when there is nothing to do (not submitted any more). Safe to run twice.
    """
    assessment = Assessment.objects.select_related("inventory__factor_set", "rubric").get(
        pk=assessment_id
    )
    if assessment.status not in TRANSITIONS["evaluate"][0]:
        logger.info("assessment %s is %s: nothing to evaluate", assessment_id, assessment.status)
        return None
    as_of = assessment.as_of or timezone.localdate()
    evaluated = compute(assessment, as_of=as_of)
    delay = getattr(settings, "ZEROCARBON_TEST_EVALUATION_DELAY_SECONDS", 0)
    if delay:  # test hook: lets a test kill the worker in the middle of the task
        time.sleep(delay)
    return _record(assessment, evaluated, as_of)


def _record(assessment: Assessment, evaluated: Evaluated, as_of: date) -> Evaluation:
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        existing = locked.evaluations.filter(input_sha256=evaluated.input_sha256).first()
        evaluation = existing or _store(locked, evaluated, as_of)
        if locked.status == Assessment.Status.SUBMITTED:
            locked.status = Assessment.Status.EVALUATED
            locked.evaluation_error = ""
            locked.save(update_fields=["status", "evaluation_error", "updated_at"])
    return evaluation


def _store(assessment: Assessment, evaluated: Evaluated, as_of: date) -> Evaluation:
    inputs = evaluated.inputs
    result = sha256_ready(evaluated.result)
    record = {"inputs": inputs, "result": result, "factor_values": evaluated.factor_values}
    try:
        with transaction.atomic():
            return Evaluation.objects.create(
                assessment=assessment,
                as_of=as_of,
                rubric_code=inputs["rubric"]["code"],
                rubric_edition=inputs["rubric"]["edition"],
                factor_set_version=inputs["factor_set_version"],
                gwp_set=inputs["gwp_set"],
                code_version=inputs["code_version"],
                inputs=inputs,
                result=result,
                factor_values=evaluated.factor_values,
                input_sha256=evaluated.input_sha256,
                sha256=sha256_of(record),
                total_score=evaluated.result["total_score"],
                star_level=evaluated.result["star_level"],
                zero_carbon=evaluated.result["zero_carbon"],
            )
    except IntegrityError:  # a concurrent run stored the same inputs first
        return assessment.evaluations.get(input_sha256=evaluated.input_sha256)


def sha256_ready(result: dict[str, Any]) -> dict[str, Any]:
    """The result as stored in JSON: Decimals as JSON numbers (exact, via the result writer)."""
    import json

    from assessments.evaluation import result_json

    loaded: dict[str, Any] = json.loads(result_json(result, indent=None))
    return loaded


def record_evaluation_failure(assessment_id: int, message: str) -> None:
    with transaction.atomic():
        assessment = Assessment.objects.select_for_update().filter(pk=assessment_id).first()
        if assessment is None or assessment.status != Assessment.Status.SUBMITTED:
            return
        assessment.status = Assessment.Status.FAILED
        assessment.evaluation_error = message
        assessment.save(update_fields=["status", "evaluation_error", "updated_at"])
