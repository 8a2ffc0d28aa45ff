"""Django admin for the emissions app. Factor sets: admins draft a new version (copied from an
existing one), edit its values, then publish it; a published set is read-only here and frozen
in the database below."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from emissions.accounting.errors import AccountingError
from emissions.accounting.library import factor_set_from_dict
from emissions.factor_library import document_of, store_document
from emissions.models import (
    CarbonCredit,
    EnergyRecord,
    FactorSet,
    FactorSetBlendComponent,
    FactorSetFuel,
    FactorSetGasAlias,
    FactorSetGridFactor,
    FactorSetGwp,
    Factory,
    GreenElectricityInstrument,
    Inventory,
    SerialClaim,
)


class FrozenWhenPublished(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None or not obj.is_published

    has_add_permission = has_delete_permission = has_change_permission


class FuelInline(FrozenWhenPublished):
    model = FactorSetFuel


class GridInline(FrozenWhenPublished):
    model = FactorSetGridFactor


class GwpInline(FrozenWhenPublished):
    model = FactorSetGwp


class AliasInline(FrozenWhenPublished):
    model = FactorSetGasAlias


class BlendInline(FrozenWhenPublished):
    model = FactorSetBlendComponent


@admin.register(FactorSet)
class FactorSetAdmin(admin.ModelAdmin[FactorSet]):
    list_display = ["version", "status", "published_at", "created_at"]
    list_filter = ["status"]
    inlines = [FuelInline, GridInline, GwpInline, AliasInline, BlendInline]
    actions = ["draft_copy", "publish"]

    def get_readonly_fields(self, request: HttpRequest, obj: FactorSet | None = None) -> list[str]:
        if obj is not None and obj.is_published:
            return [f.name for f in FactorSet._meta.fields]
        return ["status", "published_at"]

    def has_delete_permission(self, request: HttpRequest, obj: FactorSet | None = None) -> bool:
        return obj is None or not obj.is_published

    @admin.action(description="Draft a new version from the selected set 复制为新草稿")
    def draft_copy(self, request: HttpRequest, queryset: QuerySet[FactorSet]) -> None:
        for factor_set in queryset:
            document = document_of(factor_set)
            document["version"] = f"{factor_set.version}-draft-{timezone.now():%Y%m%d%H%M%S}"
            with transaction.atomic():
                draft = store_document(lambda name: _models[name], document, publish=False)
            self.message_user(
                request, f"Drafted {draft.version}; rename and edit it, then publish."
            )

    @admin.action(description="Publish (freezes the set for ever) 发布")
    def publish(self, request: HttpRequest, queryset: QuerySet[FactorSet]) -> None:
        for factor_set in queryset.filter(status=FactorSet.Status.DRAFT):
            try:
                factor_set_from_dict(document_of(factor_set))  # the kernel must accept it
            except AccountingError as error:
                self.message_user(
                    request, f"{factor_set.version} not published: {error}", messages.ERROR
                )
                continue
            factor_set.status, factor_set.published_at = FactorSet.Status.PUBLISHED, timezone.now()
            factor_set.save()
            self.message_user(request, f"Published {factor_set.version}.")


_models: dict[str, Any] = {
    model.__name__: model
    for model in (FactorSet, FactorSetFuel, FactorSetGridFactor, FactorSetGwp, FactorSetGasAlias,
                  FactorSetBlendComponent)
}  # fmt: skip


@admin.register(Factory)
class FactoryAdmin(admin.ModelAdmin[Factory]):
    list_display = ["name", "credit_code", "province", "grid_region", "organisation"]
    list_filter = ["grid_region", "organisation"]
    search_fields = ["name", "name_en", "credit_code"]


class EnergyInline(admin.TabularInline):  # type: ignore[type-arg]
    model = EnergyRecord
    extra = 0


@admin.register(Inventory)
class InventoryAdmin(admin.ModelAdmin[Inventory]):
    list_display = [
        "factory",
        "year",
        "boundary",
        "gwp_set",
        "grid_factor_scope",
        "factor_set",
        "status",
    ]
    list_filter = ["year", "boundary", "status"]
    search_fields = ["factory__name", "factory__credit_code"]
    inlines = [EnergyInline]


@admin.register(GreenElectricityInstrument, CarbonCredit)
class InstrumentAdmin(admin.ModelAdmin[Any]):
    list_display = ["instrument", "registry", "serial_from", "serial_to", "inventory"]
    search_fields = ["serial_from", "serial_to", "registry"]


@admin.register(SerialClaim)
class SerialClaimAdmin(admin.ModelAdmin[SerialClaim]):
    list_display = ["instrument", "registry", "prefix", "start_key", "end_key", "created_at"]
    search_fields = ["prefix", "registry"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
