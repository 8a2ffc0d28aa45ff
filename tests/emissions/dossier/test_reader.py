"""Reading valid dossiers: the normalised document and the kernel's inventory."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from emissions.accounting.inputs import EnergyLine, FactoryIdentity
from emissions.dossier.context import to_decimal
from emissions.dossier.writer import document_to_json

from .support import DELETE, EXAMPLE_NAMES, default_factors, edited, errors_of, example, read

CCER = {
    "instrument": "CCER",
    "serial_from": "CCER-0001-2023-000001",
    "serial_to": "CCER-0001-2023-000010",
    "quantity_tco2e": "10",
    "kind": "removal",
}


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_each_worked_example_reads_cleanly(name: str) -> None:
    result = read(example(name))
    assert result.rubric_code == "T/CECA-G 0171-2022"
    assert result.gates_raw == {"G1": True, "G2": True}
    assert result.answers_raw["PRD-2"] == {"share": "0.7", "third_party_verified": True}
    assert result.inventory.year == 2023
    assert result.inventory.boundary == "I"
    assert [line.path for line in result.inventory.energy] == [f"/energy/{i}" for i in range(5)]


def test_the_inventory_carries_every_line_with_its_path_and_decimal_values() -> None:
    inventory = read(example()).inventory
    assert inventory.factory == FactoryIdentity(
        name=example()["factory"]["name"],
        credit_code="91320594MA1EXAMPL2",
        province="江苏",
        name_en="Example Precision Manufacturing (Suzhou) Co., Ltd.",
    )
    assert inventory.energy[2] == EnergyLine("natural_gas", Decimal("85"), "10^4 Nm3", "/energy/2")
    assert inventory.process_emissions[0].source == "焊接保护气"
    assert inventory.refrigerants[0].path == "/refrigerants/0"
    assert inventory.scope3[1].factor_tco2e_per_unit == Decimal("1.9")
    assert inventory.scope3[0].tco2e == Decimal("420.5")
    assert inventory.production is not None
    assert inventory.production.unit == "台"
    assert inventory.baseline is not None
    assert inventory.baseline.year == 2020
    assert inventory.reduction_measures[0].verified is True
    assert inventory.green_electricity[0].quantity_mwh == Decimal("8000")
    assert inventory.credits[0].retired_on == date(2024, 3, 15)
    assert inventory.credits[0].path == "/credits/0"


def test_the_document_has_decimals_dates_and_the_spec_key_order() -> None:
    document = read(example()).document
    assert list(document) == list(example())
    assert document["energy"][2]["monthly"][0] == Decimal("7.1")
    assert document["credits"][0]["retired_on"] == date(2024, 3, 15)
    assert document["year"] == 2023


def test_defaults_are_filled_and_the_province_is_given_its_short_name() -> None:
    data = edited(
        example(),
        {
            "/rubric": DELETE,
            "/gwp_set": DELETE,
            "/grid_factor_scope": DELETE,
            "/factory/province": "江苏省",
        },
    )
    result = read(data)
    assert result.document["rubric"] == "T/CECA-G 0171-2022"
    assert result.document["gwp_set"] == "AR6"
    assert result.document["grid_factor_scope"] == "national"
    assert result.document["factory"]["province"] == "江苏"
    assert list(result.document)[:7] == [
        "schema", "factory", "year", "boundary", "rubric", "gwp_set", "grid_factor_scope"
    ]  # fmt: skip


def test_a_province_given_by_its_gb_t_2260_code_is_read() -> None:
    assert read(edited(example(), {"/factory/province": "320000"})).inventory.factory.province == (
        "江苏"
    )


def test_a_minimal_dossier_reads_with_empty_sections_and_no_answers() -> None:
    data = {
        key: example()[key] for key in ("schema", "factory", "year", "boundary", "energy", "gates")
    }
    result = read(data)
    assert result.answers_raw == {}
    assert result.inventory.production is None
    assert result.inventory.baseline is None
    assert result.inventory.credits == ()
    assert "answers" not in result.document


def test_json_floats_from_a_rest_client_become_exact_decimals() -> None:
    data = json.loads(json.dumps(example(), default=str).replace('"12.4"', "12.4"))
    data["energy"][0]["quantity"] = 12500.0
    data["energy"][1]["quantity"] = -0.0
    data["year"] = 2023.0
    data["answers"]["INF-2"] = 0.95
    data["answers"]["list"] = [0.5, "a"]
    data["green_electricity"][0]["quantity_mwh"] = Decimal("8000")
    result = read(data)
    assert result.inventory.energy[3].quantity == Decimal("12.4")
    assert result.inventory.energy[0].quantity == Decimal("12500.0")
    assert str(result.inventory.energy[1].quantity) == "0.0"
    assert result.inventory.year == 2023
    assert result.answers_raw["INF-2"] == Decimal("0.95")
    assert result.answers_raw["list"] == [Decimal("0.5"), "a"]
    assert result.inventory.green_electricity[0].quantity_mwh == Decimal("8000")
    assert '"quantity": "0.0"' in document_to_json(result.document)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), Decimal("NaN"), Decimal("Infinity")])
def test_a_number_that_is_not_finite_is_not_a_number(value: object) -> None:
    errors = errors_of(edited(example(), {"/energy/0/quantity": value}))
    assert [error.path for error in errors] == ["/energy/0/quantity"]
    assert "expected a number such as 12.5" in errors[0].message


@pytest.mark.parametrize(
    ("pointer", "value"),
    [
        ("/energy/0/quantity", Decimal("1E+40")),
        ("/energy/0/quantity", Decimal("1E-41")),
        ("/energy/0/quantity", 1e300),
        ("/energy/0/quantity", 10**41),
        ("/year", Decimal("1E+100000000")),
    ],
)
def test_a_number_too_large_or_too_fine_to_write_plainly_is_out_of_range(
    pointer: str, value: object
) -> None:
    errors = errors_of(edited(example(), {pointer: value}))
    assert [error.path for error in errors] == [pointer]
    assert "is out of range; expected at most 40 digits before and after" in errors[0].message


@pytest.mark.parametrize(
    "text", ["9" * 18 + "." + "1" * 12, "0." + "0" * 11 + "1", "123.1234567", "1" * 18 + ".5000000"]
)
def test_a_number_the_database_stores_exactly_reads_unchanged(text: str) -> None:
    for quantity in (Decimal(text), text):
        line = read(edited(example(), {"/energy/0/quantity": quantity})).inventory.energy[0]
        assert line.quantity == Decimal(text)
        assert format(line.quantity, "f") == text


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("1" * 19, "has 19 digits before the decimal point; at most 18 are supported"),
        ("0." + "0" * 12 + "1", "has 13 decimal places; at most 12 are stored exactly"),
        ("9" * 40 + "." + "1" * 40, "has 40 decimal places; at most 12"),
    ],
)
def test_a_number_the_database_cannot_store_exactly_is_refused_at_its_path(
    text: str, fragment: str
) -> None:
    for quantity in (Decimal(text), text):
        errors = errors_of(edited(example(), {"/energy/0/quantity": quantity}))
        assert [error.path for error in errors] == ["/energy/0/quantity"]
        assert fragment in errors[0].message


def test_only_numbers_convert_to_decimals() -> None:
    with pytest.raises(TypeError, match="not a number: None"):
        to_decimal(None)


def test_a_year_with_a_fraction_is_not_an_integer() -> None:
    errors = errors_of(edited(example(), {"/year": Decimal("2023.5")}))
    assert [(error.path, error.message) for error in errors] == [
        ("/year", "expected an integer, got 2023.5")
    ]


OTHER_VALID = {
    "an unretired credit": {"/credits/0/retired_on": DELETE},
    "a credit retired after the evaluation date": {"/credits/0/retired_on": "2026-01-01"},
    "an old credit vintage": {"/credits/0/vintage": 2010},
    "a wrong beneficiary": {"/credits/0/beneficiary": "别的公司"},
    "credits without evidence": {"/credits/0/evidence_ref": DELETE},
    "a certificate of another year": {"/green_electricity/0/vintage": 2021},
    "an instrument without registry or vintage": {
        "/green_electricity/0/registry": DELETE,
        "/green_electricity/0/vintage": DELETE,
    },
    "a type II dossier without scope 3": {"/boundary": "II", "/scope3": DELETE},
    "a type II dossier with an empty energy list": {"/boundary": "II", "/energy": []},
    "steam with its enthalpy": {
        "/energy/-": {
            "carrier": "purchased_steam",
            "quantity": "100",
            "unit": "kg",
            "enthalpy_kj_per_kg": "2800",
        }
    },
    "natural gas in Nm3 and diesel in kg": {"/energy/2/unit": "Nm3", "/energy/3/unit": "kg"},
    "heat in MWh, as heat meters show it": {"/energy/4/unit": "MWh"},
    "monthly values off by rounding within 0.1 %": {"/energy/2/monthly/0": "7.15"},
    "a zero quantity with zero months": {"/energy/2/quantity": 0, "/energy/2/monthly": [0] * 12},
    "a refrigerant by its alias in AR4": {"/refrigerants/0/gas": "R-32", "/gwp_set": "AR4"},
    "a green-power contract": {
        "/green_electricity/-": {
            "instrument": "GREEN_POWER",
            "contract_ref": "C-1",
            "quantity_mwh": 1,
        }
    },
    "the same contract in two registries": {
        "/green_electricity/1": {
            "instrument": "GREEN_POWER",
            "registry": "A",
            "contract_ref": "C-1",
            "quantity_mwh": 1,
        },
        "/green_electricity/2": {
            "instrument": "GREEN_POWER",
            "registry": "B",
            "contract_ref": "C-1",
            "quantity_mwh": 1,
        },
    },
    "the same serials with another instrument": {
        "/green_electricity/-": {**example()["green_electricity"][0], "instrument": "I-REC"}
    },
    "the same serials in another registry": {"/credits/-": {**CCER, "registry": "别的登记系统"}},
    "adjacent ranges": {
        "/credits/-": {
            **example()["credits"][0],
            "serial_from": "CCER-0001-2023-001469",
            "serial_to": "CCER-0001-2023-001469",
            "quantity_tco2e": 1,
        }
    },
    "a removal credit in CN-FOREST": {
        "/credits/0/instrument": "CN-FOREST",
        "/credits/0/kind": "removal",
    },
    "a scope 3 entry with a method only besides tco2e": {"/scope3/0/method": "spend-based"},
}


@pytest.mark.parametrize("edits", OTHER_VALID.values(), ids=list(OTHER_VALID))
def test_what_the_kernel_judges_or_the_rules_allow_is_not_a_reading_error(
    edits: dict[str, Any],
) -> None:
    read(edited(example(), edits))


def test_a_gwp_set_the_factor_set_lacks_is_an_error_and_gases_are_not_checked_against_it() -> None:
    factors = dataclasses.replace(default_factors(), gwp={"AR6": default_factors().gwp["AR6"]})
    errors = errors_of(edited(example(), {"/gwp_set": "AR5"}), factors)
    assert [error.path for error in errors] == ["/gwp_set"]
    assert "unknown GWP set 'AR5'" in errors[0].message


def test_a_gas_without_a_gwp_in_the_chosen_set_is_an_error() -> None:
    ar4 = {gas: gwp for gas, gwp in default_factors().gwp["AR4"].items() if gas != "HFC-125"}
    factors = dataclasses.replace(default_factors(), gwp={**default_factors().gwp, "AR4": ar4})
    errors = errors_of(edited(example(), {"/gwp_set": "AR4"}), factors)
    assert [(error.path, error.message) for error in errors] == [
        ("/refrigerants/0/gas", "gas 'R-410A' has no GWP in set AR4 (missing HFC-125)")
    ]


def test_the_writer_output_of_a_read_dossier_reads_back_to_the_same_document() -> None:
    document = read(example()).document
    assert read(json.loads(document_to_json(document))).document == document
