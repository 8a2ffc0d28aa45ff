"""Writes of the assessments app's workflow: create, submit, reopen, and the submission outbox.

Transitions happen only here. An invalid one raises `InvalidTransition` (409 with a reason).

Submissions always finish. The assessment row is the outbox: the submission is recorded in
the transaction of the transition, the task is published after the commit, and a broker that
cannot take it leaves `evaluation_enqueued_at` empty. `sweep_submissions` (beat, every
minute) publishes again what the queue never took, or took so long ago that the message must
be lost; after MAX_ENQUEUE_ATTEMPTS it records a failure the user can act on instead. A task
that fails for any reason records why on the row (`failed`), in the words of the message
helpers at the end of this module, in every language of the platform at once
(`in_every_language`): `evaluation_error_texts` by language code, and `evaluation_error` in
English (what the field held before; `selectors.evaluation_failure` picks the page's or the
API answer's language).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments.models import Assessment, Rubric
from assessments.services import review
from assessments.services.dossier import read_full_dossier, store_assessment
from emissions import selectors as emission_selectors
from emissions.dossier import to_jsonable
from emissions.models import Inventory
from emissions.services import records
from zerocarbon.accounts.models import Organisation
from zerocarbon.accounts.tenancy import Actor, require_write
from zerocarbon.errors import Conflict, DomainError, FieldError
from zerocarbon.leases import PUBLISH_ERRORS, PUBLISH_RETRY_POLICY

logger = logging.getLogger(__name__)

MAX_ENQUEUE_ATTEMPTS = 3
# The submitter publishes right after its commit; the sweep leaves it this long to do so.
ENQUEUE_GRACE = timedelta(seconds=60)
SWEEP_BATCH = 500


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
        message = _(
            "Cannot {action} an assessment that is {status}; {action} is possible only from:"
            " {allowed}."
        )
        raise InvalidTransition(
            message.format(action=action, status=assessment.status, allowed=allowed)
        )
    return target


def submit_assessment(
    actor: Actor,
    assessment: Assessment,
    *,
    as_of: date | None = None,
    certification_body: Organisation | None = None,
) -> Assessment:
    """draft/failed → submitted, recorded with its evaluation request in one transaction; the
    task is published once the transaction commits, or later by the sweep. The assessment
    returned says whether the queue took it (`evaluation_enqueued_at`). Naming a
    certification body opens a round of its review (`services.review`), which joins the
    body's queue once the evaluation is recorded."""
    require_write(
        actor, assessment.inventory.factory.organisation, factory=assessment.inventory.factory
    )
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        locked.status = _check_transition(locked, "submit")
        # What is evaluated is what was submitted: its data stays as it is until reopened.
        records.lock_inventory(locked.inventory_id)
        locked.submitted_at = timezone.now()
        locked.submitted_by_id = actor.pk
        locked.as_of = as_of or timezone.localdate()
        locked.evaluation_error = ""
        locked.evaluation_error_texts = {}
        locked.evaluation_enqueued_at = None
        locked.evaluation_enqueue_attempts = 1
        locked.save()
        review.open_round(actor, locked, certification_body)
        _publish_on_commit(locked)
    # After the commit: published (or, without a broker, already evaluated in-process).
    locked.refresh_from_db(
        fields=["status", "evaluation_error", "evaluation_error_texts", "evaluation_enqueued_at"]
    )
    return locked


def _publish_on_commit(assessment: Assessment) -> None:
    pk, submitted_at = assessment.pk, assessment.submitted_at
    transaction.on_commit(lambda: publish_evaluation(pk, submitted_at))


def publish_evaluation(assessment_id: int, submitted_at: datetime | None) -> bool:
    """Hand the evaluation of a recorded submission to the task queue; True if it took it.

    Never raises into the caller: the submission is recorded, so a broker that cannot be
    reached costs a warning, and the sweep publishes it later. Without a broker (quickstart)
    the task runs here and now, as a worker would run it: its failures are recorded on the
    row and logged, not raised (CELERY_TASK_EAGER_PROPAGATES is off).
    """
    from assessments.tasks import assessment_evaluate_task

    try:
        assessment_evaluate_task.apply_async((assessment_id,), retry_policy=PUBLISH_RETRY_POLICY)
    except PUBLISH_ERRORS as error:
        logger.warning(
            "evaluation of assessment %s not queued (%s: %s); the sweep will publish it again",
            assessment_id,
            type(error).__name__,
            error,
        )
        return False
    # Only for the submission it was published for, not for a later one.
    Assessment.objects.filter(pk=assessment_id, submitted_at=submitted_at).update(
        evaluation_enqueued_at=timezone.now()
    )
    return True


@dataclass(frozen=True)
class SweepOutcome:
    republished: list[int] = field(default_factory=list)
    gave_up: list[int] = field(default_factory=list)


def sweep_submissions(*, now: datetime | None = None) -> SweepOutcome:
    """Publish again each submission the queue never took, or took so long ago (longer than
    the task time limit plus the visibility timeout) that its message must be lost; record a
    failure on those already handed over MAX_ENQUEUE_ATTEMPTS times."""
    now = now or timezone.now()
    outcome = SweepOutcome()
    stalled = Assessment.objects.filter(_stalled(now)).order_by("submitted_at")
    for pk in stalled.values_list("pk", flat=True)[:SWEEP_BATCH]:
        with transaction.atomic():
            # Skip rows another sweep or a submission holds; re-check under the lock.
            locked = (
                Assessment.objects.select_for_update(skip_locked=True)
                .filter(_stalled(now), pk=pk)
                .first()
            )
            if locked is None:
                continue
            if locked.evaluation_enqueue_attempts >= MAX_ENQUEUE_ATTEMPTS:
                fail(locked, in_every_language(partial(_gave_up_message, locked, now)))
                outcome.gave_up.append(pk)
                continue
            locked.evaluation_enqueue_attempts += 1
            locked.evaluation_enqueued_at = None
            locked.save(update_fields=["evaluation_enqueue_attempts", "evaluation_enqueued_at"])
            _publish_on_commit(locked)
            outcome.republished.append(pk)
    return outcome


def _stalled(now: datetime) -> Q:
    lost_after = timedelta(
        seconds=settings.CELERY_TASK_TIME_LIMIT
        + settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    )
    never_taken = Q(evaluation_enqueued_at__isnull=True, submitted_at__lt=now - ENQUEUE_GRACE)
    lost = Q(evaluation_enqueued_at__lt=now - lost_after)
    return Q(status=Assessment.Status.SUBMITTED) & (never_taken | lost)


def _gave_up_message(assessment: Assessment, now: datetime) -> str:
    submitted = timezone.localtime(assessment.submitted_at or now)
    message = _(
        "The evaluation never ran: it was handed to the task queue {attempts} times since"
        " {submitted} (the queue could not be reached, or a worker stopped while holding it)."
        " Submit again; if it happens again, contact support with reference {reference}."
    )
    return message.format(
        attempts=assessment.evaluation_enqueue_attempts,
        submitted=f"{submitted:%Y-%m-%d %H:%M}",
        reference=failure_reference(None, assessment.pk),
    )


def reopen_assessment(actor: Actor, assessment: Assessment) -> Assessment:
    require_write(
        actor, assessment.inventory.factory.organisation, factory=assessment.inventory.factory
    )
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        locked.status = _check_transition(locked, "reopen")
        review.check_reopenable(locked)
        review.withdraw_pending(locked)
        locked.evaluation_enqueued_at = None  # the outbox describes the latest submission
        locked.evaluation_enqueue_attempts = 0
        locked.save()
        _release_inventory(locked)
    return locked


def _release_inventory(reopened: Assessment) -> None:
    """Unlock the inventory unless another assessment still evaluates or reviews it. Under the
    inventory's row lock (taken after the assessment's, as a submission takes them), so two
    reopenings, or a reopening and a submission, see each other's outcome."""
    records.hold_inventory(reopened.inventory_id)
    others = Assessment.objects.filter(inventory_id=reopened.inventory_id).exclude(pk=reopened.pk)
    if not others.exclude(status=Assessment.Status.DRAFT).exists():
        records.unlock_inventory(reopened.inventory_id)


def create_assessment(actor: Actor, inventory: Inventory, fields: Mapping[str, Any]) -> Assessment:
    """A draft assessment of an inventory. `fields` are a dossier's `rubric` (a code: its
    latest published edition; the platform's rubric when left out), `gates` and `answers`:
    the inventory's dossier with them is read as a dossier import reads it, so errors are at
    the same paths (`/gates/G1`, `/answers/ENE-1`). One per inventory and rubric (409)."""
    require_write(actor, inventory.factory.organisation, factory=inventory.factory)
    document = to_jsonable(emission_selectors.inventory_document(inventory))
    document |= {key: fields[key] for key in ("rubric", "gates", "answers") if key in fields}
    full = read_full_dossier(document, as_of=timezone.localdate(), factor_set=inventory.factor_set)
    if Assessment.objects.filter(inventory=inventory, rubric=full.rubric).exists():
        raise _assessed_already(inventory, full.rubric)
    try:
        with transaction.atomic():
            assessment = store_assessment(inventory, full)
    except IntegrityError:  # the same assessment created at the same moment
        raise _assessed_already(inventory, full.rubric) from None
    return assessment


def _assessed_already(inventory: Inventory, rubric: Rubric) -> Conflict:
    message = _("{inventory} already has an assessment against {rubric}.")
    return Conflict(
        message.format(inventory=inventory, rubric=rubric),
        [FieldError("/rubric", _("this inventory is assessed against it already"))],
    )


# `evaluation_error` keeps the English text, as before there were both (older API clients).
STORED_LANGUAGE = "en"


def fail(locked: Assessment, texts: Mapping[str, str]) -> None:
    """Record the failure on the locked row: `texts` is its message by language code (every
    one of settings.LANGUAGES: `in_every_language`)."""
    locked.status = Assessment.Status.FAILED
    locked.evaluation_error_texts = dict(texts)
    locked.evaluation_error = texts.get(STORED_LANGUAGE) or next(iter(texts.values()), "")
    locked.save(
        update_fields=["status", "evaluation_error", "evaluation_error_texts", "updated_at"]
    )


def in_every_language(build: Callable[[], str]) -> dict[str, str]:
    """A message built once in each language of the platform, by language code: a failure is
    recorded once and read on pages and API answers of either language."""
    texts = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts[code] = build()
    return texts


def failure_reference(task_id: str | None, assessment_id: int) -> str:
    """What support needs to find the log lines: the task id (or assessment) and the time."""
    when = timezone.localtime().isoformat(timespec="seconds")
    return f"{f'task {task_id}' if task_id else f'assessment {assessment_id}'} at {when}"


def dossier_message(error: DomainError) -> str:
    """A dossier the reader refused: its message and every error at its path (the words are
    the reader's, in the language it ran in)."""
    details = "; ".join(f"{e.path}: {e.message}" for e in error.errors)
    return f"{error.message} {details}".strip()


def timed_out_message(reference: str) -> str:
    message = _(
        "The evaluation took longer than its limit of {limit} s and was stopped; nothing was"
        " recorded. Submit again; if it happens again, contact support with reference"
        " {reference}."
    )
    return message.format(limit=settings.CELERY_TASK_SOFT_TIME_LIMIT, reference=reference)


def unexpected_error_message(error: BaseException, reference: str) -> str:
    message = _(
        "The evaluation stopped on an unexpected error ({kind}): a fault of the platform, not"
        " of your data, and nothing was recorded. Submit again; if it happens again, contact"
        " support with reference {reference}."
    )
    return message.format(kind=type(error).__name__, reference=reference)


def unreachable_database_message(error: BaseException, reference: str) -> str:
    message = _(
        "The evaluation could not reach the database ({error}); submit again. If it happens"
        " again, contact support with reference {reference}."
    )
    return message.format(error=error, reference=reference)
