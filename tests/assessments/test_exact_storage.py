"""What the reader accepts, the database stores exactly: every column is at least as wide as
the schema's limit for the field, and import → export gives back every digit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.db import models

from assessments.services.dossier import (
    DossierRejected,
    export_dossier,
    import_dossier,
    read_full_dossier,
)
from emissions import limits
from emissions.accounting.regions import PROVINCE_REGION
from emissions.dossier.layout import SECTION_KEYS
from emissions.identifiers import CREDIT_CODE_LENGTH
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
from tests.conftest import example
from zerocarbon.accounts.models import Organisation

AS_OF = date(2025, 6, 30)
MODELS: dict[str, type[models.Model]] = {
    "factory": Factory,
    "energy": EnergyRecord,
    "process_emissions": ProcessEmission,
    "refrigerants": RefrigerantRecord,
    "scope3": Scope3Entry,
    "reduction_measures": ReductionMeasure,
    "green_electricity": GreenElectricityInstrument,
    "credits": CarbonCredit,
}
_DEFS = dossier_schema()["$defs"]
_SECTION_DEF = {"energy": "energy", "process_emissions": "process_emission",
                "refrigerants": "refrigerant", "scope3": "scope3", "factory": "factory",
                "reduction_measures": "reduction_measure", "green_electricity": "green_instrument",
                "credits": "credit"}  # fmt: skip


def _field_schema(section: str, key: str) -> dict[str, Any]:
    node: dict[str, Any] = _DEFS[_SECTION_DEF[section]]["properties"][key]
    return _DEFS[node["$ref"].rsplit("/", 1)[1]] if "$ref" in node else node


FIELDS = [(s, k) for s in MODELS for k in SECTION_KEYS[s] if k not in ("monthly", "verified")]


# Fields a reading rule narrows below the schema's length: the credit code passes the GB 32100
# check only with exactly 18 characters; the province is stored as its short name.
NARROWED = {("factory", "credit_code"): CREDIT_CODE_LENGTH,
            ("factory", "province"): max(len(name) for name in PROVINCE_REGION)}  # fmt: skip


@pytest.mark.parametrize(("section", "key"), FIELDS, ids=[f"{s}.{k}" for s, k in FIELDS])
def test_every_column_holds_whatever_the_schema_accepts(section: str, key: str) -> None:
    field = MODELS[section]._meta.get_field(key)
    if (section, key) in NARROWED:
        assert isinstance(field, models.CharField)
        assert (field.max_length or 0) >= NARROWED[section, key]
        return
    schema = _field_schema(section, key)
    if isinstance(field, models.DecimalField):
        assert schema["decimalDigits"] == {
            "integer": field.max_digits - field.decimal_places,
            "fraction": field.decimal_places,
        }
    elif isinstance(field, models.CharField) and field.choices is None:
        assert "maxLength" in schema, f"{section}.{key} has no length limit in the schema"
        assert (field.max_length or 0) >= schema["maxLength"]
    elif isinstance(field, models.PositiveSmallIntegerField):
        assert schema.get("maximum", 0) <= 32767 or set(schema.get("enum", [])) <= {3, 4}


def test_the_limits_module_reads_the_schema() -> None:
    assert (limits.DECIMAL_INTEGER_DIGITS, limits.DECIMAL_FRACTION_DIGITS) == (18, 12)
    assert _DEFS["text"]["maxLength"] == limits.TEXT_MAX_LENGTH


EXACT = {
    "seven decimals": "123.1234567",
    "a tenth of a millionth": "0.0000001",
    "twelve decimals": "0.000000000001",
    "eighteen integer digits": "999999999999999999",
    "both limits at once": "999999999999999999.999999999999",
    "trailing zeros beyond twelve places": "12.50000000000000000",
}


@pytest.mark.postgres  # SQLite (quickstart) keeps decimals exact to 15 digits only
@pytest.mark.django_db
@pytest.mark.parametrize("text", EXACT.values(), ids=list(EXACT))
def test_import_then_export_gives_back_every_digit(
    orgs: dict[str, Organisation], text: str
) -> None:
    data = example("demo-dossier")
    data["energy"][4]["quantity"] = text  # purchased heat: no monthly values to sum
    data["production"]["output"] = text
    assessment = import_dossier(orgs["org-a"], data, as_of=AS_OF)
    exported = export_dossier(assessment)
    assert Decimal(exported["energy"][4]["quantity"]) == Decimal(text)
    assert Decimal(exported["production"]["output"]) == Decimal(text)
    assert (
        read_full_dossier(exported, as_of=AS_OF).read.document
        == read_full_dossier(data, as_of=AS_OF).read.document
    )
    stored = Inventory.objects.get().energy.get(position=4).quantity
    assert stored == Decimal(text)


@pytest.mark.django_db
def test_a_value_the_database_cannot_store_exactly_is_refused_and_nothing_is_written(
    orgs: dict[str, Organisation],
) -> None:
    data = example("demo-dossier")
    data["energy"][4]["quantity"] = "1.0000000000001"
    data["refrigerants"][0]["source"] = "s" * 201
    with pytest.raises(DossierRejected) as raised:
        import_dossier(orgs["org-a"], data, as_of=AS_OF)
    assert {error.path for error in raised.value.errors} == {
        "/energy/4/quantity",
        "/refrigerants/0/source",
    }
    assert not Inventory.objects.exists()
