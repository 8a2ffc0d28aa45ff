"""Grid factor choice and every fallback rule of emission-factors.md section 3."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from emissions.accounting.errors import InvalidInventory, MissingFactor
from emissions.accounting.grid import GridChoice, choose_grid_factors, describe, grid_factor_key
from emissions.accounting.library import load_default_factor_set


def choose(scope: str, province: str, year: int) -> GridChoice:
    return choose_grid_factors(load_default_factor_set(), scope, province, year)


def test_the_national_factor_of_the_data_year_is_used_without_warning() -> None:
    grid = choose("national", "江苏", 2023)
    assert (grid.location.value_tco2_per_mwh, grid.location.year) == (Decimal("0.5306"), 2023)
    assert (grid.residual_value, grid.residual_year) == (Decimal("0.6096"), 2023)
    assert grid.warnings == ()


def test_a_data_year_after_the_last_published_uses_the_latest_earlier_year_with_a_warning() -> None:
    grid = choose("national", "江苏", 2025)
    assert (grid.location.value_tco2_per_mwh, grid.location.year) == (Decimal("0.5306"), 2023)
    assert grid.warnings == (
        "no national grid factor published for 2025; using 2023, the latest earlier year",
    )
    assert grid.residual_value == Decimal("0.6096")


def test_a_data_year_before_the_first_published_uses_the_first_year_with_a_warning() -> None:
    grid = choose("national", "江苏", 2020)
    assert (grid.location.value_tco2_per_mwh, grid.location.year) == (Decimal("0.5568"), 2021)
    assert grid.warnings[0] == (
        "data year 2020 is before the first published national grid factor; using 2021"
    )


def test_a_year_without_residual_uses_the_location_factor_in_the_market_method_with_a_warning() -> (
    None
):
    grid = choose("national", "江苏", 2022)
    assert grid.location.value_tco2_per_mwh == Decimal("0.5366")
    assert grid.residual is None
    assert (grid.residual_value, grid.residual_year) == (Decimal("0.5366"), 2022)
    assert grid.warnings == (
        "no national residual factor published for 2022; the market-based method uses the "
        "location factor 0.5366 tCO2/MWh (national 2022)",
    )


def test_the_regional_factor_of_the_province_is_used_with_the_national_residual() -> None:
    grid = choose("regional", "江苏省", 2023)
    assert (grid.location.scope, grid.location.area) == ("regional", "east")
    assert grid.location.value_tco2_per_mwh == Decimal("0.5500")
    assert grid.residual_value == Decimal("0.6096")
    assert grid.warnings == ()


def test_a_derived_regional_2022_factor_is_used_and_labelled_derived() -> None:
    grid = choose("regional", "四川", 2022)
    assert grid.location.value_tco2_per_mwh == Decimal("0.2268")
    assert grid.location.confidence == "derived"
    assert grid.residual_value == Decimal("0.2268")


def test_regional_scope_after_2023_falls_back_to_the_regional_2023_value_with_a_warning() -> None:
    grid = choose("regional", "广东", 2024)
    assert (grid.location.area, grid.location.year) == ("south", 2023)
    assert grid.warnings == (
        "no regional (south) grid factor published for 2024; using 2023, the latest earlier year",
    )


def test_regional_scope_without_value_up_to_the_data_year_falls_back_to_national() -> None:
    grid = choose("regional", "32", 2021)
    assert (grid.location.scope, grid.location.year) == ("national", 2021)
    assert grid.location.value_tco2_per_mwh == Decimal("0.5568")
    assert grid.warnings[0] == (
        "no regional grid factor for east published for 2021 or earlier; using the national factor"
    )


def test_the_provincial_factor_is_used_where_published() -> None:
    grid = choose("provincial", "320000", 2023)
    assert (grid.location.scope, grid.location.area) == ("provincial", "江苏")
    assert grid.location.value_tco2_per_mwh == Decimal("0.5827")
    assert grid.residual_value == Decimal("0.6096")


def test_provincial_scope_after_2023_uses_the_provincial_2023_value_with_a_warning() -> None:
    grid = choose("provincial", "河南", 2024)
    assert (grid.location.area, grid.location.year) == ("河南", 2023)
    assert len(grid.warnings) == 1


def test_a_province_without_provincial_value_falls_back_to_national_never_regional() -> None:
    grid = choose("provincial", "山东", 2023)
    assert grid.location.scope == "national"
    assert grid.location.value_tco2_per_mwh == Decimal("0.5306")
    assert grid.warnings == (
        "no provincial grid factor for 山东 published for 2023 or earlier; "
        "using the national factor",
    )


def test_provincial_scope_before_2023_uses_the_national_year_not_the_regional_one() -> None:
    grid = choose("provincial", "江苏", 2022)
    assert (grid.location.scope, grid.location.year) == ("national", 2022)
    assert grid.location.value_tco2_per_mwh == Decimal("0.5366")


def test_each_fallback_step_adds_its_own_warning() -> None:
    grid = choose("provincial", "山东", 2019)
    assert (grid.location.scope, grid.location.year) == ("national", 2021)
    assert len(grid.warnings) == 3  # provincial -> national, before first year, no residual


def test_an_unknown_scope_is_refused() -> None:
    with pytest.raises(InvalidInventory, match="unknown grid factor scope 'city'"):
        choose("city", "江苏", 2023)


def test_a_factor_set_without_national_factors_cannot_fall_back() -> None:
    factors = load_default_factor_set()
    regional = tuple(f for f in factors.grid_factors if f.scope == "regional")
    with pytest.raises(MissingFactor, match=r"factor set CN-2025\.1 has no national grid factor"):
        choose_grid_factors(replace(factors, grid_factors=regional), "regional", "江苏", 2021)


def test_grid_factors_have_stable_keys_and_readable_descriptions() -> None:
    grid = choose("regional", "江苏", 2023)
    assert grid_factor_key(grid.location) == "grid:location:regional:east:2023"
    assert describe(grid.location) == "regional east 2023"
    assert grid.residual is not None
    assert grid_factor_key(grid.residual) == "grid:residual:national:2023"
    assert describe(grid.residual) == "national 2023"
