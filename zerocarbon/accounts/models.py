"""Organisations, memberships and roles: who may see and do what.

Every tenant-owned object hangs off an Organisation; the tenancy helper in `tenancy.py`
scopes every read by the actor's memberships.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class Organisation(models.Model):
    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", "Enterprise 企业"
        CONSULTANCY = "consultancy", "Consultancy 咨询机构"
        CERTIFICATION_BODY = "certification_body", "Certification body 认证机构"

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=Kind.choices)
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
        ADMIN = "admin", "Admin 管理员"
        CONSULTANT = "consultant", "Consultant 咨询师"
        VIEWER = "viewer", "Viewer 只读"
        AUDITOR = "auditor", "Auditor 审核员"

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
