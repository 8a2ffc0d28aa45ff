"""Registries of green-electricity certificates and carbon credits, with their aliases.

Reference data that platform admins maintain in the Django admin. A dossier names a registry
as free text; the platform resolves that text, compared in canonical form (NFKC, case-folded,
no white space or zero-width characters), to one of these registries, so two spellings of one
registry claim the same serial ranges. A name the table does not know is kept as its own
canonical text and named in the evaluation's warnings.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from emissions.identifiers import canonical_identity
from emissions.limits import TEXT_MAX_LENGTH


class Registry(models.Model):
    name = models.CharField(
        _("Name"),
        max_length=TEXT_MAX_LENGTH,
        unique=True,
        help_text="the registry's canonical name, as certificates and credits are claimed under",
    )
    key = models.CharField(max_length=TEXT_MAX_LENGTH, unique=True, editable=False)
    instruments = models.CharField(
        max_length=TEXT_MAX_LENGTH, blank=True, help_text="instruments it issues, e.g. GEC"
    )
    website = models.URLField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "registries"

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.key = canonical_identity(self.name)
        super().save(*args, **kwargs)


class RegistryAlias(models.Model):
    registry = models.ForeignKey(Registry, on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=TEXT_MAX_LENGTH)
    key = models.CharField(max_length=TEXT_MAX_LENGTH, unique=True, editable=False)

    class Meta:
        ordering = ["registry", "alias"]
        verbose_name_plural = "registry aliases"

    def __str__(self) -> str:
        return f"{self.alias} → {self.registry}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.key = canonical_identity(self.alias)
        super().save(*args, **kwargs)
