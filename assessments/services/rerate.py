"""Re-rating after a new factor set or rubric edition is published, with a preview of its
impact (issue 11).

An admin publishes a set (or an edition); a batch (`RerateBatch`) lists every assessment in
scope with the result it holds, and the workers compute what the new set would rate (the
preview: nothing but the batch's own rows is written). The admin reads which assessments
change, in score, stars or boundary tCO2e, and confirms; the workers then move each inventory
to the new set (each assessment to the new edition) and record its evaluation. Both phases run
in chunks of items on any number of workers. What differs between a set and an edition is the
batch's `Target` (services.rerate_target).

In scope: an evaluated assessment not on the target yet (on another factor set; of an older
edition of the rubric) whose latest submitted evaluation was not approved and which no review
round is reading. Left out, and counted by reason in the preview: approved results (an
approved evaluation never changes; it is re-stated through a review), assessments in review
(the auditor decides on what was submitted), submissions being evaluated, drafts and failed
evaluations (rated with the new set once submitted after their inventory moves, which their
consultant does).

Each phase is safe against lost and repeated work: a chunk is one transaction over its items'
rows taken with `SKIP LOCKED`, and each item is marked done in it, so a chunk delivered twice
or run after its worker died does each item once; the re-rated evaluation itself is idempotent (same
inputs, same row). Chunks are published after the commit; a broker that cannot be reached
only delays them: the sweep publishes the remaining items again once no chunk has reported
for a lease (`ZEROCARBON_RERATE_LEASE_SECONDS`).

Confirmation names the preview's fingerprint (the assessments and the evaluations it rated):
if anything in scope changed since, the confirmation is refused and a new preview is needed,
so what is applied is what the admin read. An item that changes between confirmation and its
turn (reopened, submitted to a review) is skipped and says so. The preview keeps each item's
whole evaluation with what it read (`RerateItem.rated`); the confirmation records it as it is
when a fresh evaluation would read exactly the same (the rubric edition, the registries, the
meters' coverage, the language and the code), and evaluates the dossier again otherwise.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.models import User
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments.evaluation.engine import Evaluated, canonical
from assessments.models import Assessment, Evaluation, RerateBatch, RerateItem, Review, Rubric
from assessments.services import evaluation as evaluations
from assessments.services import rerate_target
from assessments.services.dossier import References
from assessments.services.rerate_target import Target
from assessments.services.workflow import dossier_message, in_every_language
from emissions import selectors as emission_selectors
from emissions.metering_selectors import inventory_coverage
from emissions.models import FactorSet
from zerocarbon.errors import Conflict, DomainError
from zerocarbon.leases import PUBLISH_ERRORS, PUBLISH_RETRY_POLICY
from zerocarbon.version import CODE_VERSION

logger = logging.getLogger(__name__)

CHUNK_SIZE = 25  # items a task takes: small enough to spread over the workers
SWEEP_BATCHES = 20
_T = TypeVar("_T")


class RerateRefused(Conflict):
    """A preview or confirmation that cannot be made as asked (409)."""

    code = "rerate_refused"


@dataclass(frozen=True)
class Progress:
    total: int
    done: int
    by_state: dict[str, int]

    @property
    def percent(self) -> int:
        return 100 if not self.total else self.done * 100 // self.total


# --- Scope ----------------------------------------------------------------------------------


def _latest_submitted() -> Subquery:
    newest = Evaluation.objects.filter(assessment=OuterRef("pk"), adjusts=None)
    return Subquery(newest.order_by("-created_at", "-pk").values("pk")[:1])


def _annotated() -> QuerySet[Assessment]:
    approved = Review.objects.filter(
        assessment=OuterRef("pk"),
        status=Review.Status.APPROVED,
        evaluation=OuterRef("latest_evaluation"),
    )
    in_review = Review.objects.filter(assessment=OuterRef("pk"), status__in=Review.ACTIVE)
    return Assessment.objects.annotate(
        latest_evaluation=_latest_submitted(),
        approved=Exists(approved),
        in_review=Exists(in_review),
    )


def _in_scope(target: Target) -> Q:
    return (
        Q(status=Assessment.Status.EVALUATED, approved=False, in_review=False)
        & Q(latest_evaluation__isnull=False)
        & target.elsewhere()
    )


def _excluded(target: Target) -> dict[str, int]:
    """What is left out, by reason (an assessment counted under its first reason)."""
    others = _annotated().filter(target.elsewhere())
    counts = {"approved": 0, "in_review": 0, "evaluating": 0, "not_rated": 0}
    for status, approved, in_review in others.values_list("status", "approved", "in_review"):  # type: ignore[misc]
        reason = _reason_left_out(status, approved=approved, in_review=in_review)
        if reason:
            counts[reason] += 1
    return counts


def _reason_left_out(status: str, *, approved: bool, in_review: bool) -> str | None:
    if status == Assessment.Status.EVALUATED and approved:
        return "approved"
    if in_review:
        return "in_review"
    if status == Assessment.Status.SUBMITTED:
        return "evaluating"
    if status in (Assessment.Status.DRAFT, Assessment.Status.FAILED):
        return "not_rated"
    return None  # evaluated, not approved, not in review: in scope


def _scope_rows(target: Target) -> list[tuple[int, int]]:
    """(assessment, its latest submitted evaluation) of every assessment in scope."""
    rows = _annotated().filter(_in_scope(target)).order_by("pk")
    return list(rows.values_list("pk", "latest_evaluation"))  # type: ignore[misc]


def fingerprint(target: Target, rows: Iterable[tuple[int, int]]) -> str:
    lines = [target.identity, *(f"{a}:{e}" for a, e in sorted(rows))]
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


# --- Commands ---------------------------------------------------------------------------------


def start_preview(user: User | None, with_: FactorSet | Rubric) -> RerateBatch:
    """A new batch listing everything in scope for a published factor set or rubric edition;
    its preview is computed on the workers."""
    target = rerate_target.named(with_)
    refusal = target.unpublished()
    if refusal:
        raise RerateRefused(refusal)
    with transaction.atomic():
        _refuse_while_running()
        rows = _scope_rows(target)
        batch = RerateBatch.objects.create(
            **target.batch_fields(),
            status=RerateBatch.Status.PREVIEWING if rows else RerateBatch.Status.PREVIEWED,
            fingerprint=fingerprint(target, rows),
            total=len(rows),
            excluded=_excluded(target),
            created_by=user,
            finished_at=None if rows else timezone.now(),
        )
        RerateItem.objects.bulk_create(
            RerateItem(batch=batch, assessment_id=a, previous_evaluation_id=e) for a, e in rows
        )
        _publish_on_commit(batch)
    return batch


def confirm(user: User | None, batch: RerateBatch, seen: str) -> RerateBatch:
    """Apply a preview: refused unless it is ready and still what is in scope (`seen`, the
    fingerprint the admin read)."""
    with transaction.atomic():
        locked = (
            RerateBatch.objects.select_for_update(of=("self",))
            .select_related("factor_set", "rubric")
            .get(pk=batch.pk)
        )
        if locked.status != RerateBatch.Status.PREVIEWED:
            raise RerateRefused(
                _(
                    "Re-rating {number} is {status}: only a finished preview can be confirmed."
                ).format(number=locked.pk, status=locked.get_status_display())
            )
        _refuse_while_running()
        target = rerate_target.of(locked)
        current = fingerprint(target, _scope_rows(target))
        if seen != locked.fingerprint or current != locked.fingerprint:
            raise RerateRefused(
                _(
                    "The assessments in scope changed since this preview (new results, reviews"
                    " or re-openings): nothing was re-rated. Preview again and confirm that."
                )
            )
        locked.status = RerateBatch.Status.APPLYING
        locked.confirmed_by, locked.confirmed_at = user, timezone.now()
        locked.enqueued_at = locked.heartbeat_at = locked.finished_at = None
        locked.save()
        _publish_on_commit(locked)
    return locked


def discard(batch: RerateBatch) -> RerateBatch:
    """Drop a preview nobody will confirm (it changed nothing)."""
    with transaction.atomic():
        locked = RerateBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status not in (RerateBatch.Status.PREVIEWING, RerateBatch.Status.PREVIEWED):
            raise RerateRefused(
                _("Re-rating {number} is {status}: it can no longer be discarded.").format(
                    number=locked.pk, status=locked.get_status_display()
                )
            )
        locked.status, locked.finished_at = RerateBatch.Status.DISCARDED, timezone.now()
        locked.save(update_fields=["status", "finished_at"])
        locked.items.exclude(rated={}).update(rated={})  # kept for a confirmation only
    return locked


def _refuse_while_running() -> None:
    running = RerateBatch.objects.filter(status=RerateBatch.Status.APPLYING).first()
    if running is not None:
        raise RerateRefused(
            _("Re-rating {number} is still running; wait until it has finished.").format(
                number=running.pk
            )
        )


def progress(batch: RerateBatch) -> Progress:
    counts = dict(batch.items.values("state").annotate(n=Count("pk")).values_list("state", "n"))
    waiting = RerateItem.State.PENDING if batch.status == "previewing" else "previewed"
    busy = batch.status in RerateBatch.RUNNING
    done = batch.total - (counts.get(waiting, 0) if busy else 0)
    return Progress(batch.total, done, counts)


def changed_items(batch: RerateBatch) -> QuerySet[RerateItem]:
    """The items whose result changes, and those the new set cannot rate, for the preview
    (without the evaluations the preview keeps for the confirmation, nor the new ones')."""
    return (
        batch.items.filter(Q(changed=True) | Q(state=RerateItem.State.UNRATED))
        .select_related("assessment__inventory__factory", "evaluation")
        .defer(*_WHOLE_EVALUATION)
        .order_by("assessment__inventory__factory__name", "assessment__inventory__year")
    )


# Of an item's page, the JSON of whole evaluations: read only to record or audit them.
_WHOLE_EVALUATION = (
    "rated",
    "evaluation__inputs",
    "evaluation__result",
    "evaluation__factor_values",
)


# --- The workers' part ------------------------------------------------------------------------

# Which items a phase works on, and what it does with a chunk of them.
_PHASES: dict[str, tuple[str, Callable[[list[RerateItem], Target], None]]] = {}
# What a phase writes of each of its items, in one statement at the end of the chunk (a
# bulk update costs the worker a few milliseconds a field for a chunk: only those that vary).
_PREVIEWED_FIELDS = ["state", "before", "after", "changed", "error_texts", "rated"]
_APPLIED_FIELDS = ["state", "after", "changed", "evaluation", "error_texts"]


def run_chunk(batch_id: int, item_ids: list[int]) -> int:
    """Do the batch's current phase for these items, in one transaction: a chunk commits
    whole or not at all, so a worker that dies in the middle leaves its items to the next
    delivery. What a chunk reads and writes besides the evaluations themselves is read and
    written once for all its items (the registries and rubrics, the assessments' locks and
    scope, the inventories moved, the evaluations stored, the items): the queries of a chunk
    do not grow with its size but for each dossier's own. The number done here."""
    batch = RerateBatch.objects.select_related("factor_set", "rubric").get(pk=batch_id)
    if batch.status not in RerateBatch.RUNNING:
        return 0
    waiting, work = _PHASES[batch.status]
    _heartbeat(batch_id)
    with transaction.atomic():
        items = list(  # those not done by another delivery, nor being done now
            RerateItem.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=item_ids, batch_id=batch_id, state=waiting)
            .select_related("assessment__inventory", "assessment__rubric", "previous_evaluation")
            .order_by("pk")
        )
        if items:
            work(items, rerate_target.of(batch))
    _heartbeat(batch_id)
    _finish_if_done(batch_id)
    return len(items)


# The database or broker gone for a moment: the task retries the chunk.
TRANSIENT = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


def _pause() -> None:
    """Test hook, after each item: lets a test kill the worker in the middle of a chunk."""
    delay = getattr(settings, "ZEROCARBON_TEST_RERATE_DELAY_SECONDS", 0)
    if delay:
        time.sleep(delay)


def _guarded(item: RerateItem, work: Callable[[], _T]) -> _T | None:
    """`work()` for one item; an unexpected error fails the item instead of the chunk."""
    try:
        return work()
    except TRANSIENT:
        raise
    except Exception as error:
        _fail(item, error)
        return None


def _fail(item: RerateItem, error: Exception) -> None:
    """The item failed, in words with a reference to the log (called where it was raised)."""
    reference = f"rerate-{item.batch_id}-{item.pk}"
    logger.exception("re-rating item %s failed [%s]", item.pk, reference)
    item.state = RerateItem.State.FAILED
    item.error_texts = in_every_language(partial(_failed_message, error, reference))


def _failed_message(error: Exception, reference: str) -> str:
    return _(
        "Re-rating failed unexpectedly ({kind}); nothing was recorded for it. Contact support"
        " with reference {reference}."
    ).format(kind=type(error).__name__, reference=reference)


@dataclass(frozen=True)
class _Reads:
    """What the chunk's dossiers are read with besides their own data and the batch's factor
    set or edition (frozen once published): the registries and rubrics, looked up once for
    the chunk."""

    references: References
    registries: str  # a digest of the registry directory

    @classmethod
    def now(cls, target: Target) -> _Reads:
        directory = emission_selectors.registry_directory()
        listed = repr((directory.known, sorted(directory.by_alias.items())))
        digest = hashlib.sha256(listed.encode()).hexdigest()
        return cls(References(target.default_factor_set(), directory, {}), digest)

    def of(self, rubric_code: str) -> dict[str, Any]:
        """What an evaluation of a dossier of that rubric reads here, besides the dossier, its
        date, the factor set and the meters' coverage (which its inputs hold)."""
        rubric = self.references.rubric(rubric_code)
        return {
            "rubric": None if rubric is None else rubric.pk,
            "registries": self.registries,
            "language": translation.get_language() or "",
            "code_version": CODE_VERSION,
        }


def _save(items: list[RerateItem], fields: list[str], **same: Any) -> None:
    """The items' `fields`, each item's own, and the values `same` for all of them."""
    RerateItem.objects.bulk_update(items, fields)
    updated = RerateItem.objects.filter(pk__in=[item.pk for item in items])
    updated.update(updated_at=timezone.now(), **same)


def _preview(items: list[RerateItem], target: Target) -> None:
    reads = _Reads.now(target)
    for item in items:
        _guarded(item, partial(_preview_item, item, target, reads))
        _pause()
    _save(items, _PREVIEWED_FIELDS)


def _preview_item(item: RerateItem, target: Target, reads: _Reads) -> None:
    """What the new set rates the item's dossier (nothing written but the item, later), kept
    whole with what it read (`rated`) for the confirmation to record."""
    previous, references = item.previous_evaluation, reads.references
    before = summary(previous.result)
    try:
        evaluated = _rerated(item.assessment, previous, target, references)
    except DomainError:
        texts = _refusal_in_every_language(item.assessment, previous, target, references)
        item.before, item.error_texts = before, texts
        item.state, item.changed = RerateItem.State.UNRATED, None
    else:
        item.before, item.after = before, summary(evaluated.result)
        item.state, item.changed = RerateItem.State.PREVIEWED, _differs(before, item.after)
        item.rated = {
            "reads": reads.of(evaluated.inputs["rubric"]["code"]),
            "inputs": evaluated.inputs,
            "result": evaluated.result,
            "factor_values": evaluated.factor_values,
            "input_sha256": evaluated.input_sha256,
        }


@dataclass(frozen=True)
class _Rated:
    item: RerateItem
    assessment: Assessment  # under its row lock
    evaluated: Evaluated
    after: dict[str, Any]  # its summary


def _apply(items: list[RerateItem], target: Target) -> None:
    """Rate each item again (the preview's result when nothing it read changed since) and
    record the chunk's results at once; an item whose assessment changed since the preview
    is skipped."""
    assessments = _still_in_scope(items, target)
    reads = _Reads.now(target)
    rated = []
    for item in items:
        assessment = assessments.get(item.assessment_id)
        if assessment is None:
            item.state = RerateItem.State.SKIPPED
        else:
            work = partial(_evaluated, item, assessment, target, reads)
            outcome = _guarded(item, work)
            if outcome is not None:
                rated.append(_Rated(item, assessment, *outcome))
        _pause()
    _record(rated, target)
    _save(items, _APPLIED_FIELDS, rated={})  # the preview's result: recorded, or not needed


def _evaluated(
    item: RerateItem, assessment: Assessment, target: Target, reads: _Reads
) -> tuple[Evaluated, dict[str, Any]]:
    """The item's evaluation with the new set and its summary: the preview's, if a fresh
    evaluation would be exactly it, otherwise a fresh one."""
    kept = _previewed(item, assessment, reads)
    if kept is not None:
        return kept, item.after  # as the preview summed it up (the same numbers)
    evaluated = _rerated(assessment, item.previous_evaluation, target, reads.references)
    return evaluated, summary(evaluated.result)


def _previewed(item: RerateItem, assessment: Assessment, reads: _Reads) -> Evaluated | None:
    """The preview's result if a fresh evaluation now would be exactly it. It is when it
    reads the same: the dossier and date of the same evaluation (the item's, still the
    latest), the batch's factor set (frozen), and the same rubric edition, registries,
    language, code and meters' coverage (the inputs hold the last two; their hash covers
    all the inputs hold)."""
    rated = item.rated
    if not rated or rated["reads"] != reads.of(rated["inputs"]["rubric"]["code"]):
        return None
    metering = inventory_coverage(assessment.inventory)
    if rated["inputs"].get("metering") != (None if metering is None else canonical(metering)):
        return None
    return Evaluated(
        result=rated["result"],
        inputs=rated["inputs"],
        input_sha256=rated["input_sha256"],
        factor_values=rated["factor_values"],
    )


def _still_in_scope(items: list[RerateItem], target: Target) -> dict[int, Assessment]:
    """The items' assessments, taken under their row locks, that are still in scope with the
    evaluation the preview rated (read after the locks are held), by pk."""
    pks = sorted({item.assessment_id for item in items})
    locked = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("inventory", "rubric")
        .filter(pk__in=pks)
        .order_by("pk")
    )
    assessments = {assessment.pk: assessment for assessment in locked}
    scope = _annotated().filter(_in_scope(target), pk__in=pks)
    latest = dict(scope.values_list("pk", "latest_evaluation"))  # type: ignore[misc]
    return {
        item.assessment_id: assessments[item.assessment_id]
        for item in items
        if latest.get(item.assessment_id) == item.previous_evaluation_id
    }


def _record(rated: list[_Rated], target: Target) -> None:
    """Move the rated inventories to the new set (the assessments to the new edition) and
    store their evaluations, all at once;
    should that fail, each on its own, so that an item that cannot be recorded fails alone."""
    if not rated:
        return
    try:
        with transaction.atomic():
            _record_all(rated, target)
    except TRANSIENT:
        raise
    except Exception as error:
        if len(rated) == 1:
            _fail(rated[0].item, error)
            return
        logger.warning("re-rating chunk not recorded at once (%r): one item at a time", error)
        for one in rated:
            _record([one], target)


def _record_all(rated: list[_Rated], target: Target) -> None:
    target.move([one.assessment for one in rated])
    stored = evaluations.store_reratings(
        [(one.assessment, one.evaluated, one.item.previous_evaluation.as_of) for one in rated]
    )
    for one, evaluation in zip(rated, stored, strict=True):
        item, previous = one.item, one.item.previous_evaluation
        item.evaluation, item.after = evaluation, one.after
        item.state = RerateItem.State.APPLIED
        item.changed = _differs(item.before or summary(previous.result), item.after)


_PHASES[RerateBatch.Status.PREVIEWING] = (RerateItem.State.PENDING, _preview)
_PHASES[RerateBatch.Status.APPLYING] = (RerateItem.State.PREVIEWED, _apply)


def _rerated(
    assessment: Assessment, previous: Evaluation, target: Target, references: References
) -> Evaluated:
    """The submitted dossier that `previous` rated, read with the target, through the one
    evaluation seam (services.rerate_target)."""
    return target.rated(assessment, previous, references)


def _refusal_in_every_language(
    assessment: Assessment, previous: Evaluation, target: Target, references: References
) -> dict[str, str]:
    def message() -> str:
        try:
            _rerated(assessment, previous, target, references)
        except DomainError as refusal:
            return dossier_message(refusal)
        return _("The new factor set rated it after all; preview again.")

    return in_every_language(message)


def summary(result: dict[str, Any]) -> dict[str, Any]:
    """What the preview compares: score, stars, zero-carbon and the boundary's tCO2e."""
    return {
        "total_score": str(result["total_score"]),
        "star_level": result["star_level"],
        "zero_carbon": result["zero_carbon"],
        "boundary_total_tco2e": str(result["emissions"]["boundary_total"]),
    }


def _differs(before: dict[str, Any], after: dict[str, Any]) -> bool:
    """Numbers compared as numbers: a stored 9573.99 and a computed 9573.990 are equal."""
    numbers = ("total_score", "boundary_total_tco2e")
    if any(Decimal(before[key]) != Decimal(after[key]) for key in numbers):
        return True
    return any(before[key] != after[key] for key in ("star_level", "zero_carbon"))


def _heartbeat(batch_id: int) -> None:
    RerateBatch.objects.filter(pk=batch_id).update(heartbeat_at=timezone.now())


def _finish_if_done(batch_id: int) -> None:
    with transaction.atomic():
        batch = RerateBatch.objects.select_for_update().get(pk=batch_id)
        if batch.status not in RerateBatch.RUNNING:
            return
        waiting, _work = _PHASES[batch.status]
        if batch.items.filter(state=waiting).exists():
            return
        batch.status = (
            RerateBatch.Status.PREVIEWED
            if batch.status == RerateBatch.Status.PREVIEWING
            else RerateBatch.Status.APPLIED
        )
        batch.finished_at = timezone.now()
        batch.save(update_fields=["status", "finished_at"])


# --- Publishing and the sweep -----------------------------------------------------------------


def _publish_on_commit(batch: RerateBatch) -> None:
    pk = batch.pk
    transaction.on_commit(lambda: publish(pk))


def publish(batch_id: int) -> bool:
    """Hand the remaining items of the running phase to the task queue in chunks; True if
    it took them all. Never raises: the batch is recorded, the sweep publishes it later."""
    from assessments.tasks import rerate_chunk_task

    batch = RerateBatch.objects.get(pk=batch_id)
    if batch.status not in RerateBatch.RUNNING:
        return True
    waiting, _work = _PHASES[batch.status]
    ids = list(batch.items.filter(state=waiting).order_by("pk").values_list("pk", flat=True))
    try:
        for start in range(0, len(ids), CHUNK_SIZE):
            chunk = ids[start : start + CHUNK_SIZE]
            rerate_chunk_task.apply_async((batch_id, chunk), retry_policy=PUBLISH_RETRY_POLICY)
    except PUBLISH_ERRORS as error:
        logger.warning(
            "re-rating %s not queued (%s: %s); the sweep will publish it again",
            batch_id,
            type(error).__name__,
            error,
        )
        return False
    RerateBatch.objects.filter(pk=batch_id).update(enqueued_at=timezone.now())
    return True


def sweep(*, now: datetime | None = None) -> list[int]:
    """Publish again the running batches never handed over, or whose chunks have not reported
    for a lease (a worker died, or the broker lost them); the batches published."""
    now = now or timezone.now()
    lease = timedelta(seconds=settings.ZEROCARBON_RERATE_LEASE_SECONDS)
    quiet = Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=now - lease)
    stalled = Q(enqueued_at__isnull=True) | (Q(enqueued_at__lt=now - lease) & quiet)
    batches = RerateBatch.objects.filter(stalled, status__in=RerateBatch.RUNNING)
    published = []
    for pk in batches.order_by("pk").values_list("pk", flat=True)[:SWEEP_BATCHES]:
        _finish_if_done(pk)
        if publish(pk):
            published.append(pk)
    return published
