"""Writes of the assessments app's evaluations, and the unsaved results of the same seam.

Every result comes from one place: `selectors.evaluation_input` builds the frozen input (the
assessment's dossier read as of a date with its inventory's factor set) and
`services.dossier.evaluate_full` runs the kernel on it. The worker (`evaluate_assessment`,
recorded), the editor's live panel (`preview`) and `what_if` (never saved) all go that way.

Evaluation is idempotent: identical inputs reuse the stored row (unique input_sha256 per
assessment), so a task delivered twice, or re-run after a worker died, leaves one record.

A submitted dossier the reader refuses is `EvaluationRefused`, with the reader's words in
every language: the reader speaks the language active when it runs (a worker's is none, so
Chinese; in-process, the request's), so the dossier is read again under each of the others.
That path is rare and a read is cheap (no evaluation runs), and the words are exactly those a
page of that language shows for the same error while editing.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments import selectors
from assessments.evaluation.engine import Evaluated, record_sha256
from assessments.evaluation.whatif import Changes, hypothetical_inventory
from assessments.models import Assessment, Evaluation
from assessments.scoring.answers import AnswerErrors, parse_answers
from assessments.services import dossier, review, workflow
from assessments.services.dossier import FullDossier
from emissions.metering_selectors import inventory_coverage
from zerocarbon.accounts.tenancy import Actor
from zerocarbon.errors import DomainError, FieldError, ValidationFailed

logger = logging.getLogger(__name__)


class EvaluationRefused(DomainError):
    """The submitted dossier cannot be read; `texts` says why in every language, by code."""

    def __init__(self, refusal: DomainError, texts: Mapping[str, str]) -> None:
        super().__init__(refusal.message, refusal.errors)
        self.texts = dict(texts)


def compute(
    assessment: Assessment, *, as_of: date, document: dict[str, Any] | None = None
) -> Evaluated:
    """Evaluate an assessment's dossier (or a changed copy of it) without saving anything."""
    full = selectors.evaluation_input(assessment, as_of=as_of, document=document)
    return _evaluate(assessment, full, as_of)


def evaluate_input(assessment: Assessment, full: FullDossier, as_of: date) -> Evaluated:
    """The result of a changed input of the assessment (what-if, a review's adjustment)."""
    return _evaluate(assessment, full, as_of)


def _evaluate(assessment: Assessment, full: FullDossier, as_of: date) -> Evaluated:
    """Through the one entry point, with the meters' coverage as a submission has it."""
    return dossier.evaluate_full(
        full, as_of=as_of, metering=inventory_coverage(assessment.inventory)
    )


def preview(actor: Actor, assessment: Assessment, *, as_of: date | None = None) -> Evaluated:
    """The live, unsaved result of the assessment's current data (the editor's panel): what a
    submission now would record. The caller got `assessment` from a selector scoped to
    `actor` (read permission); nothing is written. Raises DossierRejected (every error at
    its path) while the draft cannot be read as a dossier."""
    del actor  # read permission is the selector's; kept so the seam's calls read alike
    as_of = as_of or assessment.as_of or timezone.localdate()
    return compute(assessment, as_of=as_of)


def what_if(
    assessment: Assessment, changes: Changes, *, as_of: date | None = None
) -> dict[str, Any]:
    """The result the assessment would get with hypothetical `changes`, never saved:
    applied to the kernel's inputs (evaluation.whatif), answers checked like a dossier's."""
    as_of = as_of or assessment.as_of or timezone.localdate()
    full = selectors.evaluation_input(assessment, as_of=as_of)
    raw_answers = {**full.read.answers_raw, **changes.answers}
    try:
        answers = parse_answers(full.scoring_rubric, raw_answers)
    except AnswerErrors as error:
        raise ValidationFailed(
            _("Some hypothetical answers are invalid."),
            [FieldError(p, m) for p, m in error.errors],
        ) from None
    document = {
        **full.read.document,
        "answers": raw_answers,
        "what_if": dataclasses.asdict(changes),
    }
    read = dataclasses.replace(
        full.read,
        inventory=hypothetical_inventory(full.read.inventory, changes),
        document=document,
        answers_raw=raw_answers,
    )
    hypothetical = dataclasses.replace(full, read=read, answers=answers)
    return _evaluate(assessment, hypothetical, as_of).result


def evaluate_assessment(assessment_id: int) -> Evaluation | None:
    """Worker entry point: evaluate a submitted assessment and record the result.

    Returns None when there is nothing to do (not submitted any more). Safe to run twice.
    """
    related = ("inventory__factor_set", "inventory__factory", "rubric")  # what the input reads
    assessment = Assessment.objects.select_related(*related).get(pk=assessment_id)
    if assessment.status not in workflow.TRANSITIONS["evaluate"][0]:
        logger.info("assessment %s is %s: nothing to evaluate", assessment_id, assessment.status)
        return None
    as_of = assessment.as_of or timezone.localdate()
    try:
        evaluated = compute(assessment, as_of=as_of)
    except DomainError as refusal:
        raise EvaluationRefused(refusal, _refusal_texts(assessment, as_of, refusal)) from refusal
    delay = getattr(settings, "ZEROCARBON_TEST_EVALUATION_DELAY_SECONDS", 0)
    if delay:  # test hook: lets a test kill the worker in the middle of the task
        time.sleep(delay)
    return _record(assessment, evaluated, as_of)


def _refusal_texts(assessment: Assessment, as_of: date, refusal: DomainError) -> dict[str, str]:
    """The refusal in every language: as raised in the active one, read again in the others
    (see the module doc). Reading is deterministic while submitted (the data is locked); if a
    read should not refuse after all, its language keeps the words raised."""
    active = translation.get_language()
    texts = {}
    for code, _name in settings.LANGUAGES:
        texts[code] = workflow.dossier_message(
            refusal if code == active else (_reread(assessment, as_of, code) or refusal)
        )
    return texts


def _reread(assessment: Assessment, as_of: date, language: str) -> DomainError | None:
    with translation.override(language):
        try:
            selectors.evaluation_input(assessment, as_of=as_of)
        except DomainError as refusal:
            return refusal
    logger.warning("assessment %s: the dossier read again was not refused", assessment.pk)
    return None


def _record(assessment: Assessment, evaluated: Evaluated, as_of: date) -> Evaluation:
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        existing = locked.evaluations.filter(input_sha256=evaluated.input_sha256).first()
        evaluation = existing or _store(locked, evaluated, as_of)
        if locked.status == Assessment.Status.SUBMITTED:
            locked.status = Assessment.Status.EVALUATED
            locked.evaluation_error, locked.evaluation_error_texts = "", {}
            locked.save(
                update_fields=["status", "evaluation_error", "evaluation_error_texts", "updated_at"]
            )
            review.evaluation_recorded(locked, evaluation)
    return evaluation


def store_adjustment(
    assessment: Assessment, evaluated: Evaluated, adjusts: Evaluation
) -> Evaluation:
    """Record a review's approved result: the evaluation of the submitted dossier without
    its rejected claims, naming the evaluation it adjusts (stored once: same inputs, same row)."""
    existing = assessment.evaluations.filter(input_sha256=evaluated.input_sha256).first()
    return existing or _store(assessment, evaluated, adjusts.as_of, adjusts=adjusts)


def store_reratings(
    rated: Sequence[tuple[Assessment, Evaluated, date]],
) -> list[Evaluation]:
    """Record re-ratings with a newer factor set (services.rerate), a chunk of assessments at
    a time under their row locks: the submitted dossiers rated again, each stored once (same
    inputs, same row: one query finds those already stored, one insert writes the others).
    The evaluations in the order of `rated`; of those found, the stored JSON is not read."""
    keys = [(assessment.pk, evaluated.input_sha256) for assessment, evaluated, _as_of in rated]
    found = Evaluation.objects.filter(
        assessment_id__in={pk for pk, _sha in keys}, input_sha256__in={sha for _pk, sha in keys}
    ).defer("inputs", "result", "factor_values")
    stored = {(row.assessment_id, row.input_sha256): row for row in found}
    new = {
        key: _unsaved(assessment, evaluated, as_of)
        for key, (assessment, evaluated, as_of) in zip(keys, rated, strict=True)
        if key not in stored
    }
    Evaluation.objects.bulk_create(new.values())
    return [stored.get(key) or new[key] for key in keys]


def _store(
    assessment: Assessment, evaluated: Evaluated, as_of: date, *, adjusts: Evaluation | None = None
) -> Evaluation:
    try:
        with transaction.atomic():
            evaluation = _unsaved(assessment, evaluated, as_of, adjusts=adjusts)
            evaluation.save(force_insert=True)
            return evaluation
    except IntegrityError:  # a concurrent run stored the same inputs first
        return assessment.evaluations.get(input_sha256=evaluated.input_sha256)


def _unsaved(
    assessment: Assessment, evaluated: Evaluated, as_of: date, *, adjusts: Evaluation | None = None
) -> Evaluation:
    inputs, result = evaluated.inputs, evaluated.result  # stored exactly (ExactJSONField)
    return Evaluation(
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
        sha256=record_sha256(inputs, result, evaluated.factor_values),
        total_score=result["total_score"],
        star_level=result["star_level"],
        zero_carbon=result["zero_carbon"],
        adjusts=adjusts,
    )


def record_evaluation_failure(assessment_id: int, texts: Mapping[str, str]) -> None:
    """submitted → failed with a message the user can act on (submit is allowed again), in
    every language: `texts` by language code (`workflow.in_every_language`)."""
    with transaction.atomic():
        assessment = Assessment.objects.select_for_update().filter(pk=assessment_id).first()
        if assessment is None or assessment.status != Assessment.Status.SUBMITTED:
            return
        workflow.fail(assessment, texts)
