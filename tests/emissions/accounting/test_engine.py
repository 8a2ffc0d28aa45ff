"""Each formula of emission-factors.md on its own, with numbers computed by hand."""

from __future__ import annotations

from decimal import Decimal, localcontext

import pytest

from emissions.accounting.engine import ACCOUNTING_CONTEXT, account
from emissions.accounting.errors import (
    InvalidInventory,
    UnknownCarrier,
    UnknownGas,
    UnknownGwpSet,
)
from emissions.accounting.inputs import EnergyLine, GasLine, InventoryInput, Scope3Line
from emissions.accounting.library import load_default_factor_set
from emissions.accounting.results import AccountingResult

from .support import AS_OF, energy, gec, grid_mwh, inventory

D = Decimal


def run(inv: InventoryInput) -> AccountingResult:
    return account(inv, load_default_factor_set(), AS_OF)


def places(value: Decimal, digits: int = 10) -> Decimal:
    return value.quantize(D(1).scaleb(-digits))


def test_diesel_is_ad_times_ncv_cc_of_and_44_over_12() -> None:
    result = run(inventory(energy=(energy("diesel", "1", "t"),)))
    # 42.652 x 0.0202 x 0.98 = 0.844338992; x 44 = 37.150915648; / 12
    assert places(result.emissions.category_1, 12) == D("3.095909637333")
    line = result.lines[0]
    assert (line.category, line.path) == ("1", "/energy/0")
    assert line.formula == ("1 t x 42.652 GJ/t x 0.0202 tC/GJ x 0.98 x 44/12 = 3.096 tCO2")


def test_natural_gas_in_nm3_is_converted_to_the_factor_unit_first() -> None:
    result = run(inventory(energy=(energy("natural_gas", "850000", "Nm3"),)))
    # 389.31 x 0.01532 x 0.99 = 5.904586908; x 85 = 501.88988718; x 44 / 12
    assert places(result.emissions.category_1, 8) == D("1840.26291966")
    assert result.lines[0].formula.startswith(
        "850000 Nm3 = 85 10^4 Nm3 x 389.31 GJ/10^4 Nm3 x 0.01532 tC/GJ x 0.99 x 44/12"
    )


@pytest.mark.parametrize(
    ("fuel", "per_unit"),
    [
        ("natural_gas", "21.650"),
        ("gasoline", "2.925"),
        ("lpg", "3.101"),
        ("fuel_oil", "3.170"),
        ("kerosene", "3.033"),
        ("raw_coal", "1.900"),
        ("coke", "2.860"),
    ],
)
def test_one_unit_of_each_fuel_emits_its_tco2_per_unit(fuel: str, per_unit: str) -> None:
    unit = load_default_factor_set().fuels[fuel].unit
    result = run(inventory(energy=(energy(fuel, "1", unit),)))
    assert places(result.emissions.category_1, 3) == D(per_unit)


def test_grid_electricity_in_kwh_is_mwh_times_the_grid_factor_and_the_residual() -> None:
    result = run(inventory(energy=(energy("grid_electricity", "12500000", "kWh"),)))
    assert result.emissions.category_2_location == D("6632.5")  # 12500 x 0.5306
    assert result.emissions.category_2_market == D("7620")  # 12500 x 0.6096
    line = result.lines[0]
    assert (line.tco2e, line.tco2e_market) == (D("6632.5"), D("7620"))
    assert line.formula == (
        "location: 12500000 kWh = 12500 MWh x 0.5306 tCO2/MWh (national 2023) = 6632.500 tCO2; "
        "market: 12500 MWh x 0.6096 tCO2/MWh (national residual 2023) = 7620.000 tCO2"
    )


def test_purchased_heat_in_mwh_is_converted_to_gj_times_0_11() -> None:
    result = run(inventory(energy=(energy("purchased_heat", "100", "MWh"),)))
    assert result.emissions.category_2_location == D("39.6")  # 360 GJ x 0.11
    assert result.emissions.category_2_market == D("39.6")
    assert result.lines[0].formula == "100 MWh = 360 GJ x 0.11 tCO2/GJ = 39.600 tCO2"


def test_purchased_steam_is_converted_to_gj_from_its_enthalpy_then_counted_as_heat() -> None:
    steam = energy("purchased_steam", "100", "t", enthalpy_kj_per_kg=D("2800"))
    result = run(inventory(energy=(steam,)))
    # 100 t x (2800 - 83.74) / 1000 = 271.626 GJ; x 0.11 = 29.87886 tCO2
    assert result.emissions.category_2_location == D("29.87886")
    assert result.emissions.category_2_market == D("29.87886")
    assert result.lines[0].formula == (
        "100 t x (2800 - 83.74) kJ/kg / 1000 = 271.626 GJ; 271.626 GJ x 0.11 tCO2/GJ = 29.879 tCO2"
    )
    assert result.metrics.electrification_share == 0  # 0 / (0 + 271.626)


def test_steam_in_kg_gives_the_same_gj_as_in_tonnes() -> None:
    steam = energy("purchased_steam", "100000", "kg", enthalpy_kj_per_kg=D("2800"))
    result = run(inventory(energy=(steam,)))
    assert result.emissions.category_2_location == D("29.87886")
    assert result.lines[0].formula.startswith("100000 kg = 100 t x (2800 - 83.74)")


@pytest.mark.parametrize("enthalpy", [None, D("83.74"), D("50")])
def test_steam_without_an_enthalpy_above_the_feed_water_is_refused(
    enthalpy: Decimal | None,
) -> None:
    steam = energy("purchased_steam", "1", "t", enthalpy_kj_per_kg=enthalpy)
    with pytest.raises(InvalidInventory, match=r"needs enthalpy_kj_per_kg above 83\.74"):
        run(inventory(energy=(steam,)))


def test_onsite_renewable_electricity_emits_nothing_but_counts_in_ec() -> None:
    result = run(inventory(energy=(energy("onsite_renewable_electricity", "2100", "MWh"),)))
    assert result.emissions.category_2_location == 0
    assert result.metrics.electricity_consumption_mwh == D("2100")
    assert result.metrics.renewable_electricity_share == 1
    assert result.lines[0].formula == "2100 MWh x 0 tCO2/MWh = 0 tCO2"


def test_process_emissions_are_tonnes_of_gas_times_gwp() -> None:
    lines = (GasLine("CH4", D("2"), "t", "/process_emissions/0"), GasLine("CO2", D("500"), "kg"))
    result = run(inventory(process_emissions=lines))
    assert result.emissions.category_1 == D("56.3")  # 2 x 27.9 + 0.5 x 1
    assert result.lines[0].formula == "2 t CH4 x GWP 27.9 (AR6) = 55.800 tCO2e"
    assert result.lines[1].formula == "500 kg = 0.5 t CO2 x GWP 1 (AR6) = 0.500 tCO2e"
    assert result.lines[0].description == "process emission of CH4"


def test_a_refrigerant_is_kg_times_gwp_over_1000_and_a_blend_uses_mass_fractions() -> None:
    refills = (GasLine("R-32", D("10"), "kg"), GasLine("R-410A", D("0.025"), "t"))
    result = run(inventory(refrigerants=refills))
    assert result.emissions.category_1 == D("64.0975")  # 10 x 771 / 1000 + 25 x 2255.5 / 1000
    assert result.lines[0].formula == "10 kg HFC-32 x GWP 771 (AR6) / 1000 = 7.710 tCO2e"
    assert result.lines[1].formula == (
        "0.025 t = 25 kg R-410A x GWP 2255.5 (AR6: 0.50 x HFC-32 771 + 0.50 x HFC-125 3740) "
        "/ 1000 = 56.388 tCO2e"
    )


def test_the_gwp_set_of_the_inventory_is_used_for_every_gas() -> None:
    result = run(inventory(gwp_set="AR4", refrigerants=(GasLine("R-410A", D("1000"), "kg"),)))
    assert result.emissions.category_1 == D("2087.5")
    assert result.factors.gwp_set == "AR4"


def test_categories_3_and_4_are_always_computed_but_added_to_e_only_for_type_ii() -> None:
    scope3 = (
        Scope3Line(3, "transport", "/scope3/0", tco2e=D("420.5")),
        Scope3Line(4, "steel", "/scope3/1", quantity=D("1800"), unit="t",
                   factor_tco2e_per_unit=D("1.9"), factor_source="EPD"),
        Scope3Line(4, "paper", "/scope3/2", quantity=D("10"), factor_tco2e_per_unit=D("0.5")),
    )  # fmt: skip
    type_i = run(inventory(energy=(grid_mwh("1000"),), scope3=scope3))
    type_ii = run(inventory(boundary="II", energy=(grid_mwh("1000"),), scope3=scope3))
    assert (type_i.emissions.category_3, type_i.emissions.category_4) == (D("420.5"), D("3425"))
    assert type_i.emissions.boundary_total == D("530.6")
    assert type_ii.emissions.boundary_total == D("4376.1")  # 530.6 + 420.5 + 3425
    formulas = [line.formula for line in type_ii.lines if line.category in "34"]
    assert formulas == [
        "420.5 tCO2e given",
        "1800 t x 1.9 tCO2e/t (EPD) = 3420.000 tCO2e",
        "10 unit x 0.5 tCO2e/unit = 5.000 tCO2e",
    ]
    assert type_ii.metrics.has_category_3
    assert type_ii.metrics.has_category_4


def test_an_inventory_without_scope3_has_neither_category_3_nor_4() -> None:
    metrics = run(inventory(energy=(grid_mwh("1"),))).metrics
    assert not metrics.has_category_3
    assert not metrics.has_category_4


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (Scope3Line(3, "x", "/scope3/0"), "/scope3/0: a category 3 entry needs tco2e"),
        (Scope3Line(4, "x", "/scope3/0", quantity=D(1)), "a category 4 entry needs tco2e"),
        (Scope3Line(5, "x", "/scope3/0", tco2e=D(1)), "category must be 3 or 4, got 5"),
    ],
)
def test_an_incomplete_or_unknown_scope3_entry_is_refused(line: Scope3Line, message: str) -> None:
    with pytest.raises(InvalidInventory, match=message):
        run(inventory(boundary="II", scope3=(line,)))


def test_green_electricity_is_capped_at_grid_electricity_and_deducted_at_the_residual() -> None:
    result = run(inventory(energy=(grid_mwh("1000"),), green_electricity=(gec("1500"),)))
    metrics = result.metrics
    assert metrics.green_electricity_mwh == D("1000")
    assert metrics.renewable_electricity_mwh == D("1000")
    assert metrics.green_power_offset_tco2e == D("530.6")  # GREEN x location factor
    assert result.emissions.category_2_market == 0
    green = result.lines[-1]
    assert (green.path, green.tco2e, green.tco2e_market) == (
        "/green_electricity",
        D(0),
        D("-609.6"),
    )
    assert green.formula == (
        "market: -1000 MWh x 0.6096 tCO2/MWh = -609.600 tCO2 (valid instruments 1500 MWh, "
        "capped at grid electricity)"
    )


def test_the_market_method_uses_the_location_factor_where_no_residual_is_published() -> None:
    green = gec("400", vintage=2022)
    result = run(inventory(year=2022, energy=(grid_mwh("1000"),), green_electricity=(green,)))
    assert result.emissions.category_2_location == D("536.6")
    assert result.emissions.category_2_market == D("321.96")  # 600 x 0.5366
    assert result.factors.residual_factor_tco2_per_mwh == D("0.5366")
    assert "no national residual factor published for 2022" in result.factors.warnings[0]


def test_invalid_instruments_count_for_nothing_and_are_listed() -> None:
    result = run(
        inventory(energy=(grid_mwh("1000"),), green_electricity=(gec("100", vintage=2022),))
    )
    assert result.metrics.green_electricity_mwh == 0
    assert result.emissions.category_2_market == D("609.6")
    assert [issue.path for issue in result.instrument_issues] == ["/green_electricity/0"]
    assert not [line for line in result.lines if line.path == "/green_electricity"]


def test_the_factors_used_name_scope_area_year_and_every_value_with_stable_keys() -> None:
    inv = inventory(
        grid_factor_scope="regional",
        energy=(
            grid_mwh("1"),
            energy("diesel", "1", "t"),
            energy("purchased_steam", "1", "t", enthalpy_kj_per_kg=D("2800")),
        ),
        refrigerants=(GasLine("R-410A", D("1"), "kg"),),
    )
    factors = run(inv).factors
    assert (factors.grid_factor_scope, factors.grid_factor_area) == ("regional", "east")
    assert (factors.grid_factor_tco2_per_mwh, factors.grid_factor_year) == (D("0.5500"), 2023)
    assert (factors.residual_factor_tco2_per_mwh, factors.residual_factor_year) == (
        D("0.6096"),
        2023,
    )
    assert factors.heat_factor_tco2_per_gj == D("0.11")
    assert dict(factors.values) == {
        "blend:R-410A:HFC-125": D("0.50"),
        "blend:R-410A:HFC-32": D("0.50"),
        "fuel:diesel:carbon_content_tc_per_gj": D("0.0202"),
        "fuel:diesel:ncv_gj_per_unit": D("42.652"),
        "fuel:diesel:oxidation_fraction": D("0.98"),
        "grid:location:regional:east:2023": D("0.5500"),
        "grid:residual:national:2023": D("0.6096"),
        "gwp:AR6:HFC-125": D("3740"),
        "gwp:AR6:HFC-32": D("771"),
        "heat:tco2_per_gj": D("0.11"),
        "steam:reference_enthalpy_kj_per_kg": D("83.74"),
    }
    assert [key for key, _ in factors.values] == sorted(key for key, _ in factors.values)


def test_grid_fallback_warnings_reach_the_result() -> None:
    inv = inventory(year=2024, grid_factor_scope="provincial", energy=(grid_mwh("1"),))
    factors = run(inv).factors
    assert (factors.grid_factor_scope, factors.grid_factor_area) == ("provincial", "江苏")
    assert factors.warnings == (
        "no provincial (江苏) grid factor published for 2024; using 2023, the latest earlier year",
    )


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"boundary": "III"}, InvalidInventory, "boundary must be I or II, got 'III'"),
        ({"gwp_set": "SAR"}, UnknownGwpSet, "unknown GWP set 'SAR'"),
        ({"energy": (EnergyLine("biogas", D(1), "t", "/energy/3"),)}, UnknownCarrier,
         "/energy/3: unknown energy carrier 'biogas'"),
        ({"refrigerants": (GasLine("R-22", D(1), "kg"),)}, UnknownGas, "unknown gas 'R-22'"),
    ],
)  # fmt: skip
def test_an_inventory_the_reader_should_have_refused_raises_a_named_error(
    changes: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        run(inventory(**changes))


def test_biomass_co2_is_zero_as_cn_2025_1_has_no_biomass_carrier() -> None:
    assert run(inventory(energy=(grid_mwh("1"),))).emissions.biomass_co2 == 0


def test_the_result_is_deterministic_and_independent_of_the_callers_decimal_context() -> None:
    inv = inventory(energy=(energy("natural_gas", "85", "10^4 Nm3"), grid_mwh("3")))
    first = run(inv)
    with localcontext() as context:
        context.prec = 6
        assert run(inv) == first
    with localcontext(ACCOUNTING_CONTEXT):
        assert first.emissions.category_1 == D("22083.15503592") / 12


def test_no_float_appears_anywhere_in_a_result() -> None:
    from .support import example_inventory

    def walk(node: object) -> None:
        assert not isinstance(node, float)
        if isinstance(node, tuple | list):
            for item in node:
                walk(item)
        elif hasattr(node, "__dataclass_fields__"):
            for name in node.__dataclass_fields__:
                walk(getattr(node, name))

    walk(run(example_inventory("demo-dossier")))
