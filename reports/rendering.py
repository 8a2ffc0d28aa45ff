"""PDF renders: requested on a page, run on the worker with progress, stored with their hash.

`request_render` records a queued RenderedPdf and hands its id to the task queue when the
transaction commits (a render of the same document already queued or running is returned
instead of a second one). `run_render` is the worker's part: it marks the row running, follows
the stages (context, layout, write, store) on the row, stores the file with its SHA-256 and
size, and marks it done; `record_failure` writes why a render failed on the row. Anyone who
may see the evaluation may ask for its PDFs: a render changes no data, it draws what they see.
An evaluation with a valid certificate renders the final documents, any other a draft.
"""

from __future__ import annotations

import hashlib
import logging
import time

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments import selectors as assessment_selectors
from assessments.models import Evaluation
from assessments.rubric_editions import scoring_rubric
from reports.context import CERTIFICATE, LANGUAGES, REPORT, CertificateFields, Record
from reports.documents import pdf_bytes
from reports.models import Certificate, RenderedPdf
from reports.review_history import review_entries
from zerocarbon import leases
from zerocarbon.accounts.tenancy import Actor
from zerocarbon.errors import FieldError, ValidationFailed

logger = logging.getLogger(__name__)
ACTIVE = (RenderedPdf.Status.QUEUED, RenderedPdf.Status.RUNNING)


def _valid_certificate(evaluation: Evaluation) -> Certificate | None:
    found = Certificate.objects.filter(evaluation=evaluation).first()
    return found if found and found.status == Certificate.Status.VALID else None


def _check(kind: str, language: str) -> None:
    errors = []
    if kind not in (CERTIFICATE, REPORT):
        errors.append(FieldError("kind", _("Choose a certificate or a full report.")))
    if language not in LANGUAGES:
        errors.append(FieldError("language", _("Choose Chinese or English.")))
    if errors:
        raise ValidationFailed(_("The PDF cannot be requested."), errors)


def request_render(actor: Actor, evaluation_pk: int, *, kind: str, language: str) -> RenderedPdf:
    """A render of the evaluation's certificate or report in `language` (NotFound when the
    actor may not see the evaluation)."""
    _check(kind, language)
    evaluation = assessment_selectors.evaluation_for(actor, evaluation_pk)
    certificate = _valid_certificate(evaluation)
    with transaction.atomic():
        wanted = RenderedPdf.objects.filter(
            evaluation=evaluation, kind=kind, language=language, certificate=certificate
        )
        active = wanted.filter(status__in=ACTIVE).first()
        if active is not None:
            return active
        row = RenderedPdf.objects.create(
            evaluation=evaluation,
            certificate=certificate,
            kind=kind,
            language=language,
            draft=certificate is None,
            requested_by=actor if isinstance(actor, User) else None,
        )
        pk = row.pk
        transaction.on_commit(lambda: _publish(pk))
    return row


def _publish(pk: int) -> bool:
    """Hand the render to the queue (never raising: a broker that is down leaves the row
    queued with no `enqueued_at`, and the reaper publishes it later)."""
    from reports.tasks import render_pdf_task

    return leases.publish_row(render_pdf_task, RenderedPdf, pk)


def _stage(pk: int, stage: str, progress: int) -> None:
    RenderedPdf.objects.filter(pk=pk).update(stage=stage, progress=progress)


def _certificate_fields(certificate: Certificate | None) -> CertificateFields | None:
    if certificate is None:
        return None
    return CertificateFields(
        number=certificate.number,
        issued_on=certificate.issued_on,
        valid_until=certificate.valid_until,
        status=certificate.current_status(),
    )


def _document(row: RenderedPdf) -> bytes:
    evaluation = row.evaluation
    edition = assessment_selectors.recorded_rubric(
        evaluation.rubric_code, evaluation.rubric_edition
    )
    record = Record(
        evaluation.result, evaluation.inputs, evaluation.factor_values, evaluation.sha256
    )
    return pdf_bytes(
        record,
        kind=row.kind,
        language=row.language,
        rubric=scoring_rubric(edition) if edition else None,
        factors=assessment_selectors.recorded_factor_set(evaluation.factor_set_version),
        certificate=_certificate_fields(row.certificate),
        review_history=review_entries(evaluation, row.language),
        on_stage=lambda stage, progress: _stage(row.pk, stage, progress),
    )


def run_render(pk: int) -> RenderedPdf | None:
    """Render a queued row (None when it is not queued: already run, or gone)."""
    claimed = RenderedPdf.objects.filter(pk=pk, status=RenderedPdf.Status.QUEUED).update(
        status=RenderedPdf.Status.RUNNING, stage="context", progress=5, started_at=timezone.now()
    )
    if not claimed:
        return None
    delay = getattr(settings, "ZEROCARBON_TEST_RENDER_DELAY_SECONDS", 0)
    if delay:  # test hook: lets a test kill the worker or drop its connection mid-render
        time.sleep(delay)
    row = RenderedPdf.objects.select_related("evaluation", "certificate").get(pk=pk)
    data = _document(row)
    _stage(pk, "store", 95)
    name = f"{row.kind}-{row.evaluation_id}-{row.language}-{pk}.pdf"
    with transaction.atomic():
        row.file.save(name, ContentFile(data), save=False)
        row.sha256, row.size_bytes = hashlib.sha256(data).hexdigest(), len(data)
        row.status, row.stage, row.progress = RenderedPdf.Status.DONE, "", 100
        row.finished_at = timezone.now()
        row.save()
    return row


def release(pk: int) -> None:
    """Give a claimed render back to the queue (its worker lost the database for a moment
    and retries); if even this cannot be written, the lease runs out and the reaper does it."""
    RenderedPdf.objects.filter(pk=pk, status=RenderedPdf.Status.RUNNING).update(
        status=RenderedPdf.Status.QUEUED, started_at=None, stage="", progress=0
    )


def _gave_up(pk: int, attempts: int) -> None:
    message = _(
        "The PDF was never rendered: it was handed to the task queue {attempts} times (the"
        " queue could not be reached, or a worker stopped while rendering it). Ask again."
    )
    record_failure(pk, message.format(attempts=attempts))


# The reaper's view of renders (settings.ZEROCARBON_LEASE_HOLDERS).
RENDERS = leases.Outbox("renders", RenderedPdf, _publish, _gave_up)


def record_failure(pk: int, message: str) -> None:
    """A failed render, with why, on its row (the page shows it; the log has the details)."""
    RenderedPdf.objects.filter(pk=pk).update(
        status=RenderedPdf.Status.FAILED, error=message, finished_at=timezone.now()
    )
