from typing import Any

from django import forms
from django.contrib import admin
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from rest_framework_api_key.admin import APIKeyModelAdmin
from rest_framework_api_key.models import APIKey

from zerocarbon.accounts.models import ApiKey, ApiKeyFactory, Membership, Organisation


class MembershipInline(admin.TabularInline[Membership, Organisation]):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "slug", "kind", "created_at"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["user__username", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


class ApiKeyFactoryFormSet(
    BaseInlineFormSet[ApiKeyFactory, ApiKey, forms.ModelForm[ApiKeyFactory]]
):
    def clean(self) -> None:
        super().clean()
        for form in self.forms:
            factory = (getattr(form, "cleaned_data", None) or {}).get("factory")
            if factory is not None and factory.organisation_id != self.instance.organisation_id:
                raise forms.ValidationError(
                    f"Factory {factory.pk} belongs to another organisation than the key."
                )


class ApiKeyFactoryInline(admin.TabularInline[ApiKeyFactory, ApiKey]):
    model = ApiKeyFactory
    formset = ApiKeyFactoryFormSet
    extra = 0
    raw_id_fields = ["factory"]
    verbose_name_plural = "Limited to these factories (none: every factory of the organisation)"


# The library's own concrete APIKey is unused: keys are zerocarbon.accounts.ApiKey.
if admin.site.is_registered(APIKey):
    admin.site.unregister(APIKey)


@admin.register(ApiKey)
class ApiKeyAdmin(APIKeyModelAdmin):
    """Creating a key here shows it once, in a message (the library's admin)."""

    # The library's admin has no annotations: mypy takes its tuples' exact lengths as types.
    list_display = (  # type: ignore[assignment]
        "prefix",
        "name",
        "organisation",
        "read_only",
        "created",
        "last_used_at",
        "revoked",
        "revoked_at",
    )
    list_filter = ("revoked", "read_only", "organisation")  # type: ignore[assignment]
    search_fields = ("name", "prefix", "organisation__slug")  # type: ignore[assignment]
    inlines = [ApiKeyFactoryInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        fields = (*super().get_readonly_fields(request, obj), "last_used_at", "revoked_at")
        fields = (*fields, "created_by")
        return (*fields, "organisation") if obj is not None else fields

    def save_model(
        self, request: HttpRequest, obj: Any, form: Any = None, change: bool = False
    ) -> None:
        if not change and request.user.is_authenticated:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
