from __future__ import annotations

from typing import Any

from rest_framework import serializers

from emissions.models import Factory, Inventory


class FactorySerializer(serializers.ModelSerializer[Factory]):
    organisation: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = Factory
        fields = [
            "id",
            "organisation",
            "name",
            "name_en",
            "credit_code",
            "province",
            "grid_region",
            "industry",
            "address",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class InventorySerializer(serializers.ModelSerializer[Inventory]):
    factory = FactorySerializer(read_only=True)
    factor_set: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="version", read_only=True
    )

    class Meta:
        model = Inventory
        fields = [
            "id",
            "factory",
            "year",
            "boundary",
            "gwp_set",
            "grid_factor_scope",
            "factor_set",
            "status",
            "production_output",
            "production_unit",
            "baseline_year",
            "baseline_emissions_tco2e",
            "baseline_output",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields
