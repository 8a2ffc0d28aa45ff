from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from emissions.accounting.regions import REGIONS
from emissions.history import AuditTrail
from emissions.identifiers import credit_code_problem
from emissions.limits import CODE_MAX_LENGTH, NOTE_MAX_LENGTH, TEXT_MAX_LENGTH
from zerocarbon.accounts.models import Organisation


def validate_credit_code(value: str) -> None:
    """统一社会信用代码 with the GB 32100-2015 check digit."""
    problem = credit_code_problem(value)
    if problem:
        raise ValidationError(problem)


class Factory(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="factories"
    )
    name = models.CharField(_("Legal name"), max_length=TEXT_MAX_LENGTH)
    name_en = models.CharField(_("English name"), max_length=TEXT_MAX_LENGTH, blank=True)
    credit_code = models.CharField(
        _("Unified social credit code"), max_length=18, validators=[validate_credit_code]
    )
    province = models.CharField(_("Province"), max_length=16)
    grid_region = models.CharField(
        _("Grid region"), max_length=16, choices=[(r, r) for r in REGIONS], editable=False
    )
    industry = models.CharField(_("Industry code"), max_length=CODE_MAX_LENGTH, blank=True)
    address = models.CharField("地址 address", max_length=NOTE_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = AuditTrail()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "factories"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "credit_code"], name="factory_credit_code_unique_per_org"
            )
        ]

    def __str__(self) -> str:
        return self.name
