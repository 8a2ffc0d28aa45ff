"""Spreadsheet and dossier re-imports: upload → preview (errors or what would change) →
confirm, with an import job row that the progress page polls.

`start_import` keeps the file and enqueues `process_import` (a task, on commit; in-process
without a broker). Processing reads the file into a dossier document (`emissions.ingest`),
reads that with the same dossier reader as every input (`reimport.read_for`), pins every error
to its sheet, row and column, and compares the document with the current draft
(`emissions.dossier.diff`). `confirm_import` replaces the draft with the previewed document.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from assessments.models import Assessment
from assessments.rubric_editions import scoring_rubric
from assessments.scoring.answers import NA_ANSWER
from assessments.scoring.rubric import (
    AnyItem,
    BoolItem,
    DeclaredGate,
    EnumItem,
    Flag,
    LevelItem,
)
from assessments.services import reimport
from assessments.services.dossier import export_dossier
from emissions import selectors as emission_selectors
from emissions.dossier import DossierInvalid, parse_dossier_bytes, to_jsonable
from emissions.dossier.diff import by_field, diff, plain
from emissions.ingest.spreadsheet_errors import marked_workbook
from emissions.ingest.spreadsheet_layout import Location
from emissions.ingest.spreadsheet_read import CellError, Locator, UnreadableWorkbook, read_workbook
from emissions.ingest.spreadsheet_template import TemplateData, build_template, workbook_options
from emissions.models import ImportJob, Inventory
from emissions.services import changes as document_changes
from emissions.services.replace import other_inventory, replace_inventory
from zerocarbon import leases
from zerocarbon.accounts.models import Organisation
from zerocarbon.accounts.tenancy import Actor, require_write
from zerocarbon.errors import Conflict, DomainError, FieldError, ValidationFailed

EXTENSIONS = {"xlsx": ImportJob.Kind.SPREADSHEET, "json": ImportJob.Kind.DOSSIER}


def assessment_of(inventory: Inventory) -> Assessment | None:
    """The inventory's assessment (the newest, if several rubrics assess it)."""
    return (
        Assessment.objects.filter(inventory=inventory)
        .select_related("rubric", "inventory__factor_set")
        .order_by("-created_at")
        .first()
    )


def current_dossier(inventory: Inventory) -> dict[str, Any]:
    """The draft as a JSON-ready dossier: with the assessment's gates and answers, if any."""
    assessment = assessment_of(inventory)
    if assessment is not None:
        return to_jsonable(export_dossier(assessment))
    document = to_jsonable(emission_selectors.inventory_document(inventory))
    return {**document, "gates": {}}


def inventory_template(inventory: Inventory) -> bytes:
    """The workbook template of an inventory (a read: the caller scoped the inventory)."""
    document = current_dossier(inventory)
    factors = emission_selectors.kernel_factor_set(inventory.factor_set)
    options = workbook_options(factors, emission_selectors.registry_directory(), inventory.gwp_set)
    gates: list[tuple[str, str]] = []
    answers: list[tuple[str, str, list[str]]] = []
    assessment = assessment_of(inventory)
    if assessment is not None:
        rubric = scoring_rubric(assessment.rubric)
        gates = [
            (g.id, f"{g.name.zh} {g.name.en}") for g in rubric.gates if isinstance(g, DeclaredGate)
        ]
        answers = [
            (i.id, f"{i.name.zh} {i.name.en}", _choices(i)) for i in (*rubric.items, *rubric.flags)
        ]
    return build_template(TemplateData(document, options, gates, answers))


def _choices(item: AnyItem | Flag) -> list[str]:
    """The answers of an item with a closed set of them, as the workbook reads them back."""
    na = [NA_ANSWER] if getattr(item, "na_allowed", False) else []
    if isinstance(item, BoolItem | Flag):
        return ["true", "false", *na]
    if isinstance(item, LevelItem):
        return [str(level) for level in range(item.levels + 1)] + na
    if isinstance(item, EnumItem):
        return [option.value for option in item.options] + na
    return []


def _refuse_upload(name: str, size: int) -> None:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    errors = []
    if extension not in EXTENSIONS:
        message = _("'{name}' is neither an Excel workbook (.xlsx) nor a dossier (.json)")
        errors.append(FieldError("file", message.format(name=name)))
    if size > settings.MAX_DOSSIER_BYTES:
        message = _("'{name}' has {size:,} bytes; the limit is {limit:,}")
        limit = settings.MAX_DOSSIER_BYTES
        errors.append(FieldError("file", message.format(name=name, size=size, limit=limit)))
    if errors:
        raise ValidationFailed(_("The file was not accepted."), errors)


def start_import(actor: User, inventory: Inventory, *, name: str, content: bytes) -> ImportJob:
    """Keep the upload as an import job and enqueue its processing once committed."""
    require_write(actor, inventory.factory.organisation, factory=inventory.factory)
    _refuse_upload(name, len(content))
    kind = EXTENSIONS[name.rsplit(".", 1)[-1].lower()]
    with transaction.atomic():
        job = ImportJob(
            organisation=inventory.factory.organisation,
            inventory=inventory,
            created_by=actor,
            kind=kind,
            filename=name[-255:],
            size_bytes=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            language=translation.get_language() or "",
            stage=_("waiting for a worker"),
        )
        job.file.save(f"{job.sha256[:16]}.{name.rsplit('.', 1)[-1].lower()}", ContentFile(content))
        pk = job.pk
        transaction.on_commit(lambda: _publish(pk))
    return job


def _publish(job_id: int) -> bool:
    """Hand the job to the queue (never raising: a broker that is down leaves the job queued
    with no `enqueued_at`, and the reaper publishes it later)."""
    from assessments.tasks import import_process_task

    return leases.publish_row(import_process_task, ImportJob, job_id)


def _gave_up(job_id: int, attempts: int) -> None:
    message = _(
        "The file was never processed: it was handed to the task queue {attempts} times (the"
        " queue could not be reached, or a worker stopped while reading it). Nothing was"
        " changed; upload it again."
    )
    record_failure(job_id, message.format(attempts=attempts))


# The reaper's view of import jobs (settings.ZEROCARBON_LEASE_HOLDERS).
IMPORTS = leases.Outbox("imports", ImportJob, _publish, _gave_up)


def _progress(job: ImportJob, done: int, total: int, stage: str) -> None:
    job.progress_done, job.progress_total, job.stage = done, total, stage
    job.save(update_fields=["progress_done", "progress_total", "stage", "updated_at"])


def process_import(job_id: int) -> ImportJob:
    """The task's work: read, check and compare; the preview is stored on the job. Idempotent:
    a job that is done or failed is left as it is."""
    job = ImportJob.objects.select_related("inventory__factory", "inventory__factor_set").get(
        pk=job_id
    )
    if not job.in_progress:
        return job
    with translation.override(job.language or None):
        job.status, job.started_at = ImportJob.Status.RUNNING, timezone.now()
        job.save(update_fields=["status", "started_at", "updated_at"])  # the lease starts
        _progress(job, 0, 1, _("reading the file"))
        try:
            with job.file.open("rb") as upload:
                content = upload.read()
            _preview(job, content)
        except UnreadableWorkbook as error:
            _fail(job, error.message)
        except DomainError as error:
            _fail(job, error.message)
    return job


def _fail(job: ImportJob, message: str) -> None:
    job.status, job.failure, job.stage = ImportJob.Status.FAILED, message, ""
    job.save()


def _preview(job: ImportJob, content: bytes) -> None:
    locator, cell_errors = Locator(), []
    document: Mapping[str, Any] | None = None
    if job.kind == ImportJob.Kind.SPREADSHEET:
        parsed = read_workbook(content, lambda d, t, s: _sheet_progress(job, d, t, s))
        document, cell_errors, locator = parsed.document, parsed.errors, parsed.locator
    else:
        document, cell_errors = _dossier_file(content)
    errors = [_error_row(error, "") for error in cell_errors]
    changes: list[dict[str, Any]] = []
    if document is not None:
        _progress(job, job.progress_total, job.progress_total + 1, _("checking the dossier rules"))
        rule_errors, changes = _check(job.inventory, document, locator)
        taken = {(e["sheet"], e["cell"]) for e in errors if e["cell"]}
        errors += [e for e in rule_errors if not e["cell"] or (e["sheet"], e["cell"]) not in taken]
    job.errors = errors
    job.changes = [] if errors else changes
    job.document = None if errors or document is None else dict(document)
    job.status, job.stage = ImportJob.Status.DONE, ""
    job.progress_done = job.progress_total
    job.save()


def _dossier_file(content: bytes) -> tuple[Mapping[str, Any] | None, list[CellError]]:
    try:
        data = parse_dossier_bytes(content)
    except DossierInvalid as invalid:
        return None, [CellError(Location(), "", str(error)) for error in invalid.errors]
    if not isinstance(data, Mapping):
        return None, [CellError(Location(), "", _("the file holds no dossier (a JSON object)"))]
    return data, []


def _sheet_progress(job: ImportJob, done: int, total: int, sheet: str) -> None:
    _progress(job, done, total + 1, _("reading the sheet {sheet}").format(sheet=sheet))


def _check(
    inventory: Inventory, document: Mapping[str, Any], locator: Locator
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Errors of the dossier rules at their cells, or else the changes versus the draft."""
    try:
        new = _read(inventory, document)
    except DomainError as error:
        found = error.errors or (FieldError("", error.message),)
        return [_rule_error(e, document, locator) for e in found], []
    other = other_inventory(inventory, new)
    if other:
        return [_rule_error(e, document, locator) for e in other], []
    stored = current_dossier(inventory)
    try:
        current = _read(inventory, stored)
    except DomainError:  # a draft that today's rules refuse: compared as it is stored
        current = stored
    return [], [_placed(change.as_dict(), locator) for change in by_field(diff(current, new))]


def _placed(change: dict[str, Any], locator: Locator) -> dict[str, Any]:
    """A change with the sheet, row and column it comes from (empty for a dossier file)."""
    where = locator.locate(change["path"]) if locator.columns else Location()
    return {**change, "sheet": where.sheet, "row": where.row, "column": where.column}


def _read(inventory: Inventory, document: Mapping[str, Any]) -> dict[str, Any]:
    assessment = assessment_of(inventory)
    if assessment is not None:
        return dict(reimport.read_for(assessment, dict(document)).read.document)
    # No assessment yet: the inventory alone, as the editor reads it.
    read = document_changes.check(dict(document), inventory.factor_set, lambda path: path)
    return dict(read.document)


def _rule_error(error: FieldError, document: Mapping[str, Any], locator: Locator) -> dict[str, Any]:
    location = locator.locate(error.path)
    row = _error_row(
        CellError(location, _value_at(document, error.path), error.message), error.path
    )
    return row


def _error_row(error: CellError, path: str) -> dict[str, Any]:
    where = error.location
    return {
        "sheet": where.sheet,
        "row": where.row,
        "column": where.column,
        "cell": where.cell,
        "value": error.value,
        "path": path,
        "message": error.message,
    }


def _value_at(document: Mapping[str, Any], path: str) -> str:
    node: Any = document
    for part in [p.replace("~1", "/").replace("~0", "~") for p in path.split("/")[1:]]:
        if isinstance(node, Mapping) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return ""
    return "" if isinstance(node, Mapping | list) else str(plain(node))


def confirm_import(actor: Actor, job: ImportJob) -> Inventory:
    """Replace the draft by the previewed document, all of it or nothing."""
    inventory = job.inventory
    require_write(actor, inventory.factory.organisation, factory=inventory.factory)
    if job.status != ImportJob.Status.DONE or job.errors or job.document is None:
        raise Conflict(_("This import has errors or is not checked yet; nothing to confirm."))
    if job.confirmed_at is not None:
        raise Conflict(_("This import was confirmed already."))
    assessment = assessment_of(inventory)
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().get(pk=job.pk)
        if locked.confirmed_at is not None:
            raise Conflict(_("This import was confirmed already."))
        if assessment is not None:
            reimport.replace_dossier(actor, assessment, job.document)
        else:
            replace_inventory(actor, inventory, job.document)
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["confirmed_at", "updated_at"])
    return inventory


def error_workbook(job: ImportJob) -> bytes:
    """The uploaded workbook with its bad cells marked (a read of the caller's scoped job)."""
    with job.file.open("rb") as upload:
        return marked_workbook(upload.read(), job.errors)


def record_failure(job_id: int, message: str) -> None:
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.FAILED, failure=message, stage="", updated_at=timezone.now()
    )


def unexpected_failure(error: BaseException, task_id: str) -> str:
    message = _(
        "The file could not be processed because of an unexpected error ({kind}): a fault of"
        " the platform, not of your file, and nothing was changed. Upload it again; if it"
        " happens again, contact support with reference task {reference}."
    )
    return message.format(kind=type(error).__name__, reference=task_id)


def existing_inventory(organisation: Organisation, data: object) -> Inventory | None:
    """The organisation's inventory of the dossier's factory (credit code) and year, if there
    is one: a re-import of it goes to the preview instead of being refused."""
    if not isinstance(data, Mapping):
        return None
    factory, year = data.get("factory"), data.get("year")
    if not isinstance(factory, Mapping) or not isinstance(year, int) or isinstance(year, bool):
        return None
    code = factory.get("credit_code")
    if not isinstance(code, str):
        return None
    return (
        Inventory.objects.filter(
            factory__organisation=organisation, factory__credit_code=code.strip(), year=year
        )
        .select_related("factory__organisation", "factor_set")
        .first()
    )
