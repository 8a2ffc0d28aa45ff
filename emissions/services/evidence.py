"""Evidence files that back claims and rubric answers."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from emissions.models import EvidenceDocument, Inventory
from emissions.models.inventory import EVIDENCE_EXTENSIONS
from zerocarbon.accounts.tenancy import require_write
from zerocarbon.errors import Conflict, FieldError, ValidationFailed


def attach_evidence(
    actor: User, inventory: Inventory, *, upload: UploadedFile, kind: str, reference: str
) -> EvidenceDocument:
    """Store a file that backs a claim (`evidence_ref`) or a rubric answer. Only the listed
    document types, at most EVIDENCE_MAX_BYTES; the SHA-256 is kept for the audit trail."""
    require_write(actor, inventory.factory.organisation, factory=inventory.factory)
    errors = _upload_errors(upload)
    if not reference.strip():
        message = _("give the reference that claims use (evidence_ref)")
        errors.append(FieldError("reference", message))
    if errors:
        raise ValidationFailed(_("The evidence file was not accepted."), errors)
    if EvidenceDocument.objects.filter(inventory=inventory, reference=reference).exists():
        message = _("Evidence '{reference}' is already attached to this inventory.")
        raise Conflict(
            message.format(reference=reference),
            [FieldError("reference", _("already used in this inventory"))],
        )
    return EvidenceDocument.objects.create(
        inventory=inventory, kind=kind, reference=reference, file=upload,
        size_bytes=upload.size or 0, sha256=_sha256(upload), uploaded_by=actor,
    )  # fmt: skip


def replace_evidence_file(
    actor: User, document: EvidenceDocument, *, upload: UploadedFile
) -> EvidenceDocument:
    """Put another file under the same reference (a file an auditor rejected, corrected):
    the claims and answers pointing to the reference keep pointing to it, the audit trail
    keeps the file before. The caller holds the inventory's lock (drafts only)."""
    inventory = document.inventory
    require_write(actor, inventory.factory.organisation, factory=inventory.factory)
    errors = _upload_errors(upload)
    if errors:
        raise ValidationFailed(_("The evidence file was not accepted."), errors)
    document.file = upload
    document.size_bytes, document.sha256 = upload.size or 0, _sha256(upload)
    document.uploaded_by, document.uploaded_at = actor, timezone.now()
    document.save()
    return document


def _upload_errors(upload: UploadedFile) -> list[FieldError]:
    """The type and size limits of an evidence file, as errors at `file`."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    errors = []
    if extension not in EVIDENCE_EXTENSIONS:
        allowed = ", ".join(EVIDENCE_EXTENSIONS)
        message = _("'{name}' is not an accepted type; use one of {allowed}")
        errors.append(FieldError("file", message.format(name=name, allowed=allowed)))
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        message = _("'{name}' has {size:,} bytes; the limit is {limit:,}")
        errors.append(FieldError("file", message.format(name=name, size=upload.size, limit=limit)))
    return errors


def _sha256(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    return digest.hexdigest()
