"""Gas names, aliases and blends resolve to one GWP-100 of the chosen set."""

from __future__ import annotations

from decimal import Decimal

import pytest

from emissions.accounting.errors import UnknownGas, UnknownGwpSet
from emissions.accounting.gases import gwp_of, gwp_values, resolve_gas
from emissions.accounting.library import load_default_factor_set

D = Decimal


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("R-32", "HFC-32"),
        ("HFC-32", "HFC-32"),
        ("R-134a", "HFC-134a"),
        ("HFC-134a", "HFC-134a"),
        ("R-125", "HFC-125"),
        ("R-410A", "R-410A"),
        ("r410a", "R-410A"),
        ("hfc134a", "HFC-134a"),
        ("co2", "CO2"),
        ("SF6", "SF6"),
    ],
)
def test_a_gas_is_found_by_its_name_alias_or_a_loose_spelling(name: str, canonical: str) -> None:
    assert resolve_gas(name, load_default_factor_set()) == canonical


def test_an_unknown_gas_is_refused_listing_the_known_ones() -> None:
    with pytest.raises(UnknownGas, match="unknown gas 'R-22'; known gases and blends: CF4, CH4"):
        resolve_gas("R-22", load_default_factor_set())


@pytest.mark.parametrize(
    ("blend", "gwp_set", "gwp"),
    [
        ("R-410A", "AR6", "2255.5"),  # 0.5 x 771 + 0.5 x 3740
        ("R-410A", "AR5", "1923.5"),  # 0.5 x 677 + 0.5 x 3170
        ("R-410A", "AR4", "2087.5"),  # 0.5 x 675 + 0.5 x 3500
        ("R-407C", "AR6", "1907.93"),  # 0.23 x 771 + 0.25 x 3740 + 0.52 x 1530
        ("R-407C", "AR4", "1773.85"),  # 0.23 x 675 + 0.25 x 3500 + 0.52 x 1430
        ("R-404A", "AR6", "4728.0"),  # 0.44 x 3740 + 0.52 x 5810 + 0.04 x 1530
        ("R-404A", "AR4", "3921.6"),  # 0.44 x 3500 + 0.52 x 4470 + 0.04 x 1430
    ],
)
def test_a_blend_gwp_is_the_mass_weighted_sum_of_its_components_in_one_set(
    blend: str, gwp_set: str, gwp: str
) -> None:
    result = gwp_of(blend, load_default_factor_set(), gwp_set)
    assert result.gwp == Decimal(gwp)
    assert {part.gas for part in result.parts} <= {"HFC-32", "HFC-125", "HFC-134a", "HFC-143a"}


def test_a_single_gas_has_its_own_gwp_and_no_parts() -> None:
    result = gwp_of("R-32", load_default_factor_set(), "AR5")
    assert (result.gas, result.gwp_set, result.gwp, result.parts) == ("HFC-32", "AR5", D(677), ())


def test_an_unknown_gwp_set_is_refused_naming_the_available_ones() -> None:
    with pytest.raises(UnknownGwpSet, match="unknown GWP set 'SAR'; the factor set has AR4, AR5"):
        gwp_values(load_default_factor_set(), "SAR")
