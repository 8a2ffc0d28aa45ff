"""Rubric answers, declared gates and evidence files, written from the inventory editor.

One validation path: the assessment's dossier (its export) with the new answers or gates is
read as a dossier file is (`read_full_dossier`), so the editor refuses exactly what an import
or the API refuses, at the same paths (`/answers/ENE-1`, `/gates/G1`), and stores what the
reader normalised, in exact JSON (decision 26). A note and the evidence files belong to an
answer (`Answer.note`, `Answer.evidence`): they are not part of the dossier and are checked
here, at `/answers/<item>/note` and `/answers/<item>/evidence`.

Writes are refused for viewers (403) and while the inventory is locked for evaluation or
review (409). They hold the assessment's row lock, then the inventory's (the order a
submission takes them), so a save and a submission are ordered one way or the other.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from assessments.models import Answer, Assessment
from assessments.scoring.rubric_checks import pointer_segment
from assessments.services.dossier import (
    DossierRejected,
    FullDossier,
    export_dossier,
    read_full_dossier,
)
from emissions.history import same_values
from emissions.models import EvidenceDocument, Inventory
from emissions.services import records
from emissions.services.evidence import attach_evidence, replace_evidence_file
from zerocarbon.accounts.tenancy import Actor, require_write
from zerocarbon.errors import Conflict, DomainError, FieldError, ValidationFailed

NOTE_MAX_CHARS = 2000
UPLOAD_KIND = "rubric"
Notes = Mapping[str, str]
EvidenceLinks = Mapping[str, Collection[int]]
Uploads = Mapping[str, UploadedFile]
_NOT_STORED = gettext_lazy(
    "the file was not stored because of the other errors; choose it again once they are fixed"
)


class AnswersRejected(ValidationFailed):
    """An answer, gate, note or evidence link breaks a rule; nothing was saved (400)."""


def save_answers(
    actor: User,
    assessment: Assessment,
    answers: Mapping[str, object],
    *,
    notes: Notes | None = None,
    evidence: EvidenceLinks | None = None,
    uploads: Uploads | None = None,
) -> Assessment:
    """Replace the assessment's answers (item id or flag id → the dossier's JSON value; an
    item left out has no answer). `notes` and `evidence` (evidence document ids) are by item
    id and replace the stored ones (None keeps them); `uploads` are new evidence files of
    the inventory, linked to their item's answer. A note or evidence needs an answer. All of
    it is written, or nothing."""
    require_write(actor, assessment.inventory.factory.organisation, assessment.inventory.factory)
    uploads = uploads or {}
    errors = _extras_errors(answers, notes or {}, evidence or {}, uploads)
    with transaction.atomic():
        locked = _editable(assessment.pk)
        errors += _foreign_evidence(locked.inventory_id, evidence or {})
        document = export_dossier(locked)
        document["answers"] = dict(answers)
        not_stored = [FieldError(_path(item_id, "upload"), str(_NOT_STORED)) for item_id in uploads]
        full = _read(document, locked, errors, if_rejected=not_stored)
        _write_answers(locked, full.read.answers_raw, notes, evidence)
        _attach_uploads(actor, locked, uploads)
    return locked


def save_gates(actor: Actor, assessment: Assessment, gates: Mapping[str, object]) -> Assessment:
    """Replace the declared gates (`{"G1": true, "G2": false}`; a gate left out is not
    declared)."""
    require_write(actor, assessment.inventory.factory.organisation, assessment.inventory.factory)
    with transaction.atomic():
        locked = _editable(assessment.pk)
        document = export_dossier(locked)
        document["gates"] = dict(gates)
        full = _read(document, locked, [])
        locked.declared_gates = dict(full.read.gates_raw)
        locked.save(update_fields=["declared_gates", "updated_at"])
    return locked


def upload_evidence(
    actor: User, inventory: Inventory, *, upload: UploadedFile, kind: str, reference: str
) -> EvidenceDocument:
    """Store an evidence file of the inventory (emissions.services.evidence: type and size
    limits, SHA-256), refused while the inventory is locked. Errors are at `file`, `kind`
    and `reference`."""
    require_write(actor, inventory.factory.organisation, factory=inventory.factory)
    with transaction.atomic():
        records.editable_inventory(inventory.pk)
        try:
            with transaction.atomic():
                return attach_evidence(
                    actor, inventory, upload=upload, kind=kind, reference=reference
                )
        except IntegrityError:  # the same reference attached at the same moment
            message = _("Evidence '{reference}' is already attached to this inventory.")
            raise Conflict(
                message.format(reference=reference),
                [FieldError("reference", _("already used in this inventory"))],
            ) from None


def replace_evidence(
    actor: User, document: EvidenceDocument, *, upload: UploadedFile
) -> EvidenceDocument:
    """Another file under an evidence file's reference, while its inventory is a draft (a
    file the review rejected is corrected so; claims and answers keep pointing to it)."""
    inventory = document.inventory
    require_write(actor, inventory.factory.organisation, factory=inventory.factory)
    with transaction.atomic():
        records.editable_inventory(inventory.pk)
        locked = EvidenceDocument.objects.select_for_update().get(pk=document.pk)
        return replace_evidence_file(actor, locked, upload=upload)


# Locks


def _editable(assessment_pk: int) -> Assessment:
    """The assessment under its row lock, then its inventory's; refused while locked."""
    locked = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("inventory__factory__organisation", "inventory__factor_set", "rubric")
        .get(pk=assessment_pk)
    )
    locked.inventory = records.editable_inventory(locked.inventory_id)
    return locked


# Checks


def _read(
    document: dict[str, Any],
    assessment: Assessment,
    errors: list[FieldError],
    *,
    if_rejected: Sequence[FieldError] = (),
) -> FullDossier:
    """The document read by the dossier reader; every error, the reader's and `errors`,
    raised together (with `if_rejected`, said only then)."""
    found = list(errors)
    full = None
    try:
        # The rules of today, as for every other change (emissions.services.changes), with
        # the inventory's factor set and the assessment's own rubric edition.
        full = read_full_dossier(
            document,
            as_of=timezone.localdate(),
            factor_set=assessment.inventory.factor_set,
            rubric=assessment.rubric,
        )
    except DossierRejected as rejected:
        found += rejected.errors
    if found or full is None:
        raise _rejected([*found, *if_rejected])
    return full


def _rejected(found: list[FieldError]) -> AnswersRejected:
    count = len(found)
    message = ngettext(
        "The answers break {count} rule; nothing was saved.",
        "The answers break {count} rules; nothing was saved.",
        count,
    )
    ordered = sorted(found, key=lambda error: error.path)
    return AnswersRejected(message.format(count=count), ordered)


def _path(item_id: str, key: str = "") -> str:
    path = f"/answers/{pointer_segment(item_id)}"
    return f"{path}/{key}" if key else path


def _extras_errors(
    answers: Mapping[str, object], notes: Notes, evidence: EvidenceLinks, uploads: Uploads
) -> list[FieldError]:
    errors = []
    for item_id in sorted({*notes, *evidence, *uploads} - set(answers)):
        if notes.get(item_id) or evidence.get(item_id) or item_id in uploads:
            message = _("give an answer to keep a note or evidence with it")
            errors.append(FieldError(_path(item_id), message))
    for item_id, note in notes.items():
        if len(note) > NOTE_MAX_CHARS:
            message = _("at most {limit:,} characters; this note has {length:,}")
            errors.append(
                FieldError(
                    _path(item_id, "note"), message.format(limit=NOTE_MAX_CHARS, length=len(note))
                )
            )
    return errors


def _foreign_evidence(inventory_pk: int, evidence: EvidenceLinks) -> list[FieldError]:
    """Links to files that are not this inventory's (deleted meanwhile, or another's)."""
    wanted = {pk for pks in evidence.values() for pk in pks}
    own = set(
        EvidenceDocument.objects.filter(inventory_id=inventory_pk, pk__in=wanted).values_list(
            "pk", flat=True
        )
    )
    message = _("evidence file {id} is not one of this inventory's")
    return [
        FieldError(_path(item_id, "evidence"), message.format(id=pk))
        for item_id, pks in sorted(evidence.items())
        for pk in sorted(set(pks) - own)
    ]


# Writes


def _write_answers(
    assessment: Assessment,
    values: Mapping[str, Any],
    notes: Notes | None,
    evidence: EvidenceLinks | None,
) -> None:
    stored = {answer.item_id: answer for answer in assessment.answers.all()}
    gone = [answer.pk for item_id, answer in stored.items() if item_id not in values]
    Answer.objects.filter(pk__in=gone).delete()
    for item_id, value in values.items():
        answer = stored.get(item_id) or Answer(assessment=assessment, item_id=item_id)
        note = answer.note if notes is None else notes.get(item_id, "")
        if answer.pk is None or not same_values((answer.value, answer.note), (value, note)):
            answer.value, answer.note = value, note
            answer.save()  # an unchanged answer is not written: the trail shows real changes
        if evidence is not None:
            answer.evidence.set(sorted(set(evidence.get(item_id, ()))))
    assessment.save(update_fields=["updated_at"])


def _attach_uploads(actor: User, assessment: Assessment, uploads: Uploads) -> None:
    """Each new file stored as the inventory's evidence (its name is its reference) and
    linked to its item's answer; the files of a batch that fails are removed again."""
    errors: list[FieldError] = []
    created: list[EvidenceDocument] = []
    answers = {answer.item_id: answer for answer in assessment.answers.filter(item_id__in=uploads)}
    for item_id, upload in uploads.items():
        try:
            with transaction.atomic():
                document = attach_evidence(
                    actor,
                    assessment.inventory,
                    upload=upload,
                    kind=UPLOAD_KIND,
                    reference=upload.name or "",
                )
        except (ValidationFailed, Conflict) as refused:
            path = _path(item_id, "upload")
            errors += [FieldError(path, _upload_message(refused, e)) for e in refused.errors]
            continue
        created.append(document)
        answers[item_id].evidence.add(document)
    if errors:
        for document in created:  # the rows go with the transaction, the files go here
            document.file.delete(save=False)
        raise _rejected(errors)


def _upload_message(refused: DomainError, error: FieldError) -> str:
    """The file's own message; a taken reference is named by the whole message."""
    return error.message if error.path == "file" else refused.message
