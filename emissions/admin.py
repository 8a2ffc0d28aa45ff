"""Django admin for the emissions app. Factor sets: admins draft a new version (copied from an
existing one), edit its values, then publish it; a published set is read-only here and frozen
in the database below."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet, URLField
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from emissions.accounting.errors import AccountingError
from emissions.accounting.library import factor_set_from_dict
from emissions.factor_library import document_of, store_document
from emissions.identifiers import canonical_identity
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
    Registry,
    RegistryAlias,
    SerialClaim,
)
from emissions.services.inventory import alias_conflicts, rekey_registry_claims
from zerocarbon.errors import Conflict


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

    @admin.action(description=gettext_lazy("Draft a new version from the selected set"))
    def draft_copy(self, request: HttpRequest, queryset: QuerySet[FactorSet]) -> None:
        for factor_set in queryset:
            document = document_of(factor_set)
            document["version"] = f"{factor_set.version}-draft-{timezone.now():%Y%m%d%H%M%S}"
            with transaction.atomic():
                draft = store_document(lambda name: _models[name], document, publish=False)
            message = _("Drafted {version}; rename and edit it, then publish.")
            self.message_user(request, message.format(version=draft.version))

    @admin.action(description=gettext_lazy("Publish (freezes the set for ever)"))
    def publish(self, request: HttpRequest, queryset: QuerySet[FactorSet]) -> None:
        for factor_set in queryset.filter(status=FactorSet.Status.DRAFT):
            try:
                factor_set_from_dict(document_of(factor_set))  # the kernel must accept it
            except AccountingError as error:
                message = _("{version} not published: {error}")
                message = message.format(version=factor_set.version, error=error)
                self.message_user(request, message, messages.ERROR)
                continue
            factor_set.status, factor_set.published_at = FactorSet.Status.PUBLISHED, timezone.now()
            factor_set.save()
            self.message_user(request, _("Published {version}.").format(version=factor_set.version))


_models: dict[str, Any] = {
    model.__name__: model
    for model in (FactorSet, FactorSetFuel, FactorSetGridFactor, FactorSetGwp, FactorSetGasAlias,
                  FactorSetBlendComponent)
}  # fmt: skip


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):  # type: ignore[misc]
    """The audit trail in the admin, read only: simple-history's history pages without its
    revert (the button hidden and the form's POST refused; the historical rows themselves
    are registered nowhere, so nobody edits or deletes them)."""

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: Any = None
    ) -> HttpResponse:
        if request.method != "GET":
            raise PermissionDenied
        response: HttpResponse = super().history_form_view(
            request, object_id, version_id, extra_context
        )
        return response


@admin.register(Factory)
class FactoryAdmin(ReadOnlyHistoryAdmin, admin.ModelAdmin[Factory]):
    list_display = ["name", "credit_code", "province", "grid_region", "organisation"]
    list_filter = ["grid_region", "organisation"]
    search_fields = ["name", "name_en", "credit_code"]


class EnergyInline(admin.TabularInline):  # type: ignore[type-arg]
    model = EnergyRecord
    extra = 0


@admin.register(Inventory)
class InventoryAdmin(ReadOnlyHistoryAdmin, admin.ModelAdmin[Inventory]):
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
class InstrumentAdmin(ReadOnlyHistoryAdmin, admin.ModelAdmin[Any]):
    list_display = ["instrument", "registry", "serial_from", "serial_to", "inventory"]
    search_fields = ["serial_from", "serial_to", "registry"]


@admin.register(SerialClaim)
class SerialClaimAdmin(admin.ModelAdmin[SerialClaim]):
    list_display = ["instrument", "registry", "prefix", "start_key", "end_key", "created_at"]
    search_fields = ["prefix", "registry"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class RegistryAliasFormSet(forms.BaseInlineFormSet):  # type: ignore[type-arg]
    """New aliases must name no other registry, and must not merge two claims of the same
    certificates (compared in canonical form)."""

    def clean(self) -> None:
        super().clean()
        registry: Registry = self.instance
        new_keys: set[str] = set()
        for form in self.forms:
            alias = form.cleaned_data.get("alias") if form.has_changed() else None
            if not alias:
                continue
            key = canonical_identity(alias)
            taken = Registry.objects.filter(key=key).exclude(pk=registry.pk).first() or (
                RegistryAlias.objects.filter(key=key).select_related("registry").first()
            )
            if taken is not None or key in new_keys:
                message = _("'{alias}' already names {taken}.")
                form.add_error(
                    "alias", message.format(alias=alias, taken=taken or _("another alias"))
                )
            new_keys.add(key)
        if registry.pk and new_keys:
            conflicts = alias_conflicts(registry.key, new_keys)
            if conflicts:
                raise forms.ValidationError(
                    [_("These certificates are already claimed under both names:"), *conflicts]
                )


class RegistryAliasInline(admin.TabularInline):  # type: ignore[type-arg]
    """Aliases are added, never changed or removed: a claim made under an alias stays keyed on
    its registry, and removing the alias would let the same certificates be claimed again."""

    model = RegistryAlias
    formset = RegistryAliasFormSet
    extra = 1
    readonly_fields = ["key"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Registry)
class RegistryAdmin(admin.ModelAdmin[Registry]):
    list_display = ["name", "key", "instruments", "website"]
    search_fields = ["name", "aliases__alias"]
    inlines = [RegistryAliasInline]
    formfield_overrides = {URLField: {"assume_scheme": "https"}}

    def get_readonly_fields(self, request: HttpRequest, obj: Registry | None = None) -> list[str]:
        # The name is the claim key: renaming would orphan the claims made under it.
        return ["key", "name"] if obj is not None else ["key"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        try:
            moved = rekey_registry_claims(form.instance)
        except Conflict as error:  # a claim raced in since the form was checked
            transaction.set_rollback(True)
            self.message_user(request, error.message, messages.ERROR)
            return
        if moved:
            message = _("{moved} claims made under the new aliases now count for {registry}.")
            self.message_user(request, message.format(moved=moved, registry=form.instance))
