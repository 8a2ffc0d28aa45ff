"""The factor library as versioned data.

A factor set is drafted, then published; a published set never changes. That is enforced
below the admin: `save()`/`delete()` refuse it here, and database triggers (migration 0002)
refuse UPDATE and DELETE of a published set and of every row belonging to one, so neither a
queryset `.update()` nor raw SQL can alter a number that a stored result relied on.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

CONFIDENCE = [("confirmed", _("Confirmed")), ("likely", _("Likely")), ("derived", _("Derived"))]


def factor_field() -> models.DecimalField[Any, Any]:
    """A factor value: up to 10 integer digits and 8 decimals (GWP 25200, CC 0.01532)."""
    return models.DecimalField(max_digits=18, decimal_places=8)


class PublishedFactorSetIsFrozen(Exception):
    """Raised when code tries to change a published factor set or one of its values."""


class FactorSet(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    version = models.CharField(max_length=32, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    source_notes = models.TextField()
    heat_factor_tco2_per_gj = factor_field()
    heat_factor_confidence = models.CharField(max_length=16, choices=CONFIDENCE)
    heat_factor_source = models.CharField(max_length=400)
    gas_alias_source = models.CharField(max_length=400, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "version"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published"]), name="factor_set_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="factor_set_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} ({self.status})"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            stored = FactorSet.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == self.Status.PUBLISHED:
                raise PublishedFactorSetIsFrozen(
                    f"Factor set {self.version} is published and frozen."
                )
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.is_published:
            raise PublishedFactorSetIsFrozen(f"Factor set {self.version} is published and frozen.")
        return super().delete(*args, **kwargs)


class FactorValue(models.Model):
    """A value of a set: frozen with its set."""

    factor_set = models.ForeignKey(FactorSet, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} of factor set {self.factor_set_id}"

    def _refuse_if_published(self) -> None:
        if FactorSet.objects.filter(
            pk=self.factor_set_id, status=FactorSet.Status.PUBLISHED
        ).exists():
            raise PublishedFactorSetIsFrozen("Values of a published factor set never change.")

    def save(self, *args: Any, **kwargs: Any) -> None:
        self._refuse_if_published()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        self._refuse_if_published()
        return super().delete(*args, **kwargs)


class FactorSetFuel(FactorValue):
    factor_set = models.ForeignKey(FactorSet, on_delete=models.CASCADE, related_name="fuels")
    code = models.CharField(max_length=32)
    name_zh = models.CharField(max_length=32)
    unit = models.CharField(max_length=16)
    ncv_gj_per_unit = factor_field()
    carbon_content_tc_per_gj = factor_field()
    oxidation_fraction = factor_field()
    confidence = models.CharField(max_length=16, choices=CONFIDENCE)
    source = models.CharField(max_length=400)

    class Meta:
        ordering = ["factor_set", "code"]
        constraints = [
            models.UniqueConstraint(fields=["factor_set", "code"], name="fuel_unique_per_set")
        ]


class FactorSetGridFactor(FactorValue):
    factor_set = models.ForeignKey(FactorSet, on_delete=models.CASCADE, related_name="grid_factors")
    scope = models.CharField(
        max_length=16,
        choices=[
            ("national", _("National")),
            ("regional", _("Regional")),
            ("provincial", _("Provincial")),
        ],
    )
    area = models.CharField(max_length=16, blank=True)
    year = models.PositiveSmallIntegerField()
    kind = models.CharField(
        max_length=16, choices=[("location", _("Location-based")), ("residual", _("Residual mix"))]
    )
    value_tco2_per_mwh = factor_field()
    confidence = models.CharField(max_length=16, choices=CONFIDENCE)
    source = models.CharField(max_length=400)

    class Meta:
        ordering = ["factor_set", "scope", "area", "year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["factor_set", "scope", "area", "year", "kind"],
                name="grid_factor_unique_per_set",
            )
        ]


class FactorSetGwp(FactorValue):
    factor_set = models.ForeignKey(FactorSet, on_delete=models.CASCADE, related_name="gwp_values")
    gwp_set = models.CharField(max_length=8)
    gas = models.CharField(max_length=16)
    value = factor_field()
    confidence = models.CharField(max_length=16, choices=CONFIDENCE)
    source = models.CharField(max_length=400)

    class Meta:
        ordering = ["factor_set", "gwp_set", "gas"]
        constraints = [
            models.UniqueConstraint(
                fields=["factor_set", "gwp_set", "gas"], name="gwp_unique_per_set"
            )
        ]


class FactorSetGasAlias(FactorValue):
    factor_set = models.ForeignKey(FactorSet, on_delete=models.CASCADE, related_name="gas_aliases")
    alias = models.CharField(max_length=16)
    gas = models.CharField(max_length=16)

    class Meta:
        ordering = ["factor_set", "alias"]
        constraints = [
            models.UniqueConstraint(fields=["factor_set", "alias"], name="gas_alias_unique_per_set")
        ]


class FactorSetBlendComponent(FactorValue):
    factor_set = models.ForeignKey(
        FactorSet, on_delete=models.CASCADE, related_name="blend_components"
    )
    blend = models.CharField(max_length=16)
    gas = models.CharField(max_length=16)
    mass_fraction = factor_field()
    confidence = models.CharField(max_length=16, choices=CONFIDENCE)
    source = models.CharField(max_length=400)

    class Meta:
        ordering = ["factor_set", "blend", "gas"]
        constraints = [
            models.UniqueConstraint(
                fields=["factor_set", "blend", "gas"], name="blend_component_unique_per_set"
            )
        ]
