"""Django admin for certificates: read-only. A certificate is issued and revoked through
reports.services (the `certificate` command for now, the review workflow later), so that its
number comes from the gapless sequence and a revocation always carries its reason."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from reports.models import Certificate, CertificateSequence, RenderedPdf


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["number", "factory_name", "star_level", "data_year", "status", "issued_on"]
    list_filter = ["status", "data_year", "boundary"]
    search_fields = ["number", "factory_name", "credit_code"]


@admin.register(CertificateSequence)
class CertificateSequenceAdmin(ReadOnlyAdmin):
    list_display = ["year", "last_number"]


@admin.register(RenderedPdf)
class RenderedPdfAdmin(ReadOnlyAdmin):
    list_display = ["pk", "kind", "language", "draft", "status", "evaluation", "created_at"]
    list_filter = ["kind", "language", "draft", "status"]
