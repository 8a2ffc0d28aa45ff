"""An uploaded spreadsheet or dossier on its way to replacing an inventory's draft.

The upload is kept (file, SHA-256) and processed by a task: it reads the file, checks it by
the dossier rules and compares it with the draft. The row is what the progress page polls:
status, progress (done of total with the stage being worked on), and then the preview — the
errors, each at its sheet, row and column, or what would change — and the parsed document
that a confirmation writes.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from emissions.accounting.exact_json import DecimalJSONDecoder, ExactJSONEncoder
from emissions.models.inventory import Inventory
from zerocarbon.accounts.models import Organisation

IMPORT_EXTENSIONS = ["xlsx", "json"]


def import_path(instance: ImportJob, filename: str) -> str:
    return f"imports/{instance.organisation_id}/{instance.inventory_id}/{filename}"


class ImportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    class Kind(models.TextChoices):
        SPREADSHEET = "spreadsheet", _("Spreadsheet")
        DOSSIER = "dossier", _("Dossier")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    inventory = models.ForeignKey(Inventory, on_delete=models.CASCADE, related_name="imports")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    file = models.FileField(
        upload_to=import_path, validators=[FileExtensionValidator(IMPORT_EXTENSIONS)]
    )
    filename = models.CharField(max_length=255)
    size_bytes = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    language = models.CharField(max_length=16, blank=True, help_text="of the messages")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    stage = models.CharField(max_length=200, blank=True)
    failure = models.TextField(blank=True, help_text="why processing failed, for the user")
    # [{sheet, row, column, cell, value, path, message}]
    errors = models.JSONField(default=list)
    # [{path, kind, old, new}]
    changes = models.JSONField(default=list)
    document = models.JSONField(
        null=True, blank=True, encoder=ExactJSONEncoder, decoder=DecimalJSONDecoder
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The outbox and the lease (zerocarbon.leases): when the queue took the job, how many
    # times it was handed over, and when a worker claimed it.
    enqueued_at = models.DateTimeField(null=True, blank=True)
    enqueue_attempts = models.PositiveSmallIntegerField(default=1)
    started_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="import_job_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"Import {self.pk} of {self.filename}"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)
