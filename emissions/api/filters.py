"""Query filters of the emissions resources (django-filter). A value that cannot be what the
filter compares (`?year=abc`, an unknown province) is a 400 naming the parameter
(zerocarbon.query_params.FilterBackend), never an empty list or a server error."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms

from emissions.accounting.errors import UnknownProvince
from emissions.accounting.regions import REGIONS, normalise_province
from emissions.models import Factory, Inventory

MAX_ID = 10**18 - 1  # zerocarbon.converters.ID_PATTERN: 1 to 18 digits
SMALLINT_MAX = 32767


class IdFilter(django_filters.NumberFilter):
    """A database id: a whole number of 1 to 18 digits (a longer one is no id, and the
    database is not asked about it)."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class YearFilter(django_filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, min_value=0, max_value=SMALLINT_MAX, **kwargs)


class ProvinceField(forms.CharField):
    """A province in any form the dossier accepts (江苏, 江苏省, 32), as stored (江苏)."""

    def clean(self, value: Any) -> str | None:
        text = super().clean(value)
        if not text:
            return None
        try:
            return normalise_province(text)
        except UnknownProvince as error:
            raise forms.ValidationError(str(error)) from None


class ProvinceFilter(django_filters.CharFilter):
    field_class = ProvinceField


class FactoryFilter(django_filters.FilterSet):
    province = ProvinceFilter(help_text="province by short name, full name or GB/T 2260 code")
    grid_region = django_filters.ChoiceFilter(choices=[(r, r) for r in REGIONS])
    credit_code = django_filters.CharFilter(help_text="unified social credit code, exactly")
    name = django_filters.CharFilter(
        lookup_expr="icontains", help_text="part of the name, any case"
    )

    class Meta:
        model = Factory
        fields = ["province", "grid_region", "credit_code", "name"]


class InventoryFilter(django_filters.FilterSet):
    factory = IdFilter(field_name="factory_id", help_text="id of the factory")
    year = YearFilter()
    boundary = django_filters.ChoiceFilter(choices=Inventory.Boundary.choices)
    status = django_filters.ChoiceFilter(
        choices=Inventory.Status.choices,
        help_text="locked: under evaluation or review, its data cannot change",
    )

    class Meta:
        model = Inventory
        fields = ["factory", "year", "boundary", "status"]


class LineFilter(django_filters.FilterSet):
    """The lines of one inventory (every model of lines has `inventory`)."""

    inventory = IdFilter(field_name="inventory_id", help_text="id of the inventory")
