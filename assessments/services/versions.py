"""Versions and corrections of an assessment (issue 9): discard a draft, delete a draft.

A new version is a reopening (`workflow.reopen_assessment`: evaluated or failed → draft, the
inventory editable again, every evaluation kept); its next submission records a new
evaluation. Two writes are added here:

- `discard_draft`: throw the changes of a reopened draft away. The inventory, gates and
  answers are restored from the latest evaluation's inputs snapshot (`inputs["dossier"]`,
  through `reimport.replace_dossier`, the one way a whole dossier replaces a draft) and the
  assessment goes back to evaluated with its inventory locked — the transition `discard`,
  draft → evaluated, allowed only when an evaluation exists and the restored dossier hashes
  exactly as the snapshot did. Otherwise nothing changes (one transaction).
- `delete_draft_inventory`: delete an inventory that was never submitted, with its draft
  assessments and their answers. One that was ever submitted has evaluations or a history
  of submissions: those are records, so it is refused (a new version corrects it instead).
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from assessments import selectors
from assessments.evaluation.engine import canonical, sha256_of
from assessments.models import Assessment, Evaluation
from assessments.services import reimport
from assessments.services.workflow import InvalidTransition
from emissions.models import Inventory
from emissions.services import records
from zerocarbon.accounts.tenancy import Actor, require_write
from zerocarbon.errors import Conflict


class NotRestorable(Conflict):
    """The snapshot of the latest evaluation could not be restored exactly (409)."""

    code = "not_restorable"


def discard_draft(actor: Actor, assessment: Assessment) -> Assessment:
    """draft → evaluated: the draft becomes again exactly what the latest evaluation rated."""
    factory = assessment.inventory.factory
    require_write(actor, factory.organisation, factory=factory)
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        evaluation = _discardable(locked)
        snapshot = evaluation.inputs["dossier"]
        reimport.replace_dossier(actor, locked, snapshot, as_of=evaluation.as_of)
        restored = selectors.evaluation_input(locked, as_of=evaluation.as_of)
        if sha256_of(canonical(restored.read.document)) != sha256_of(snapshot):
            raise NotRestorable(
                _(
                    "The draft could not be restored exactly as evaluation {number} rated it;"
                    " nothing was changed. Correct the draft and submit it instead."
                ).format(number=evaluation.pk)
            )
        records.lock_inventory(locked.inventory_id)
        locked.status = Assessment.Status.EVALUATED
        locked.evaluation_error, locked.evaluation_error_texts = "", {}
        locked.save(
            update_fields=["status", "evaluation_error", "evaluation_error_texts", "updated_at"]
        )
    return locked


def _discardable(locked: Assessment) -> Evaluation:
    if locked.status != Assessment.Status.DRAFT:
        message = _(
            "Cannot discard the draft of an assessment that is {status}; only a reopened draft"
            " can go back to its latest evaluation."
        )
        raise InvalidTransition(message.format(status=locked.get_status_display()))
    evaluation = selectors.latest_evaluation(locked, submitted_only=True)
    if evaluation is None:
        raise InvalidTransition(
            _(
                "This draft was never evaluated: there is no earlier version to go back to."
                " Delete the inventory instead, or correct it."
            )
        )
    return evaluation


def delete_draft_inventory(actor: Actor, inventory: Inventory) -> None:
    """Delete a never-submitted inventory with its draft assessments and their answers."""
    require_write(actor, inventory.factory.organisation, factory=inventory.factory)
    with transaction.atomic():
        records.hold_inventory(inventory.pk)
        assessments = Assessment.objects.select_for_update().filter(inventory_id=inventory.pk)
        if _ever_submitted(assessments):
            message = _(
                "{inventory} was submitted for evaluation, so it is kept: its evaluations are"
                " records. Start a new version to correct it."
            )
            raise Conflict(message.format(inventory=inventory))
        assessments.delete()  # their answers go with them
        records.delete_inventory(actor, inventory)


def was_submitted(inventory: Inventory) -> bool:
    """Whether an assessment of the inventory was ever submitted (a read, for the page that
    asks to confirm a deletion)."""
    return _ever_submitted(Assessment.objects.filter(inventory_id=inventory.pk))


def _ever_submitted(assessments: QuerySet[Assessment]) -> bool:
    rows = list(assessments)
    submitted = any(a.submitted_at is not None or a.status != Assessment.Status.DRAFT for a in rows)
    return submitted or Evaluation.objects.filter(assessment__in=rows).exists()
