"""Rubrics (versioned data), assessments with their answers, and evaluations (records).

An evaluation is never modified: a re-evaluation adds a row, and identical inputs reuse the
existing one (same `input_sha256`, unique per assessment).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from emissions.accounting.exact_json import DecimalJSONDecoder, ExactJSONEncoder
from emissions.history import AuditTrail
from emissions.models import EvidenceDocument, Inventory


class ExactJSONField(models.JSONField):
    """A JSONField whose numbers are exact at any magnitude: Decimals are written with exactly
    their digits (the result writer) and numbers with a fraction are read back as Decimal.

    Django's JSONField goes through float both ways. It passes its encoder class to
    `json.dumps` (psycopg2's Jsonb adapter and SQLite's text alike) and its decoder class to
    `json.loads` when reading, so these two classes are all it takes; jsonb keeps the digits.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["encoder"] = ExactJSONEncoder
        kwargs["decoder"] = DecimalJSONDecoder
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        del kwargs["encoder"], kwargs["decoder"]  # fixed by the class
        return name, path, args, kwargs


class PublishedRubricIsFrozen(Exception):
    """A published rubric edition never changes; load a new edition instead."""


class Rubric(models.Model):
    code = models.CharField(max_length=64)
    edition = models.CharField(max_length=32)
    name = models.CharField(max_length=200)
    status = models.CharField(
        max_length=16,
        choices=[("draft", _("Draft")), ("published", _("Published"))],
        default="published",
    )
    document = models.JSONField(help_text="the rubric file as loaded (validated by its schema)")
    document_sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "-edition"]
        constraints = [
            models.UniqueConstraint(fields=["code", "edition"], name="rubric_code_edition_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.edition})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and Rubric.objects.filter(pk=self.pk, status="published").exists():
            raise PublishedRubricIsFrozen(f"Rubric {self} is published and never changes.")
        super().save(*args, **kwargs)


class Assessment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        EVALUATED = "evaluated", _("Evaluated")
        FAILED = "failed", _("Evaluation failed")

    inventory = models.ForeignKey(Inventory, on_delete=models.PROTECT, related_name="assessments")
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="assessments")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    declared_gates = ExactJSONField(default=dict)  # {"G1": true, "G2": true}
    as_of = models.DateField(
        null=True, blank=True, help_text="evaluation date; default: submission day"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    evaluation_error = models.TextField(blank=True, help_text="why it failed, in English")
    evaluation_error_texts = models.JSONField(
        default=dict,
        blank=True,
        help_text="why it failed, in every language of the platform, by language code",
    )
    # The outbox of the evaluation: a submission (status submitted, submitted_at) is recorded
    # in the same transaction as these; the task is published after the commit, and the
    # periodic sweep publishes again what was never handed over or must have been lost.
    evaluation_enqueued_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="when the task queue took the evaluation of the latest submission; "
        "empty while it has not (the sweep publishes it again)",
    )
    evaluation_enqueue_attempts = models.PositiveSmallIntegerField(
        default=0, help_text="times the latest submission was handed to the task queue"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The outbox's bookkeeping is no change anyone audits.
    history = AuditTrail(quiet_fields=["evaluation_enqueued_at", "evaluation_enqueue_attempts"])

    class Meta:
        ordering = ["-updated_at"]
        indexes = [
            models.Index(
                fields=["evaluation_enqueued_at"],
                condition=Q(status="submitted"),
                name="assessment_outbox",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["inventory", "rubric"], name="assessment_inventory_rubric_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "submitted", "evaluated", "failed"]),
                name="assessment_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inventory} · {self.rubric.code}"


class Answer(models.Model):
    """One rubric item's answer (or the INF-3 flag), as the dossier types it."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="answers")
    item_id = models.CharField(max_length=64)
    value = ExactJSONField()  # as the dossier typed it: numbers stay JSON numbers
    note = models.TextField(blank=True)
    evidence = models.ManyToManyField(EvidenceDocument, blank=True, related_name="answers")
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditTrail(m2m_fields=["evidence"])  # which files, as of each version

    class Meta:
        ordering = ["assessment", "id"]  # the order the dossier gave them
        constraints = [
            models.UniqueConstraint(fields=["assessment", "item_id"], name="answer_unique_per_item")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} = {self.value}"


class Evaluation(models.Model):
    """A frozen record: the full result, the inputs snapshot, the editions and versions used,
    the evaluation date, and a SHA-256 over the canonical JSON of all of them."""

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="evaluations")
    created_at = models.DateTimeField(auto_now_add=True)
    as_of = models.DateField()
    rubric_code = models.CharField(max_length=64)
    rubric_edition = models.CharField(max_length=32)
    factor_set_version = models.CharField(max_length=32)
    gwp_set = models.CharField(max_length=4)
    code_version = models.CharField(max_length=40)
    # Exact numbers: a result with 1E+21 tCO2e or 30 significant digits is kept digit for digit.
    inputs = ExactJSONField()
    result = ExactJSONField()
    factor_values = ExactJSONField(default=dict, help_text="every factor value used, by key")
    input_sha256 = models.CharField(max_length=64)
    sha256 = models.CharField(max_length=64)
    total_score = models.DecimalField(max_digits=6, decimal_places=2)
    star_level = models.PositiveSmallIntegerField(null=True, blank=True)
    zero_carbon = models.BooleanField()
    # An approval that rejected evidence or gates records the result without their points as
    # an evaluation of its own, which names the evaluation it adjusts (the submitted one).
    adjusts = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adjustments",
        help_text="the submitted evaluation this approved result adjusts in review",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "input_sha256"], name="evaluation_inputs_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"Evaluation {self.pk} of {self.assessment}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("Evaluations are records: they are never modified.")
        super().save(*args, **kwargs)


# The review of a certification body (issue 10): one `Review` a round, each submission that
# names a body opening one; decisions on each claimed evidence file and declared gate, comments
# on any item, and an event log that is the review's history (pages, e-mails, the report).


class Review(models.Model):
    """One round of a certification body's review of a submitted version of an assessment."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting evaluation")
        OPEN = "open", _("In review")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    ACTIVE = (Status.PENDING, Status.OPEN)

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="reviews")
    number = models.PositiveSmallIntegerField(help_text="the round: 1, 2, … per assessment")
    certification_body = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="reviews"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    evaluation = models.ForeignKey(
        "Evaluation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviews",
        help_text="the evaluation of the submission under review",
    )
    approved_evaluation = models.ForeignKey(
        "Evaluation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="approvals",
        help_text="the result as approved: without the points of rejected evidence",
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="empty for a submission by an API key",
    )
    submitted_at = models.DateTimeField()
    opened_at = models.DateTimeField(null=True, blank=True, help_text="when it joined the queue")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, help_text="why it was decided so")
    history = AuditTrail()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="review_round_unique"),
            models.UniqueConstraint(
                fields=["assessment"],
                condition=Q(status__in=["pending", "open"]),
                name="review_one_active_per_assessment",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=[
                        "pending",
                        "open",
                        "changes_requested",
                        "approved",
                        "rejected",
                        "withdrawn",
                    ]
                ),
                name="review_status_valid",
            ),
        ]
        indexes = [models.Index(fields=["certification_body", "status"], name="review_queue")]

    def __str__(self) -> str:
        return f"review {self.number} of {self.assessment}"


class ReviewDecision(models.Model):
    """An auditor's verdict on one claimed evidence file or declared gate, with its note."""

    class Subject(models.TextChoices):
        EVIDENCE = "evidence", _("Evidence")
        GATE = "gate", _("Gate")

    class Verdict(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="decisions")
    subject = models.CharField(max_length=16, choices=Subject.choices)
    key = models.CharField(
        max_length=255, help_text="the evidence file's reference, or the gate id (G1)"
    )
    evidence_sha256 = models.CharField(
        max_length=64, blank=True, help_text="the file judged (a changed file is judged again)"
    )
    verdict = models.CharField(max_length=16, choices=Verdict.choices)
    note = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()
    carried_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="the same verdict of an earlier round, on the same unchanged file or gate",
    )
    history = AuditTrail()

    class Meta:
        ordering = ["review", "subject", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "subject", "key"], name="review_decision_unique"
            ),
            models.CheckConstraint(
                condition=Q(subject__in=["evidence", "gate"]), name="review_decision_subject"
            ),
            models.CheckConstraint(
                condition=Q(verdict__in=["accepted", "rejected"]),
                name="review_decision_verdict",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.key}: {self.verdict}"


class ReviewEvent(models.Model):
    """A step of a review, as its history shows it; never changed, never deleted."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for review")
        OPENED = "opened", _("Evaluated, in the queue")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED_ITEM = "rejected_item", _("Rejected")
        COMMENTED = "commented", _("Commented")
        CHANGES_REQUESTED = "changes_requested", _("Requested changes")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected the evaluation")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CERTIFIED = "certified", _("Certificate issued")
        REVOKED = "revoked", _("Certificate revoked")

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=20, choices=Action.choices)
    target = models.CharField(
        max_length=300, blank=True, help_text="what it is about: evidence:REF, gate:G1, item:ENE-1"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.action} {self.target}".strip()

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValueError("Review events are records: they are never modified.")
        super().save(*args, **kwargs)


# Re-rating after a new factor set or rubric edition is published (issue 11): a batch
# previews, for every assessment whose latest result is not approved and not in review, what
# the new set or edition would rate; once an admin confirms the preview, the workers record
# those results. Approved evaluations are never touched (a re-statement goes through review).


class RerateBatch(models.Model):
    class Status(models.TextChoices):
        PREVIEWING = "previewing", _("Computing the preview")
        PREVIEWED = "previewed", _("Preview ready")
        APPLYING = "applying", _("Re-rating")
        APPLIED = "applied", _("Re-rated")
        DISCARDED = "discarded", _("Discarded")

    RUNNING = (Status.PREVIEWING, Status.APPLYING)

    # What the batch re-rates with: a factor set, or a rubric edition (exactly one).
    factor_set = models.ForeignKey(
        "emissions.FactorSet",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rerate_batches",
    )
    rubric = models.ForeignKey(
        Rubric, null=True, blank=True, on_delete=models.PROTECT, related_name="rerate_batches"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PREVIEWING)
    fingerprint = models.CharField(
        max_length=64, help_text="SHA-256 of the assessments and evaluations the preview rated"
    )
    total = models.PositiveIntegerField(default=0)
    excluded = models.JSONField(
        default=dict, help_text="assessments left out, by reason (approved, in review, …)"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The outbox and lease of the running phase: chunks are published after the commit; the
    # sweep publishes the remaining items again when no chunk has reported for a lease.
    enqueued_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("re-rating")
        verbose_name_plural = _("re-ratings")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    status__in=["previewing", "previewed", "applying", "applied", "discarded"]
                ),
                name="rerate_batch_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(factor_set__isnull=True) ^ Q(rubric__isnull=True),
                name="rerate_batch_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"re-rating {self.pk} with {self.factor_set_id or self.rubric}"


class RerateItem(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the preview")
        PREVIEWED = "previewed", _("Previewed")
        UNRATED = "unrated", _("Cannot be rated with the new set")
        APPLIED = "applied", _("Re-rated")
        SKIPPED = "skipped", _("Skipped: changed since the preview")
        FAILED = "failed", _("Failed")

    batch = models.ForeignKey(RerateBatch, on_delete=models.CASCADE, related_name="items")
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="+")
    previous_evaluation = models.ForeignKey(
        Evaluation, on_delete=models.PROTECT, related_name="+", help_text="the result replaced"
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    before = ExactJSONField(default=dict, help_text="score, stars, zero-carbon, boundary tCO2e")
    after = ExactJSONField(default=dict, help_text="the same with the new factor set")
    changed = models.BooleanField(null=True, help_text="whether score, stars or tCO2e change")
    evaluation = models.ForeignKey(
        Evaluation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reratings",
        help_text="the evaluation recorded with the new factor set",
    )
    error_texts = models.JSONField(default=dict, blank=True, help_text="why, by language code")
    rated = ExactJSONField(
        default=dict,
        blank=True,
        help_text="the preview's evaluation with the new set and what it read: recorded as it"
        " is on confirmation if a fresh evaluation would read the same (emptied then)",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["batch", "pk"]
        verbose_name = _("re-rating item")
        verbose_name_plural = _("re-rating items")
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "assessment"], name="rerate_item_once_per_batch"
            ),
            models.CheckConstraint(
                condition=Q(
                    state__in=["pending", "previewed", "unrated", "applied", "skipped", "failed"]
                ),
                name="rerate_item_state_valid",
            ),
        ]
        indexes = [models.Index(fields=["batch", "state"], name="rerate_item_progress")]

    def __str__(self) -> str:
        return f"{self.assessment_id} in re-rating {self.batch_id}"
