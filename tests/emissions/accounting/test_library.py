"""The default factor set CN-2025.1 holds exactly the spec's values, each with its source and
confidence, and the reader refuses malformed documents with a message naming the path."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from emissions.accounting.errors import MalformedFactorSet
from emissions.accounting.library import (
    DEFAULT_FACTOR_SET_PATH,
    factor_set_from_dict,
    load_default_factor_set,
    load_factor_set,
)

# emission-factors.md section 2: NCV, CC, OF and the check column NCV x CC x OF x 44/12.
# The check column says 3.171 for fuel oil, but its NCV, CC and OF give 3.17046 (3.170 when
# rounded); the spec says to compute from NCV x CC x OF x 44/12, so the kernel does (3.170).
FUELS = {
    "natural_gas": ("天然气", "10^4 Nm3", "389.31", "0.01532", "0.99", "21.650"),
    "diesel": ("柴油", "t", "42.652", "0.0202", "0.98", "3.096"),
    "gasoline": ("汽油", "t", "43.070", "0.0189", "0.98", "2.925"),
    "lpg": ("液化石油气", "t", "50.179", "0.0172", "0.98", "3.101"),
    "fuel_oil": ("燃料油", "t", "41.816", "0.0211", "0.98", "3.170"),
    "kerosene": ("煤油", "t", "43.070", "0.0196", "0.98", "3.033"),
    "raw_coal": ("原煤", "t", "20.908", "0.02637", "0.94", "1.900"),
    "coke": ("焦炭", "t", "28.435", "0.0295", "0.93", "2.860"),
}
# emission-factors.md section 3: (scope, area, year, kind) -> (value, confidence).
REGIONAL = {
    "north": ("0.6774", "0.6361"),
    "northeast": ("0.5567", "0.5122"),
    "east": ("0.5618", "0.5500"),
    "central": ("0.5395", "0.5271"),
    "northwest": ("0.5859", "0.5543"),
    "south": ("0.3868", "0.4042"),
    "southwest": ("0.2268", "0.2472"),
}
PROVINCIAL_2023 = {
    "广东": "0.4419",
    "北京": "0.5554",
    "上海": "0.5737",
    "浙江": "0.4974",
    "江苏": "0.5827",
    "四川": "0.1564",
    "河南": "0.5897",
}
GRID = {
    ("national", "", 2021, "location"): ("0.5568", "likely"),
    ("national", "", 2022, "location"): ("0.5366", "confirmed"),
    ("national", "", 2023, "location"): ("0.5306", "confirmed"),
    ("national", "", 2023, "residual"): ("0.6096", "confirmed"),
    **{("regional", r, 2022, "location"): (v[0], "derived") for r, v in REGIONAL.items()},
    **{("regional", r, 2023, "location"): (v[1], "confirmed") for r, v in REGIONAL.items()},
    **{("provincial", p, 2023, "location"): (v, "likely") for p, v in PROVINCIAL_2023.items()},
}
# emission-factors.md section 4.
GWP = {
    "CO2": ("1", "1", "1"),
    "CH4": ("25", "28", "27.9"),
    "N2O": ("298", "265", "273"),
    "SF6": ("22800", "23500", "25200"),
    "NF3": ("17200", "16100", "17400"),
    "HFC-134a": ("1430", "1300", "1530"),
    "HFC-32": ("675", "677", "771"),
    "HFC-125": ("3500", "3170", "3740"),
    "HFC-23": ("14800", "12400", "14600"),
    "HFC-143a": ("4470", "4800", "5810"),
    "CF4": ("7390", "6630", "7380"),
}
BLENDS = {
    "R-410A": {"HFC-32": "0.5", "HFC-125": "0.5"},
    "R-407C": {"HFC-32": "0.23", "HFC-125": "0.25", "HFC-134a": "0.52"},
    "R-404A": {"HFC-125": "0.44", "HFC-143a": "0.52", "HFC-134a": "0.04"},
}


def document() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DEFAULT_FACTOR_SET_PATH.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("code", FUELS)
def test_each_fuel_has_the_spec_values_and_its_tco2_per_unit_matches_the_check_column(
    code: str,
) -> None:
    name_zh, unit, ncv, cc, of, check = FUELS[code]
    fuel = load_default_factor_set().fuels[code]
    assert (fuel.name_zh, fuel.unit) == (name_zh, unit)
    assert (fuel.ncv_gj_per_unit, fuel.carbon_content_tc_per_gj, fuel.oxidation_fraction) == (
        Decimal(ncv),
        Decimal(cc),
        Decimal(of),
    )
    assert (fuel.confidence, fuel.source) == ("likely", "GB/T 32150 family tables")
    per_unit = fuel.ncv_gj_per_unit * fuel.carbon_content_tc_per_gj * fuel.oxidation_fraction
    per_unit = per_unit * 44 / 12
    assert per_unit.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP) == Decimal(check)


def test_the_factor_set_has_exactly_the_eight_fuels_of_the_spec() -> None:
    assert set(load_default_factor_set().fuels) == set(FUELS)


def test_every_grid_factor_of_the_spec_tables_is_shipped_and_nothing_else() -> None:
    shipped = {
        (f.scope, f.area, f.year, f.kind): (str(f.value_tco2_per_mwh), f.confidence)
        for f in load_default_factor_set().grid_factors
    }
    assert shipped == GRID


def test_every_grid_factor_names_its_source_and_derived_ones_say_so_with_the_tolerance() -> None:
    for factor in load_default_factor_set().grid_factors:
        assert "MEE/NBS" in factor.source
        if factor.confidence == "derived":
            assert "derived (±0.0005)" in factor.source


def test_the_old_national_carbon_market_values_are_not_shipped() -> None:
    text = DEFAULT_FACTOR_SET_PATH.read_text(encoding="utf-8")
    for old in ("0.6101", "0.5810", "0.5703"):
        assert old not in text


@pytest.mark.parametrize("gas", GWP)
def test_each_gas_has_the_spec_gwp_in_ar4_ar5_and_ar6(gas: str) -> None:
    gwp = load_default_factor_set().gwp
    assert (gwp["AR4"][gas], gwp["AR5"][gas], gwp["AR6"][gas]) == tuple(map(Decimal, GWP[gas]))


def test_the_gwp_sets_list_the_spec_gases_and_carry_source_and_confidence() -> None:
    assert set(load_default_factor_set().gwp) == {"AR4", "AR5", "AR6"}
    for name, body in document()["gwp"].items():
        assert set(body["values"]) == set(GWP)
        assert name in body["source"]
        assert body["confidence"] == "confirmed"


def test_blends_hold_the_spec_mass_fractions_by_canonical_gas_name() -> None:
    blends = load_default_factor_set().blends
    assert {name: dict(parts) for name, parts in blends.items()} == {
        name: {gas: Decimal(f) for gas, f in parts.items()} for name, parts in BLENDS.items()
    }


def test_refrigerant_aliases_map_the_r_numbers_to_the_hfc_names() -> None:
    assert dict(load_default_factor_set().gas_aliases) == {
        "R-134a": "HFC-134a",
        "R-32": "HFC-32",
        "R-125": "HFC-125",
    }


def test_heat_factor_is_0_11_tco2_per_gj_with_a_source() -> None:
    factors = load_default_factor_set()
    assert factors.heat_factor_tco2_per_gj == Decimal("0.11")
    assert document()["heat"]["source"]
    assert factors.version == "CN-2025.1"
    assert "GB/T 32150" in factors.source_notes


def test_every_decimal_in_the_shipped_document_is_a_string() -> None:
    def walk(node: object) -> None:
        assert not isinstance(node, float)
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document())


def test_the_default_factor_set_is_read_once_and_cannot_be_changed() -> None:
    factors = load_default_factor_set()
    assert load_default_factor_set() is factors
    with pytest.raises(TypeError):
        factors.fuels["diesel"] = factors.fuels["coke"]  # type: ignore[index]


def test_a_document_with_normalised_decimals_reads_to_equal_values() -> None:
    data = document()
    data["fuels"]["gasoline"]["ncv_gj_per_unit"] = "43.07"
    data["blends"]["R-410A"]["components"] = {"HFC-32": "0.5", "R-125": "0.5"}
    factors = factor_set_from_dict(data)
    assert factors.fuels["gasoline"].ncv_gj_per_unit == Decimal("43.070")
    assert dict(factors.blends["R-410A"]) == {"HFC-32": Decimal("0.5"), "HFC-125": Decimal("0.5")}


def test_a_factor_set_may_have_no_aliases_and_no_blends() -> None:
    data = document()
    data["gas_aliases"]["aliases"] = {}
    data["blends"] = {}
    factors = factor_set_from_dict(data)
    assert (dict(factors.gas_aliases), dict(factors.blends)) == ({}, {})


Edit = Callable[[dict[str, Any]], object]


def _set(path: str, value: object) -> Edit:
    def edit(data: dict[str, Any]) -> None:
        *parents, last = path.split("/")
        node: Any = data
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        if value is _DELETE:
            del node[last]
        else:
            node[int(last) if isinstance(node, list) else last] = value

    return edit


_DELETE = object()


def _duplicate(data: dict[str, Any]) -> None:
    data["grid_factors"].append(dict(data["grid_factors"][11], value_tco2_per_mwh="0.55"))


MALFORMED: list[tuple[str, Edit, str]] = [
    ("not an object", lambda d: [], "factor set /: expected a non-empty object"),
    ("missing key", _set("heat", _DELETE), "factor set /: missing key(s) heat"),
    ("unknown key", _set("extra", 1), "factor set /: unknown key(s) extra"),
    ("schema", _set("schema", "x/2"), "/schema: expected 'zerocarbon.factor-set/1'"),
    ("version", _set("version", " "), "/version: expected a non-empty string"),
    ("notes", _set("source_notes", 3), "/source_notes: expected a non-empty string"),
    ("fuels empty", _set("fuels", {}), "/fuels: expected a non-empty object"),
    ("fuel code", _set("fuels/purchased_heat", {}), "is an energy carrier of its own"),
    ("fuel unit", _set("fuels/coke/unit", "barrel"), "/fuels/coke/unit: unknown unit 'barrel'"),
    ("fuel unit type", _set("fuels/coke/unit", 5), "/fuels/coke/unit: expected a non-empty"),
    ("fuel name", _set("fuels/coke/name_zh", ""), "/fuels/coke/name_zh: expected a non-empty"),
    ("float", _set("fuels/coke/ncv_gj_per_unit", 28.435), "expected a decimal string such as"),
    ("text", _set("fuels/coke/ncv_gj_per_unit", "abc"), "'abc' is not a decimal number"),
    ("zero", _set("fuels/coke/ncv_gj_per_unit", "0"), "expected a positive number, got '0'"),
    ("nan", _set("fuels/coke/ncv_gj_per_unit", "NaN"), "expected a positive number, got 'NaN'"),
    ("oxidation", _set("fuels/coke/oxidation_fraction", "1.2"), "expected at most 1, got '1.2'"),
    ("confidence", _set("fuels/coke/confidence", "guess"), "expected one of confirmed, likely"),
    ("grid type", _set("grid_factors", {}), "/grid_factors: expected a non-empty array"),
    ("grid empty", _set("grid_factors", []), "/grid_factors: expected a non-empty array"),
    ("scope", _set("grid_factors/0/scope", "county"), "/grid_factors/0/scope: expected one of"),
    ("kind", _set("grid_factors/0/kind", "marginal"), "/grid_factors/0/kind: expected one of"),
    ("residual", _set("grid_factors/4/kind", "residual"), "only national residual factors"),
    ("year text", _set("grid_factors/0/year", "2021"), "expected an integer year, got '2021'"),
    ("year bool", _set("grid_factors/0/year", True), "expected an integer year, got True"),
    ("national area", _set("grid_factors/0/area", "east"), "'east' is not an area of scope"),
    ("regional area", _set("grid_factors/4/area", "江苏"), "'江苏' is not an area of scope"),
    ("provincial area", _set("grid_factors/18/area", "东"), "'东' is not an area of scope"),
    ("area type", _set("grid_factors/0/area", None), "/grid_factors/0/area: expected a non"),
    ("duplicate", _duplicate, "/grid_factors/25: duplicate location factor"),
    ("gwp set keys", _set("gwp/AR4/confidence", _DELETE), "/gwp/AR4: missing key(s) confidence"),
    ("gwp values", _set("gwp/AR4/values", {}), "/gwp/AR4/values: expected a non-empty object"),
    ("gwp mixed", _set("gwp/AR4/values/PFC-14", "7390"), "every GWP set must list the same"),
    ("gwp value", _set("gwp/AR6/values/CH4", "-27.9"), "/gwp/AR6/values/CH4: expected a pos"),
    ("alias target", _set("gas_aliases/aliases/R-22", "HCFC-22"), "'R-22' -> 'HCFC-22' must"),
    ("alias of a gas", _set("gas_aliases/aliases/CO2", "CH4"), "'CO2' -> 'CH4' must map"),
    ("alias source", _set("gas_aliases/source", ""), "/gas_aliases/source: expected a non"),
    ("blends type", _set("blends", []), "factor set /blends: expected an object"),
    ("blend name", _set("blends/CF4", {}), "/blends/CF4: blend 'CF4' has the name of a gas"),
    ("blend part", _set("blends/R-410A/components/R-22", "0.1"), "'R-22' is not a gas of"),
    ("blend sum", _set("blends/R-410A/components/R-32", "0.49"), "fractions must add up to 1"),
    ("blend part > 1", _set("blends/R-410A/components/R-32", "1.5"), "expected at most 1"),
    ("blend source", _set("blends/R-410A/source", ""), "/blends/R-410A/source: expected"),
    ("heat value", _set("heat/factor_tco2_per_gj", 0.11), "/heat/factor_tco2_per_gj: expected"),
    ("heat source", _set("heat/source", ""), "/heat/source: expected a non-empty string"),
]


@pytest.mark.parametrize(("edit", "message"), [(e, m) for _, e, m in MALFORMED],
                         ids=[name for name, _, _ in MALFORMED])  # fmt: skip
def test_a_malformed_factor_set_is_refused_with_a_message_naming_the_path(
    edit: Edit, message: str
) -> None:
    data = copy.deepcopy(document())
    replaced = edit(data)
    with pytest.raises(MalformedFactorSet) as caught:
        factor_set_from_dict(data if replaced is None else replaced)
    assert message in str(caught.value)


def test_a_factor_set_file_that_is_not_json_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text("{", encoding="utf-8")
    with pytest.raises(MalformedFactorSet, match=r"factor set broken\.json: not valid JSON"):
        load_factor_set(path)


def test_a_factor_set_file_is_read_into_the_same_values_as_the_default(tmp_path: Path) -> None:
    path = tmp_path / "copy.json"
    path.write_text(json.dumps(document()), encoding="utf-8")
    assert load_factor_set(path) == load_default_factor_set()
