"""A factory's inventory for one calendar year, line by line as the consultant entered it.

Quantities are stored exactly as given (value and unit); conversion happens in the
accounting kernel, so a certification body sees the original figures next to the result.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from emissions.history import AuditTrail
from emissions.limits import (
    CODE_MAX_LENGTH,
    DECIMAL_FRACTION_DIGITS,
    DECIMAL_INTEGER_DIGITS,
    NOTE_MAX_LENGTH,
    TEXT_MAX_LENGTH,
)
from emissions.models.factories import Factory
from emissions.models.factors import FactorSet

# Exactly what the dossier schema accepts (emissions.limits): nothing is rounded.
QUANTITY_PLACES = DECIMAL_FRACTION_DIGITS
QUANTITY_DIGITS = DECIMAL_INTEGER_DIGITS + DECIMAL_FRACTION_DIGITS


def quantity_field(
    verbose_name: str | None = None, **options: Any
) -> models.DecimalField[Any, Any]:
    """A quantity as given by the user, stored exactly (see emissions.limits)."""
    return models.DecimalField(
        verbose_name, max_digits=QUANTITY_DIGITS, decimal_places=QUANTITY_PLACES, **options
    )


NON_NEGATIVE = [MinValueValidator(0)]


class Inventory(models.Model):
    class Boundary(models.TextChoices):
        TYPE_I = "I", _("Type I (categories 1–2)")
        TYPE_II = "II", _("Type II (categories 1–4)")

    class GridScope(models.TextChoices):
        NATIONAL = "national", _("National")
        REGIONAL = "regional", _("Regional")
        PROVINCIAL = "provincial", _("Provincial")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        LOCKED = "locked", _("Locked")

    factory = models.ForeignKey(Factory, on_delete=models.PROTECT, related_name="inventories")
    year = models.PositiveSmallIntegerField()
    boundary = models.CharField(max_length=2, choices=Boundary.choices)
    gwp_set = models.CharField(
        max_length=4, choices=[("AR4", "AR4"), ("AR5", "AR5"), ("AR6", "AR6")], default="AR6"
    )
    grid_factor_scope = models.CharField(
        max_length=16, choices=GridScope.choices, default=GridScope.NATIONAL
    )
    factor_set = models.ForeignKey(FactorSet, on_delete=models.PROTECT, related_name="inventories")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    production_output = quantity_field(null=True, blank=True, validators=NON_NEGATIVE)
    production_unit = models.CharField(max_length=CODE_MAX_LENGTH, blank=True)
    baseline_year = models.PositiveSmallIntegerField(null=True, blank=True)
    baseline_emissions_tco2e = quantity_field(null=True, blank=True)
    baseline_output = quantity_field(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditTrail()

    class Meta:
        ordering = ["factory__name", "-year"]
        verbose_name_plural = "inventories"
        constraints = [
            models.UniqueConstraint(
                fields=["factory", "year"], name="inventory_factory_year_unique"
            ),
            models.CheckConstraint(
                condition=Q(boundary__in=["I", "II"]), name="inventory_boundary_valid"
            ),
            models.CheckConstraint(condition=Q(year__gte=2000), name="inventory_year_from_2000"),
        ]

    def __str__(self) -> str:
        return f"{self.factory} {self.year}"


class InventoryLine(models.Model):
    """Lines keep the order the user gave them (`position`), so exports and explanations
    point at the same `/energy/2` as the dossier did."""

    inventory = models.ForeignKey(Inventory, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveIntegerField()
    history = AuditTrail(inherit=True)

    class Meta:
        abstract = True
        ordering = ["inventory", "position"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} {self.position} of inventory {self.inventory_id}"


class EnergyRecord(InventoryLine):
    inventory = models.ForeignKey(Inventory, on_delete=models.CASCADE, related_name="energy")
    carrier = models.CharField(max_length=CODE_MAX_LENGTH)
    quantity = quantity_field(validators=NON_NEGATIVE)
    unit = models.CharField(max_length=CODE_MAX_LENGTH)
    monthly = models.JSONField(null=True, blank=True)  # 12 decimal strings, or null
    enthalpy_kj_per_kg = quantity_field(null=True, blank=True)
    note = models.CharField(max_length=NOTE_MAX_LENGTH, blank=True)

    class Meta(InventoryLine.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=0), name="energy_quantity_non_negative"
            )
        ]


class ProcessEmission(InventoryLine):
    inventory = models.ForeignKey(
        Inventory, on_delete=models.CASCADE, related_name="process_emissions"
    )
    source = models.CharField(max_length=TEXT_MAX_LENGTH, blank=True)
    gas = models.CharField(max_length=CODE_MAX_LENGTH)
    quantity = quantity_field(validators=NON_NEGATIVE)
    unit = models.CharField(max_length=CODE_MAX_LENGTH)


class RefrigerantRecord(InventoryLine):
    inventory = models.ForeignKey(Inventory, on_delete=models.CASCADE, related_name="refrigerants")
    gas = models.CharField(max_length=CODE_MAX_LENGTH)
    quantity = quantity_field(validators=NON_NEGATIVE)
    unit = models.CharField(max_length=CODE_MAX_LENGTH)
    source = models.CharField(max_length=TEXT_MAX_LENGTH, blank=True)


class Scope3Entry(InventoryLine):
    inventory = models.ForeignKey(Inventory, on_delete=models.CASCADE, related_name="scope3")
    category = models.PositiveSmallIntegerField(
        choices=[(3, _("Category 3: transport")), (4, _("Category 4: products used"))]
    )
    source = models.CharField(max_length=TEXT_MAX_LENGTH)
    tco2e = quantity_field(null=True, blank=True)
    quantity = quantity_field(null=True, blank=True)
    unit = models.CharField(max_length=CODE_MAX_LENGTH, blank=True)
    factor_tco2e_per_unit = quantity_field(null=True, blank=True)
    factor_source = models.CharField(max_length=TEXT_MAX_LENGTH, blank=True)
    method = models.CharField(max_length=TEXT_MAX_LENGTH, blank=True)

    class Meta(InventoryLine.Meta):
        constraints = [
            models.CheckConstraint(condition=Q(category__in=[3, 4]), name="scope3_category_3_or_4"),
            models.CheckConstraint(
                condition=Q(tco2e__isnull=False, quantity__isnull=True)
                | Q(
                    tco2e__isnull=True, quantity__isnull=False, factor_tco2e_per_unit__isnull=False
                ),
                name="scope3_tco2e_or_quantity_times_factor",
            ),
        ]


class ReductionMeasure(InventoryLine):
    inventory = models.ForeignKey(
        Inventory, on_delete=models.CASCADE, related_name="reduction_measures"
    )
    name = models.CharField(max_length=TEXT_MAX_LENGTH)
    implemented_in = models.PositiveSmallIntegerField()
    reduction_tco2e = quantity_field(validators=NON_NEGATIVE)
    verified = models.BooleanField(default=False)


EVIDENCE_EXTENSIONS = ["pdf", "png", "jpg", "jpeg", "xlsx", "xls", "csv", "docx", "doc", "zip"]


def evidence_path(instance: EvidenceDocument, filename: str) -> str:
    inventory = instance.inventory
    return f"evidence/{inventory.factory.organisation_id}/{inventory.pk}/{filename}"


class EvidenceDocument(models.Model):
    """A file backing a claim: meter bills, certificates, retirement proofs, rubric evidence.
    Type and size are checked by the service (EVIDENCE_EXTENSIONS, EVIDENCE_MAX_BYTES)."""

    inventory = models.ForeignKey(Inventory, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=40)
    reference = models.CharField(
        max_length=TEXT_MAX_LENGTH, help_text="the evidence_ref claims point to"
    )
    file = models.FileField(
        upload_to=evidence_path, validators=[FileExtensionValidator(EVIDENCE_EXTENSIONS)]
    )
    size_bytes = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = AuditTrail()

    class Meta:
        ordering = ["inventory", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["inventory", "reference"], name="evidence_reference_unique"
            )
        ]
