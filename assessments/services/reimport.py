"""Replace an assessment's draft by a whole dossier: re-importing a dossier or spreadsheet for
an existing factory and year, or discarding a draft back to an evaluation's snapshot
(`replace_dossier(actor, assessment, evaluation.inputs["dossier"])`).

The dossier is read as every dossier is (`read_full_dossier`, on the inventory's factor set);
then the inventory's header, lines and claims, the declared gates and the answers are written
in one transaction, or nothing is. Answers of items still answered keep their notes and
evidence; answers of items the dossier leaves out are deleted.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Answer, Assessment
from assessments.services.dossier import FullDossier, read_full_dossier
from assessments.services.workflow import InvalidTransition
from emissions.history import record_created
from emissions.services.replace import write_replacement
from zerocarbon.accounts.tenancy import Actor, require_write
from zerocarbon.db import retrying_transaction
from zerocarbon.errors import FieldError, ValidationFailed

EDITABLE = (Assessment.Status.DRAFT, Assessment.Status.FAILED)


class OtherRubric(ValidationFailed):
    """The dossier is assessed against another rubric than the assessment (400)."""


def read_for(assessment: Assessment, document: object, *, as_of: date | None = None) -> FullDossier:
    """The dossier read as a replacement of this assessment's draft (no write): the rules of
    `as_of` (today), the inventory's factor set, the assessment's rubric."""
    full = read_full_dossier(
        document,
        as_of=as_of or timezone.localdate(),
        factor_set=assessment.inventory.factor_set,
    )
    if full.rubric.code != assessment.rubric.code:
        message = _("this file is assessed against {code}; expected {expected}")
        raise OtherRubric(
            _("The file is for another rubric."),
            [
                FieldError(
                    "/rubric",
                    message.format(code=full.rubric.code, expected=assessment.rubric.code),
                )
            ],
        )
    return full


def replace_dossier(
    actor: Actor, assessment: Assessment, document: Mapping[str, Any], *, as_of: date | None = None
) -> Assessment:
    """Replace the draft (inventory header, lines, claims, gates, answers) by the dossier
    `document` (JSON-ready data, as a file or an evaluation's inputs snapshot hold it).

    Raises DossierRejected (every error at its JSON path), OtherRubric, NotThisInventory,
    AlreadyClaimed (400), InventoryLocked or InvalidTransition (409); then nothing changed."""
    inventory = assessment.inventory
    require_write(actor, inventory.factory.organisation, factory=inventory.factory)
    full = read_for(assessment, document, as_of=as_of)
    return retrying_transaction(lambda: _replace(assessment.pk, full))


def _replace(assessment_pk: int, full: FullDossier) -> Assessment:
    locked = Assessment.objects.select_for_update().select_related("rubric").get(pk=assessment_pk)
    if locked.status not in EDITABLE:
        message = _(
            "The assessment is {status}: its data is what was submitted and cannot be replaced."
            " Reopen it first."
        )
        raise InvalidTransition(message.format(status=locked.get_status_display()))
    write_replacement(locked.inventory_id, full.read.document, full.registries)
    locked.declared_gates = dict(full.read.gates_raw)
    locked.save(update_fields=["declared_gates", "updated_at"])
    _replace_answers(locked, full.read.answers_raw)
    return locked


def _replace_answers(assessment: Assessment, answers: Mapping[str, Any]) -> None:
    assessment.answers.exclude(item_id__in=list(answers)).delete()
    stored = {answer.item_id: answer for answer in assessment.answers.all()}
    changed = []
    for item_id, value in answers.items():
        answer = stored.get(item_id)
        if answer is None:
            changed.append(Answer(assessment=assessment, item_id=item_id, value=value))
        elif answer.value != value:
            answer.value = value
            answer.save(update_fields=["value", "updated_at"])
    record_created(Answer.objects.bulk_create(changed))
