"""What a re-rating batch re-rates with (services.rerate): a newer factor set, or a newer
edition of a rubric. Everything the batch does the same way for both (scope rules, preview,
fingerprint, chunks, confirmation) lives in rerate.py; what differs lives here.

A factor set: the assessments on another set, rated with the new one; confirming moves their
inventories to it (`records.move_to_factor_set`, in the inventory's trail).

A rubric edition: the assessments of an older edition of the same rubric code, their answers
carried over by item id and rated with the new edition; confirming moves each assessment to it
(in the assessment's trail). An assessment whose inventory already has an assessment of the
new edition is not in scope (it is rated with that edition already). The new edition cannot
rate a dossier whose answers name an item it no longer has, answer an item in another way than
it asks (the reader's errors), or lack an answer to an item or a declared gate the new edition
added and the old one did not have (scoring it 0 would take points nobody could claim).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from assessments import selectors
from assessments.evaluation.engine import Evaluated
from assessments.models import Assessment, Evaluation, RerateBatch, Rubric
from assessments.rubric_editions import scoring_rubric
from assessments.scoring import rubric as kernel
from assessments.services import evaluation as evaluations
from assessments.services.dossier import References
from emissions import history
from emissions import selectors as emission_selectors
from emissions.models import FactorSet
from emissions.services import records
from zerocarbon.errors import FieldError, ValidationFailed


@dataclass(frozen=True)
class NewFactorSet:
    """Re-rating with a newer factor set."""

    factor_set: FactorSet

    @property
    def label(self) -> str:
        return _("factor set {version}").format(version=self.factor_set.version)

    @property
    def identity(self) -> str:
        """What the preview's fingerprint names: the set's version."""
        return self.factor_set.version

    def batch_fields(self) -> dict[str, FactorSet]:
        return {"factor_set": self.factor_set}

    def unpublished(self) -> str | None:
        """Why the set cannot be previewed, or None."""
        if self.factor_set.is_published:
            return None
        return _("Factor set {version} is not published: publish it before re-rating.").format(
            version=self.factor_set.version
        )

    def elsewhere(self) -> Q:
        """The assessments not on the set yet (scope and left-out counts start here)."""
        return ~Q(inventory__factor_set=self.factor_set)

    def default_factor_set(self) -> FactorSet:
        """The set a chunk's `References` name (each stored dossier is read with this one)."""
        return self.factor_set

    def rated(
        self, assessment: Assessment, previous: Evaluation, references: References | None = None
    ) -> Evaluated:
        return _rated(assessment, previous, references, factor_set=self.factor_set)

    def move(self, assessments: Sequence[Assessment]) -> None:
        """Rate the inventories with the set from now on (in the inventories' trail)."""
        records.move_to_factor_set([a.inventory_id for a in assessments], self.factor_set)


@dataclass(frozen=True)
class NewEdition:
    """Re-rating with a newer edition of a rubric."""

    rubric: Rubric

    @property
    def label(self) -> str:
        return _("rubric {code} edition {edition}").format(
            code=self.rubric.code, edition=self.rubric.edition
        )

    @property
    def identity(self) -> str:
        return f"rubric {self.rubric.code} {self.rubric.edition}"

    def batch_fields(self) -> dict[str, Rubric]:
        return {"rubric": self.rubric}

    def unpublished(self) -> str | None:
        if self.rubric.status == "published":
            return None
        return _(
            "Rubric {code} edition {edition} is not published: publish it before re-rating."
        ).format(code=self.rubric.code, edition=self.rubric.edition)

    def elsewhere(self) -> Q:
        """Of an older edition of the code, and no assessment of the inventory is of this one."""
        sibling = Assessment.objects.filter(inventory=OuterRef("inventory"), rubric=self.rubric)
        older = Q(rubric__code=self.rubric.code, rubric__edition__lt=self.rubric.edition)
        return older & Q(~Exists(sibling))

    def default_factor_set(self) -> FactorSet:
        """The set a chunk's `References` name (each stored dossier is read with its own)."""
        return emission_selectors.default_factor_set()

    def rated(
        self, assessment: Assessment, previous: Evaluation, references: References | None = None
    ) -> Evaluated:
        _refuse_unanswered(previous, scoring_rubric(self.rubric))
        return _rated(assessment, previous, references, rubric=self.rubric)

    def move(self, assessments: Sequence[Assessment]) -> None:
        """Rate the assessments with the edition from now on (in their trail), in one update."""
        moved = Assessment.objects.filter(pk__in=[a.pk for a in assessments])
        history.update_recorded(moved, rubric=self.rubric)


Target = NewFactorSet | NewEdition


def named(what: FactorSet | Rubric) -> Target:
    return NewEdition(what) if isinstance(what, Rubric) else NewFactorSet(what)


def of(batch: RerateBatch) -> Target:
    """What `batch` re-rates with (its factor set and rubric were selected with it)."""
    if batch.rubric is not None:
        return NewEdition(batch.rubric)
    if batch.factor_set is not None:
        return NewFactorSet(batch.factor_set)
    raise ValueError(f"re-rating {batch.pk} names no target")  # refused by its check constraint


def _rated(
    assessment: Assessment,
    previous: Evaluation,
    references: References | None,
    *,
    factor_set: FactorSet | None = None,
    rubric: Rubric | None = None,
) -> Evaluated:
    """The submitted dossier that `previous` rated, read with the new set or edition, through
    the one evaluation seam (as of the same date, with the meters' coverage as a submission
    has it). Raises a DomainError when it cannot be rated so."""
    full = selectors.evaluation_input(
        assessment,
        as_of=previous.as_of,
        document=previous.inputs["dossier"],
        factor_set=factor_set,
        rubric=rubric,
        references=references,
    )
    return evaluations.evaluate_input(assessment, full, previous.as_of)


def _refuse_unanswered(previous: Evaluation, new: kernel.Rubric) -> None:
    """Refused: the new edition asks for an item or a declared gate the edition `previous`
    rated did not have, and the carried-over answers do not answer it."""
    recorded = Rubric.objects.get(code=previous.rubric_code, edition=previous.rubric_edition)
    old = scoring_rubric(recorded)
    dossier = previous.inputs["dossier"]
    answers, gates = dossier.get("answers", {}), dossier.get("gates", {})
    asked = [
        (f"/answers/{item.id}", item.id in answers)
        for item in new.items
        if not isinstance(item, kernel.ComputedItem) and old.item(item.id) is None
    ] + [
        (f"/gates/{gate.id}", gate.id in gates)
        for gate in new.gates
        if isinstance(gate, kernel.DeclaredGate) and all(g.id != gate.id for g in old.gates)
    ]
    message = _("new in edition {edition}: edition {previous} had no such question to answer")
    errors = [
        FieldError(path, message.format(edition=new.edition, previous=old.edition))
        for path, answered in asked
        if not answered
    ]
    if errors:
        raise ValidationFailed(_("The answers do not carry over to the new edition."), errors)
