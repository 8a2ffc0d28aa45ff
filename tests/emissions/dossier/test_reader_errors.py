"""Every kind of invalid dossier is rejected, each error naming its JSON path and the problem."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from emissions.dossier import DossierError
from emissions.dossier.errors import escaped_pointer, pointer

from .support import DELETE, edited, errors_of, example

GEC = {
    "instrument": "GEC",
    "registry": "中国绿证",
    "serial_from": "GEC2023000105001",
    "serial_to": "GEC2023000110000",
    "quantity_mwh": "5000",
    "vintage": 2023,
}
GREEN_POWER = {
    "instrument": "GREEN_POWER",
    "registry": "北京电力交易中心",
    "contract_ref": "BJ-2023-001",
    "quantity_mwh": "500",
    "vintage": 2023,
}
STEAM = {"carrier": "purchased_steam", "quantity": "100", "unit": "t"}
ELEVEN_MONTHS = ["7"] * 11


@dataclass(frozen=True)
class Case:
    name: str
    edits: dict[str, Any]
    path: str
    fragment: str


CASES = [
    # Schema: keys, types, required fields, enums, non-negative numbers.
    Case(
        "the schema is another version",
        {"/schema": "zerocarbon.dossier/2"},
        "/schema",
        'expected exactly "zerocarbon.dossier/1"',
    ),
    Case(
        "an unknown key at the top level",
        {"/emissions": []},
        "/emissions",
        "unknown key 'emissions'; allowed keys here: schema, factory",
    ),
    Case(
        "an unknown key in an energy line",
        {"/energy/1/unitt": "MWh"},
        "/energy/1/unitt",
        "unknown key 'unitt'",
    ),
    Case(
        "an unknown key in the factory",
        {"/factory/phone": "1"},
        "/factory/phone",
        "unknown key 'phone'",
    ),
    Case(
        "a required field is missing",
        {"/factory/name": DELETE},
        "/factory/name",
        "missing required field 'name'",
    ),
    Case(
        "the factory is missing",
        {"/factory": DELETE},
        "/factory",
        "missing required field 'factory'",
    ),
    Case(
        "the province is a number",
        {"/factory/province": 32},
        "/factory/province",
        "expected a string, got 32",
    ),
    Case(
        "an energy line is a string",
        {"/energy/0": "grid"},
        "/energy/0",
        'expected a group of named fields (an object), got "grid"',
    ),
    Case(
        "a negative certificate quantity",
        {"/green_electricity/0/quantity_mwh": "-8000"},
        "/green_electricity/0/quantity_mwh",
        "negative value -8000",
    ),
    Case(
        "the energy list is missing",
        {"/energy": DELETE},
        "/energy",
        "missing required field 'energy'",
    ),
    Case(
        "a credit has no serial_to",
        {"/credits/0/serial_to": DELETE},
        "/credits/0/serial_to",
        "missing required field 'serial_to'",
    ),
    Case("the year is a string", {"/year": "2023"}, "/year", 'expected an integer, got "2023"'),
    Case(
        "the energy section is an object",
        {"/energy": {}},
        "/energy",
        "expected a list, got an object",
    ),
    Case(
        "a quantity is a boolean",
        {"/energy/0/quantity": True},
        "/energy/0/quantity",
        "expected a number such as 12.5, with a point before the decimals",
    ),
    Case(
        "a quantity is not a decimal",
        {"/energy/0/quantity": "12,5"},
        "/energy/0/quantity",
        '"12,5" is not a decimal number',
    ),
    Case(
        "a quantity is negative (string)",
        {"/energy/0/quantity": "-5"},
        "/energy/0/quantity",
        "negative value -5 is not allowed; expected a number ≥ 0",
    ),
    Case(
        "a quantity is negative (number)",
        {"/energy/3/quantity": Decimal("-1.5")},
        "/energy/3/quantity",
        "negative value -1.5 is not allowed",
    ),
    Case(
        "the production output is negative",
        {"/production/output": -1},
        "/production/output",
        "negative value -1",
    ),
    Case(
        "the gates are a list",
        {"/gates": []},
        "/gates",
        "expected a group of named fields (an object), got a list",
    ),
    Case(
        "verified is not a boolean",
        {"/reduction_measures/0/verified": "yes"},
        "/reduction_measures/0/verified",
        "expected true or false",
    ),
    Case("the factory name is empty", {"/factory/name": ""}, "/factory/name", "must not be empty"),
    Case("the year is before 2000", {"/year": 1999}, "/year", "expected at least 2000"),
    Case(
        "an unknown boundary",
        {"/boundary": "III"},
        "/boundary",
        'unknown boundary "III"; expected one of I, II',
    ),
    Case("an unknown GWP set", {"/gwp_set": "AR3"}, "/gwp_set", "expected one of AR4, AR5, AR6"),
    Case(
        "an unknown grid factor scope",
        {"/grid_factor_scope": "city"},
        "/grid_factor_scope",
        "expected one of national, regional, provincial",
    ),
    Case(
        "an unknown green instrument",
        {"/green_electricity/0/instrument": "REC"},
        "/green_electricity/0/instrument",
        'unknown instrument "REC"; expected one of GEC',
    ),
    Case(
        "an unknown credit instrument",
        {"/credits/0/instrument": "GS"},
        "/credits/0/instrument",
        "expected one of CCER, CER, VCU, GS-VER, CN-FOREST",
    ),
    Case(
        "an unknown credit kind",
        {"/credits/0/kind": "sink"},
        "/credits/0/kind",
        'unknown kind "sink"; expected one of avoidance, removal',
    ),
    Case(
        "a scope 3 category 5",
        {"/scope3/0/category": 5},
        "/scope3/0/category",
        "unknown category 5; expected one of 3, 4",
    ),
    Case(
        "monthly values with 11 values",
        {"/energy/2/monthly": ELEVEN_MONTHS},
        "/energy/2/monthly",
        "expected exactly 12 values, got 11",
    ),
    # Factory and period.
    Case(
        "a credit code with a wrong check digit",
        {"/factory/credit_code": "91320594MA1EXAMPL3"},
        "/factory/credit_code",
        "check digit expected '2', got '3'",
    ),
    Case(
        "a credit code with a letter I",
        {"/factory/credit_code": "91320594MAIEXAMPL2"},
        "/factory/credit_code",
        "character 'I' at position 11",
    ),
    Case(
        "a credit code that is too short",
        {"/factory/credit_code": "9132"},
        "/factory/credit_code",
        "must have 18 characters, got 4",
    ),
    Case(
        "an unknown province",
        {"/factory/province": "火星"},
        "/factory/province",
        "unknown province '火星'",
    ),
    Case(
        "a year after the evaluation date",
        {"/year": 2031},
        "/year",
        "year 2031 is after the evaluation date's year 2025",
    ),
    Case(
        "a baseline after the period",
        {"/baseline/year": 2024},
        "/baseline/year",
        "year 2024 is after the dossier's year 2023",
    ),
    Case(
        "a measure implemented in the future",
        {"/reduction_measures/0/implemented_in": 2026},
        "/reduction_measures/0/implemented_in",
        "implemented_in 2026 is after the evaluation",
    ),
    Case(
        "a measure implemented implausibly early",
        {"/reduction_measures/0/implemented_in": 1900},
        "/reduction_measures/0/implemented_in",
        "expected at least 1950",
    ),
    # Energy.
    Case(
        "grid electricity in GJ",
        {"/energy/0/unit": "GJ"},
        "/energy/0/unit",
        "unit 'GJ' does not fit carrier grid electricity (grid_electricity); expected one of kWh",
    ),
    Case(
        "natural gas in tonnes",
        {"/energy/2/unit": "t"},
        "/energy/2/unit",
        "does not fit carrier natural gas (natural_gas); expected one of Nm3, 10^4 Nm3",
    ),
    Case(
        "an unknown unit",
        {"/energy/3/unit": "barrel"},
        "/energy/3/unit",
        "unit 'barrel' does not fit carrier diesel (diesel)",
    ),
    Case(
        "an unknown carrier",
        {"/energy/3/carrier": "biogas"},
        "/energy/3/carrier",
        "unknown carrier 'biogas'; expected one of grid_electricity",
    ),
    Case(
        "monthly values that do not sum to the quantity",
        {"/energy/2/monthly/0": "9.1"},
        "/energy/2/monthly",
        "monthly values sum to 87.0, quantity is 85",
    ),
    Case(
        "monthly values with a quantity of 0",
        {"/energy/2/quantity": "0"},
        "/energy/2/monthly",
        "monthly values sum to 85.0, quantity is 0",
    ),
    Case(
        "steam without enthalpy",
        {"/energy/-": STEAM},
        "/energy/5/enthalpy_kj_per_kg",
        "purchased steam (purchased_steam) needs enthalpy_kj_per_kg",
    ),
    Case(
        "steam at the feed water's enthalpy",
        {"/energy/-": {**STEAM, "enthalpy_kj_per_kg": "83.74"}},
        "/energy/5/enthalpy_kj_per_kg",
        "enthalpy 83.74 kJ/kg is not above the feed water's 83.74 kJ/kg",
    ),
    Case(
        "steam in GJ",
        {"/energy/-": {**STEAM, "unit": "GJ", "enthalpy_kj_per_kg": "2800"}},
        "/energy/5/unit",
        "expected one of t, kg",
    ),
    Case(
        "an enthalpy on heat",
        {"/energy/4/enthalpy_kj_per_kg": "2800"},
        "/energy/4/enthalpy_kj_per_kg",
        "only for purchased steam (purchased_steam), not for purchased heat (purchased_heat)",
    ),
    # Gases and scope 3.
    Case(
        "an unknown refrigerant",
        {"/refrigerants/0/gas": "R-999"},
        "/refrigerants/0/gas",
        "unknown gas 'R-999'",
    ),
    Case(
        "a process gas in an energy unit",
        {"/process_emissions/0/unit": "GJ"},
        "/process_emissions/0/unit",
        "unit 'GJ' is not a unit of mass",
    ),
    Case(
        "scope 3 with both tco2e and quantity",
        {"/scope3/0/quantity": "10"},
        "/scope3/0",
        "both tco2e and quantity given; expected either tco2e or",
    ),
    Case(
        "scope 3 with neither tco2e nor quantity",
        {"/scope3/0/tco2e": DELETE},
        "/scope3/0",
        "expected tco2e, or all of quantity, unit, factor_tco2e_per_unit and",
    ),
    Case(
        "scope 3 without a factor source",
        {"/scope3/1/factor_source": DELETE},
        "/scope3/1/factor_source",
        "missing factor_source",
    ),
    # Instruments.
    Case(
        "a serial range that holds more than the quantity",
        {"/green_electricity/0/quantity_mwh": "7999"},
        "/green_electricity/0/quantity_mwh",
        "quantity_mwh is 7999 but the serial range holds 8000 (1 certificate = 1 MWh)",
    ),
    Case(
        "a credit range that holds more than the quantity",
        {"/credits/0/quantity_tco2e": 1000},
        "/credits/0/quantity_tco2e",
        "holds 1468 (1 credit = 1 tCO2e)",
    ),
    Case(
        "a fractional quantity with serials",
        {"/green_electricity/0/quantity_mwh": "8000.5"},
        "/green_electricity/0/quantity_mwh",
        "8000.5 is not a whole number",
    ),
    Case(
        "the same range twice",
        {
            "/green_electricity/-": {
                **GEC,
                "serial_from": "GEC2023000100001",
                "serial_to": "GEC2023000108000",
                "quantity_mwh": "8000",
            }
        },
        "/green_electricity/1/serial_from",
        "serial range overlaps /green_electricity/0",
    ),
    Case(
        "an overlapping range",
        {"/green_electricity/-": GEC},
        "/green_electricity/1/serial_from",
        "overlaps /green_electricity/0 (same instrument GEC",
    ),
    Case(
        "a serial without a number",
        {"/green_electricity/0/serial_to": "GEC-END"},
        "/green_electricity/0/serial_to",
        "does not end in a decimal number",
    ),
    Case(
        "serials with different prefixes",
        {"/credits/0/serial_to": "CCER-0009-2023-001468"},
        "/credits/0/serial_to",
        "have different prefixes",
    ),
    Case(
        "a serial range running backwards",
        {"/credits/0/serial_from": "CCER-0001-2023-002000"},
        "/credits/0/serial_to",
        "expected serial_from ≤ serial_to",
    ),
    Case(
        "a GEC without serial_from",
        {"/green_electricity/0/serial_from": DELETE},
        "/green_electricity/0/serial_from",
        "GEC needs serial_from and serial_to",
    ),
    Case(
        "a GEC with a contract",
        {"/green_electricity/0/contract_ref": "X-1"},
        "/green_electricity/0/contract_ref",
        "contract_ref is only for GREEN_POWER",
    ),
    Case(
        "a green-power contract without contract_ref",
        {"/green_electricity/-": {**GREEN_POWER, "contract_ref": DELETE}},
        "/green_electricity/1/contract_ref",
        "GREEN_POWER needs contract_ref",
    ),
    Case(
        "a green-power contract with serials",
        {"/green_electricity/-": {**GREEN_POWER, "serial_from": "A1"}},
        "/green_electricity/1/serial_from",
        "serial_from is not used for GREEN_POWER",
    ),
    Case(
        "a repeated contract_ref",
        {"/green_electricity/1": GREEN_POWER, "/green_electricity/2": GREEN_POWER},
        "/green_electricity/2/contract_ref",
        "contract_ref 'BJ-2023-001' repeats /green_electricity/1 in registry '北京电力交易中心'",
    ),
    Case(
        "an impossible retirement date",
        {"/credits/0/retired_on": "2024-02-30"},
        "/credits/0/retired_on",
        "retired_on '2024-02-30' is not a valid date",
    ),
    Case(
        "a retirement date in compact form",
        {"/credits/0/retired_on": "20240315"},
        "/credits/0/retired_on",
        "expected an ISO date YYYY-MM-DD",
    ),
]


def _prepared(case: Case) -> dict[str, Any]:
    edits = {
        pointer: {k: v for k, v in value.items() if v is not DELETE}
        if isinstance(value, dict)
        else value
        for pointer, value in case.edits.items()
    }
    return edited(example(), edits)


def test_the_table_holds_at_least_twenty_kinds_of_invalid_dossier() -> None:
    assert len({case.name for case in CASES}) == len(CASES) >= 20


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_an_invalid_dossier_is_rejected_with_one_error_at_the_path_saying_what_is_wrong(
    case: Case,
) -> None:
    errors = errors_of(_prepared(case))
    assert [error.path for error in errors] == [case.path], errors
    assert case.fragment in errors[0].message


def test_every_error_is_reported_at_once_sorted_by_path_with_indices_in_numeric_order() -> None:
    data = edited(example(), {"/energy/0/unit": "GJ", "/year": 2031, "/factory/phone": "1"})
    data["energy"] += [{"carrier": "diesel", "quantity": "1", "unit": "t"}] * 6
    data["energy"].append({"carrier": "diesel", "quantity": "-1", "unit": "t"})
    errors = errors_of(data)
    assert [error.path for error in errors] == [
        "/energy/0/unit",
        "/energy/11/quantity",
        "/factory/phone",
        "/year",
    ]


def test_a_field_with_a_schema_error_is_not_checked_again_by_the_semantic_rules() -> None:
    data = edited(example(), {"/energy/2/quantity": "lots", "/energy/0/carrier": 7})
    errors = errors_of(data)
    assert [error.path for error in errors] == ["/energy/0/carrier", "/energy/2/quantity"]


def test_a_dossier_that_is_not_an_object_is_one_error_at_the_root() -> None:
    expected = DossierError("", "expected a group of named fields (an object), got a list")
    assert errors_of(["schema"]) == [expected]


def test_a_monthly_value_with_a_comma_is_explained_without_mentioning_json() -> None:
    errors = errors_of(edited(example(), {"/energy/2/monthly/0": "7,0"}))
    assert [error.path for error in errors] == ["/energy/2/monthly/0"]
    assert errors[0].message.startswith('"7,0" is not a decimal number; expected a number such')
    assert "JSON" not in errors[0].message


def test_a_unit_error_names_the_fuel_by_the_factor_sets_chinese_name_on_a_chinese_page() -> None:
    with translation.override("zh-hans"):
        errors = errors_of(edited(example(), {"/energy/2/unit": "t"}))
    assert [error.path for error in errors] == ["/energy/2/unit"]
    assert "天然气 (natural_gas)" in errors[0].message


def test_an_error_prints_as_its_path_and_message() -> None:
    assert str(DossierError("", "x")) == "/: x"
    assert str(DossierError("/year", "y")) == "/year: y"


@given(st.lists(st.text() | st.integers(min_value=0), max_size=5))
def test_a_pointer_is_its_parts_escaped(parts: list[str | int]) -> None:
    """`pointer` joins parts without escaping when none needs it; the escape is the rule."""
    assert pointer(*parts) == escaped_pointer(tuple(parts))


@pytest.mark.parametrize(
    ("parts", "expected"),
    [((), ""), (("energy", 2, "unit"), "/energy/2/unit"), (("a/b", "~c", ""), "/a~1b/~0c/")],
)
def test_a_pointer_escapes_a_slash_and_a_tilde(parts: tuple[str | int, ...], expected: str) -> None:
    assert pointer(*parts) == expected
