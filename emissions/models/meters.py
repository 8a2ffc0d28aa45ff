"""Meters of a factory, their readings, corrections and monthly roll-ups.

A reading is an interval [start, end) with the quantity the meter counted in it, in the
meter's unit, stored exactly. Readings of one meter never overlap: the database refuses it
(a trigger, migration 0008), and the write path (emissions/services/readings.py) checks it
first to name the rows. The roll-up (`MeterMonth`) is what the readings give per
calendar month in Asia/Shanghai, split by time share; it is rewritten with every change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from emissions.limits import CODE_MAX_LENGTH, TEXT_MAX_LENGTH
from emissions.models.factories import Factory
from emissions.models.inventory import quantity_field


class Meter(models.Model):
    class Kind(models.TextChoices):
        INTERVAL = "interval", _("Interval")
        CUMULATIVE = "cumulative", _("Cumulative register")

    factory = models.ForeignKey(Factory, on_delete=models.PROTECT, related_name="meters")
    carrier = models.CharField(max_length=CODE_MAX_LENGTH)
    unit = models.CharField(max_length=CODE_MAX_LENGTH)  # canonical spelling (accounting.units)
    external_id = models.CharField(max_length=TEXT_MAX_LENGTH)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.INTERVAL)
    name = models.CharField(max_length=TEXT_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["factory", "external_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["factory", "external_id"], name="meter_external_id_unique_per_factory"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["interval", "cumulative"]), name="meter_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.external_id} ({self.carrier}, {self.unit})"


class Reading(models.Model):
    """One interval of one meter. Written only by set-based statements (COPY and one UPDATE
    per batch), so defaults live in the database (`db_default`)."""

    meter = models.ForeignKey(Meter, on_delete=models.CASCADE, related_name="readings")
    start = models.DateTimeField()
    end = models.DateTimeField()
    value = quantity_field()
    estimated = models.BooleanField(db_default=False)
    # Cumulative meters: the register at start and end (value = end − start, or end after a
    # reset); null for interval meters.
    register_start = quantity_field(null=True, blank=True)
    register_end = quantity_field(null=True, blank=True)
    recorded_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["meter", "start"]
        constraints = [
            # Also the index of range queries: meter, then start.
            models.UniqueConstraint(fields=["meter", "start", "end"], name="reading_interval_key"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="reading_ordered"),
            models.CheckConstraint(condition=Q(value__gte=0), name="reading_value_non_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.meter_id} [{self.start} … {self.end}) {self.value}"


class ReadingCorrection(models.Model):
    """The value a reading had before a correction (PUT), with who made it and when."""

    reading = models.ForeignKey(Reading, on_delete=models.CASCADE, related_name="corrections")
    previous_value = quantity_field()
    previous_estimated = models.BooleanField()
    value = quantity_field()
    estimated = models.BooleanField()
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    corrected_via = models.CharField(max_length=TEXT_MAX_LENGTH)  # "user alice", "key ab12cd34"
    corrected_at = models.DateTimeField(db_default=Now())

    class Meta:
        ordering = ["reading", "corrected_at", "pk"]

    def __str__(self) -> str:
        return f"reading {self.reading_id}: {self.previous_value} → {self.value}"


class MeterMonth(models.Model):
    """What a meter's readings give in one calendar month (Asia/Shanghai), by time share."""

    meter = models.ForeignKey(Meter, on_delete=models.CASCADE, related_name="months")
    month = models.DateField()  # the first day
    value = quantity_field()
    estimated_value = quantity_field()
    # Plain integers, not Positive…: the roll-up adds signed deltas in one upsert, and
    # PostgreSQL checks a proposed row before it finds the conflict.
    covered_seconds = models.IntegerField()
    month_seconds = models.IntegerField()
    readings = models.IntegerField()

    class Meta:
        ordering = ["meter", "month"]
        constraints = [
            models.UniqueConstraint(fields=["meter", "month"], name="meter_month_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.meter_id} {self.month:%Y-%m}: {self.value}"


class MeterYearQuality(models.Model):
    """What an evaluation records of one meter's data quality over an inventory year (the
    score, and the coverage to six places rounded down), kept so that evaluating a factory
    with a year of readings does not read them all again. Computed from the readings by
    `emissions.metering_selectors` with `quality.assess` on first use; every change of the
    meter's readings deletes its rows (database triggers, migration 0012). `method` is the
    version of the quality rules a row was computed with: a row of another is computed again.
    `report` is the rest of what the metering endpoints show of the quality (the exact
    coverage, the findings), as JSON text (`metering_selectors._Report`)."""

    meter = models.ForeignKey(Meter, on_delete=models.CASCADE, related_name="year_qualities")
    year = models.IntegerField()
    method = models.IntegerField()
    coverage = models.DecimalField(max_digits=7, decimal_places=6)
    score = models.SmallIntegerField()
    report = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meter", "year"], name="meter_year_quality_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.meter_id} {self.year}: {self.score}"
