"""Certificates (numbered records of an evaluation) and the PDFs rendered from evaluations.

A certificate number is `ZCF-{issue year}-{sequence:04d}`: the sequence restarts at 1 each
issue year and is taken from `CertificateSequence`, locked in the transaction that inserts
the certificate, so a rolled-back issue rolls the counter back too (no gaps). "Expired" is
not stored: it follows from `valid_until` and today (`Certificate.current_status`).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import Evaluation
from emissions.models import Factory

NUMBER_PREFIX = "ZCF"


def certificate_number(year: int, sequence: int) -> str:
    return f"{NUMBER_PREFIX}-{year}-{sequence:04d}"


class CertificateSequence(models.Model):
    """The gapless counter: the last number given in an issue year."""

    year = models.PositiveSmallIntegerField(unique=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"


class Certificate(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", _("Valid")
        SUPERSEDED = "superseded", _("Superseded")
        REVOKED = "revoked", _("Revoked")

    EXPIRED = "expired"  # computed, never stored

    number = models.CharField(max_length=32, unique=True)
    evaluation = models.OneToOneField(
        Evaluation, on_delete=models.PROTECT, related_name="certificate"
    )
    factory = models.ForeignKey(Factory, on_delete=models.PROTECT, related_name="certificates")
    # Snapshots: what the certificate says stays what it said, whatever changes later.
    factory_name = models.CharField(max_length=200)
    factory_name_en = models.CharField(max_length=200, blank=True)
    credit_code = models.CharField(max_length=18)
    boundary = models.CharField(max_length=2)
    star_level = models.PositiveSmallIntegerField()
    total_score = models.DecimalField(max_digits=6, decimal_places=2)
    rubric_code = models.CharField(max_length=64)
    rubric_edition = models.CharField(max_length=32)
    data_year = models.PositiveSmallIntegerField()
    issued_on = models.DateField()
    valid_until = models.DateField()
    evaluation_sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.VALID)
    revoked_reason = models.TextField(blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="supersedes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-number"]
        indexes = [
            models.Index(fields=["factory", "data_year", "boundary"], name="certificate_scope"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["valid", "superseded", "revoked"]),
                name="certificate_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(number__startswith=f"{NUMBER_PREFIX}-"),
                name="certificate_number_prefix",
            ),
            models.CheckConstraint(
                condition=Q(boundary__in=["I", "II"]), name="certificate_boundary_valid"
            ),
            models.CheckConstraint(
                condition=Q(star_level__gte=3, star_level__lte=6),
                name="certificate_star_level_range",
            ),
            models.CheckConstraint(
                condition=Q(total_score__gte=0, total_score__lte=100),
                name="certificate_score_range",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__year__gt=F("data_year")),
                name="certificate_valid_after_data_year",
            ),
            # revoked exactly when a reason and a time are recorded
            models.CheckConstraint(
                condition=(Q(status="revoked", revoked_at__isnull=False) & ~Q(revoked_reason=""))
                | (~Q(status="revoked") & Q(revoked_at__isnull=True, revoked_reason="")),
                name="certificate_revoked_has_reason",
            ),
            # a recorded successor means superseded, and never by itself (the service sets
            # the status, inserts the successor, then records it: one transaction, while the
            # partial unique index below allows one valid certificate per scope)
            models.CheckConstraint(
                condition=Q(superseded_by__isnull=True) | Q(status="superseded"),
                name="certificate_successor_means_superseded",
            ),
            models.CheckConstraint(
                condition=~Q(superseded_by=F("pk")), name="certificate_not_superseded_by_itself"
            ),
            # at most one valid certificate per factory, data year and boundary
            models.UniqueConstraint(
                fields=["factory", "data_year", "boundary"],
                condition=Q(status="valid"),
                name="certificate_one_valid_per_scope",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    def current_status(self, today: datetime.date | None = None) -> str:
        """The status a reader sees: the stored one, or "expired" for a valid certificate
        past its valid-until date."""
        today = today or timezone.localdate()
        if self.status == self.Status.VALID and self.valid_until < today:
            return self.EXPIRED
        return str(self.status)


def pdf_path(instance: RenderedPdf, filename: str) -> str:
    organisation_id = instance.evaluation.assessment.inventory.factory.organisation_id
    return f"pdfs/{organisation_id}/{filename}"


class RenderedPdf(models.Model):
    """One PDF rendered from an evaluation by the task queue, with its progress."""

    class Kind(models.TextChoices):
        CERTIFICATE = "certificate", _("Certificate")
        REPORT = "report", _("Full report")

    class Language(models.TextChoices):
        ZH_HANS = "zh-hans", "中文"
        EN = "en", "English"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="pdfs")
    certificate = models.ForeignKey(
        Certificate, null=True, blank=True, on_delete=models.PROTECT, related_name="pdfs"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    language = models.CharField(max_length=8, choices=Language.choices)
    draft = models.BooleanField(default=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    file = models.FileField(upload_to=pdf_path, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    size_bytes = models.PositiveBigIntegerField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The outbox and the lease (zerocarbon.leases): when the queue took the render, how many
    # times it was handed over, and when a worker claimed it.
    enqueued_at = models.DateTimeField(null=True, blank=True)
    enqueue_attempts = models.PositiveSmallIntegerField(default=1)
    started_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["certificate", "sha256"], name="renderedpdf_hash")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["certificate", "report"]), name="renderedpdf_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(language__in=["zh-hans", "en"]), name="renderedpdf_language_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "done", "failed"]),
                name="renderedpdf_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="renderedpdf_progress_range"
            ),
            # a finished PDF has its file and hash
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(file="") & ~Q(sha256="")),
                name="renderedpdf_done_has_file",
            ),
            # a final (non-draft) certificate PDF belongs to a certificate
            models.CheckConstraint(
                condition=~Q(kind="certificate", draft=False) | Q(certificate__isnull=False),
                name="renderedpdf_final_certificate_linked",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.language} of evaluation {self.evaluation_id}"
