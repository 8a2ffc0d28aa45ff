"""Serializers of the emissions API: outputs with exact quantities, inputs that only parse.

An input serializer names the fields a write takes (from the dossier's JSON Schema) and hands
them to a service as given; the service checks them by the dossier's rules in the document
the write changes, and writes. Nothing here validates a value or writes a row.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from rest_framework import serializers

from emissions.api.fields import (
    BodyInput,
    ExactDecimalField,
    MonthlyField,
    definition_fields,
    schema_field,
    top_level_field,
)
from emissions.dossier.layout import SECTION_KEYS
from emissions.limits import dossier_schema
from emissions.models import (
    CarbonCredit,
    EnergyRecord,
    Factory,
    GreenElectricityInstrument,
    Inventory,
    ProcessEmission,
    ReductionMeasure,
    RefrigerantRecord,
    Scope3Entry,
)


class ExactModelSerializer(serializers.ModelSerializer[Any]):
    # Stored decimals served as exact JSON numbers (DRF's default is a string). A comment,
    # not a docstring: the schema would give it as every subclass's description.

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DecimalField: ExactDecimalField,
    }


class FactorySerializer(ExactModelSerializer):
    """A factory of one of your organisations."""

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


class InventorySerializer(ExactModelSerializer):
    """A factory's inventory for one year; `status` locked: under evaluation or review."""

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


def _line_fields(section: str) -> list[str]:
    return ["id", "inventory", "position", *SECTION_KEYS[section]]


class EnergyRecordSerializer(ExactModelSerializer):
    """An energy line: a carrier's yearly quantity (exact), optionally by month."""

    monthly = MonthlyField(help_text="twelve monthly values, January first; null when not given")

    class Meta:
        model = EnergyRecord
        fields = _line_fields("energy")
        read_only_fields = fields


class ProcessEmissionSerializer(ExactModelSerializer):
    """A process emission of a gas."""

    class Meta:
        model = ProcessEmission
        fields = _line_fields("process_emissions")
        read_only_fields = fields


class RefrigerantSerializer(ExactModelSerializer):
    """A refrigerant or other fugitive gas refilled."""

    class Meta:
        model = RefrigerantRecord
        fields = _line_fields("refrigerants")
        read_only_fields = fields


class Scope3EntrySerializer(ExactModelSerializer):
    """A scope 3 entry: tCO2e, or a quantity times a factor."""

    class Meta:
        model = Scope3Entry
        fields = _line_fields("scope3")
        read_only_fields = fields


class ReductionMeasureSerializer(ExactModelSerializer):
    """A reduction measure and the tCO2e it saves."""

    class Meta:
        model = ReductionMeasure
        fields = _line_fields("reduction_measures")
        read_only_fields = fields


class GreenInstrumentSerializer(ExactModelSerializer):
    """A green-electricity certificate range or green-power contract."""

    class Meta:
        model = GreenElectricityInstrument
        fields = _line_fields("green_electricity")
        read_only_fields = fields


class CreditSerializer(ExactModelSerializer):
    """A serial range of retired carbon credits."""

    class Meta:
        model = CarbonCredit
        fields = _line_fields("credits")
        read_only_fields = fields


# Inputs


class FactoryInput(BodyInput):
    """A factory as a dossier's `factory`, plus the organisation it belongs to."""

    ignored = BodyInput.ignored | {"grid_region"}

    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
        organisation = serializers.SlugField(
            required=False,
            help_text="slug of the organisation; needed only by someone in several (a key "
            "creates in its own); a factory never moves to another",
        )
        return {"organisation": organisation, **definition_fields("factory")}


_HEADER = ("year", "boundary", "gwp_set", "grid_factor_scope")


class InventoryInput(BodyInput):
    """An inventory's own fields, as the top of a dossier: `production_output` is the
    dossier's production.output, `baseline_year` its baseline.year."""

    ignored = BodyInput.ignored | {"status", "factor_set"}

    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
        defs = dossier_schema()["$defs"]
        fields: dict[str, serializers.Field] = {  # type: ignore[type-arg]
            "factory": serializers.IntegerField(
                required=False, help_text="id of the factory (on creation; it never changes)"
            ),
            **{key: top_level_field(key, required=key in ("year", "boundary")) for key in _HEADER},
        }
        for name in ("production", "baseline"):
            for key, spec in defs[name]["properties"].items():
                fields[f"{name}_{key}"] = schema_field(spec)
        return fields


class LineInput(BodyInput):
    """A line of an inventory, as an entry of its dossier section, plus the inventory."""

    definition: ClassVar[str]
    ignored = BodyInput.ignored | {"position"}

    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
        inventory = serializers.IntegerField(
            required=False, help_text="id of the inventory (on creation; it never changes)"
        )
        return {"inventory": inventory, **definition_fields(self.definition)}


class EnergyRecordInput(LineInput):
    definition = "energy"


class ProcessEmissionInput(LineInput):
    definition = "process_emission"


class RefrigerantInput(LineInput):
    definition = "refrigerant"


class Scope3EntryInput(LineInput):
    definition = "scope3"


class ReductionMeasureInput(LineInput):
    definition = "reduction_measure"


class GreenInstrumentInput(LineInput):
    definition = "green_instrument"


class CreditInput(LineInput):
    definition = "credit"
