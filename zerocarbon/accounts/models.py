"""Organisations, memberships and roles: who may see and do what.

Every tenant-owned object hangs off an Organisation; the tenancy helper in `tenancy.py`
scopes every read by the actor's memberships, or by the organisation of the actor's API key.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey


class Organisation(models.Model):
    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        CONSULTANCY = "consultancy", _("Consultancy")
        CERTIFICATION_BODY = "certification_body", _("Certification body")

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    public_listing = models.BooleanField(
        _("List certificates publicly"),
        default=False,
        help_text=_("Show this organisation's valid certificates on the public list."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["enterprise", "consultancy", "certification_body"]),
                name="organisation_kind_valid",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def owns_factories(self) -> bool:
        return self.kind != self.Kind.CERTIFICATION_BODY


class Membership(models.Model):
    class Role(models.TextChoices):
        ADMIN = "admin", _("Admin")
        CONSULTANT = "consultant", _("Consultant")
        VIEWER = "viewer", _("Viewer")
        AUDITOR = "auditor", _("Auditor")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique"),
            models.CheckConstraint(
                condition=Q(role__in=["admin", "consultant", "viewer", "auditor"]),
                name="membership_role_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"


class Preferences(models.Model):
    """What a user chose for themselves, kept across browsers and sessions: for now the page
    language (empty: follow the browser). Read once at login into the session
    (zerocarbon/language.py), so that no page pays a query for it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="preferences",
    )
    language = models.CharField(max_length=16, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "preferences"
        verbose_name_plural = "preferences"

    def __str__(self) -> str:
        return f"preferences of user {self.user_id}"


class ApiKey(AbstractAPIKey):
    """A machine client's key: one organisation, optionally some of its factories, optionally
    read-only. Only a SHA-512 hash of the key is stored (the library's hasher, safe for a
    high-entropy random key); the key itself is shown once, when it is issued."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="api_keys"
    )
    # None listed means every factory of the organisation (zerocarbon.accounts.tenancy).
    factories: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        "emissions.Factory", through="ApiKeyFactory", blank=True, related_name="api_keys"
    )
    read_only = models.BooleanField(default=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta(AbstractAPIKey.Meta):
        verbose_name = "API key"
        verbose_name_plural = "API keys"
        constraints = [
            models.CheckConstraint(
                condition=Q(revoked=True) | Q(revoked_at__isnull=True),
                name="api_key_revoked_at_only_when_revoked",
            )
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        # However it is revoked (the page, the command, the Django admin), the time is kept.
        if self.revoked and self.revoked_at is None:
            self.revoked_at = timezone.now()
        super().save(*args, **kwargs)


class ApiKeyFactory(models.Model):
    """One factory a key is limited to. PROTECT, because deleting the last factory of a
    limited key would otherwise turn it silently into a key for every factory."""

    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="factory_limits")
    factory = models.ForeignKey("emissions.Factory", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "API key factory"
        constraints = [
            models.UniqueConstraint(fields=["api_key", "factory"], name="api_key_factory_unique")
        ]

    def __str__(self) -> str:
        return f"{self.api_key} → factory {self.factory_id}"
