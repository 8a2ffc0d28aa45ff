"""Green-electricity instruments, carbon credits and the platform-wide serial claims.

A serial range of an instrument in a registry can be claimed once across all organisations
and years. `SerialClaim` holds the normalised numeric range (prefix + zero-padded start and
end, see `emissions.identifiers`); the database refuses overlaps under concurrent writes:
a PostgreSQL exclusion constraint over numrange, and on SQLite (quickstart) a trigger, which
is race-free there because SQLite runs one writer at a time (IMMEDIATE transactions).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from emissions.limits import SERIAL_DIGITS, SERIAL_MAX_LENGTH, TEXT_MAX_LENGTH
from emissions.models.inventory import InventoryLine, quantity_field

GREEN_INSTRUMENTS = ["GEC", "GREEN_POWER", "I-REC"]
CREDIT_INSTRUMENTS = ["CCER", "CER", "VCU", "GS-VER", "CN-FOREST"]


class GreenElectricityInstrument(InventoryLine):
    inventory = models.ForeignKey(
        "emissions.Inventory", on_delete=models.CASCADE, related_name="green_electricity"
    )
    instrument = models.CharField(max_length=16, choices=[(i, i) for i in GREEN_INSTRUMENTS])
    registry = models.CharField(max_length=TEXT_MAX_LENGTH, blank=True)
    serial_from = models.CharField(max_length=SERIAL_MAX_LENGTH, blank=True)
    serial_to = models.CharField(max_length=SERIAL_MAX_LENGTH, blank=True)
    contract_ref = models.CharField(max_length=TEXT_MAX_LENGTH, blank=True)
    quantity_mwh = quantity_field()
    vintage = models.PositiveSmallIntegerField(null=True, blank=True)
    evidence_ref = models.CharField(max_length=TEXT_MAX_LENGTH, blank=True)

    class Meta(InventoryLine.Meta):
        constraints = [
            # ≥ 0, not > 0: a contract of 0 MWh is readable, and the accounting lists it as an
            # invalid instrument ("a positive quantity", spec/rubric.md); ranges hold ≥ 1.
            models.CheckConstraint(
                condition=Q(quantity_mwh__gte=0), name="green_quantity_non_negative"
            ),
        ]


class CarbonCredit(InventoryLine):
    class Kind(models.TextChoices):
        AVOIDANCE = "avoidance", _("Avoidance")
        REMOVAL = "removal", _("Removal")

    inventory = models.ForeignKey(
        "emissions.Inventory", on_delete=models.CASCADE, related_name="credits"
    )
    instrument = models.CharField(max_length=16, choices=[(i, i) for i in CREDIT_INSTRUMENTS])
    registry = models.CharField(max_length=TEXT_MAX_LENGTH, blank=True)
    serial_from = models.CharField(max_length=SERIAL_MAX_LENGTH)
    serial_to = models.CharField(max_length=SERIAL_MAX_LENGTH)
    quantity_tco2e = quantity_field()
    vintage = models.PositiveSmallIntegerField(null=True, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    retired_on = models.DateField(null=True, blank=True)
    beneficiary = models.CharField(max_length=TEXT_MAX_LENGTH, blank=True)
    evidence_ref = models.CharField(max_length=TEXT_MAX_LENGTH, blank=True)
    project = models.CharField(max_length=TEXT_MAX_LENGTH, blank=True)

    class Meta(InventoryLine.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity_tco2e__gt=0), name="credit_quantity_positive"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["avoidance", "removal"]), name="credit_kind_valid"
            ),
        ]


class SerialClaim(models.Model):
    """One claimed serial range, keyed in canonical form: `registry` is the registry's key
    (emissions.dossier.registries), `prefix` the canonical serial prefix
    (emissions.identifiers.split_serial). Exactly one of `green` and `credit` is set."""

    instrument = models.CharField(max_length=16)
    registry = models.CharField(max_length=TEXT_MAX_LENGTH)
    prefix = models.CharField(max_length=SERIAL_MAX_LENGTH)
    start_key = models.CharField(max_length=SERIAL_DIGITS)  # zero-padded: compares as text
    end_key = models.CharField(max_length=SERIAL_DIGITS)
    green = models.OneToOneField(
        GreenElectricityInstrument,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="claim",
    )
    credit = models.OneToOneField(
        CarbonCredit, null=True, blank=True, on_delete=models.CASCADE, related_name="claim"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(start_key__lte=models.F("end_key")), name="serial_claim_ordered"
            ),
            models.CheckConstraint(
                condition=Q(green__isnull=False, credit__isnull=True)
                | Q(green__isnull=True, credit__isnull=False),
                name="serial_claim_one_owner",
            ),
        ]
        indexes = [models.Index(fields=["instrument", "registry", "prefix", "start_key"])]

    def __str__(self) -> str:
        return f"{self.instrument} {self.registry} {self.prefix}[{self.start_key}…{self.end_key}]"
