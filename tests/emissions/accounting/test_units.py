"""Units: exact Decimal conversions by pint's factors, the user-facing spellings, normal cubic
metres kept apart from m3, and the units that fit each carrier and gas."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

import pytest

from emissions.accounting import units
from emissions.accounting.errors import IncompatibleUnit, UnknownCarrier, UnknownUnit
from emissions.accounting.library import load_default_factor_set
from emissions.accounting.unit_factors import FACTORS
from emissions.accounting.units import (
    allowed_units_for_carrier,
    allowed_units_for_gas,
    canonical_unit,
    conversion_factor,
    convert,
    unit_fits_carrier,
    unit_fits_gas,
    unit_kind,
)

CONVERSIONS = [
    ("1", "MWh", "GJ", "3.6"),
    ("12500000", "kWh", "MWh", "12500"),
    ("1", "GWh", "MWh", "1000"),
    ("1", "10^4 kWh", "MWh", "10"),
    ("1", "万千瓦时", "kWh", "10000"),
    ("1", "kWh", "MJ", "3.6"),
    ("1", "TJ", "GJ", "1000"),
    ("2500", "MJ", "GJ", "2.5"),
    ("1000000", "kJ", "GJ", "1"),
    ("12.4", "t", "kg", "12400"),
    ("25", "kg", "t", "0.025"),
    ("1", "10^4 t", "t", "10000"),
    ("1", "万吨", "吨", "10000"),
    ("850000", "Nm3", "10^4 Nm3", "85"),
    ("1", "万立方米", "Nm3", "10000"),
    ("1", "万标方", "标准立方米", "10000"),
    ("1", "10^4Nm3", "万Nm3", "1"),
    ("1", "10⁴ Nm³", "Nm3", "10000"),
    ("1500", "kgCO2e", "tCO2e", "1.5"),
    ("3", "公斤", "千克", "3"),
    ("1", "吉焦", "兆焦", "1000"),
    ("1", "太焦", "GJ", "1000"),
    ("1", "兆瓦时", "千瓦时", "1000"),
    ("1", "吉瓦时", "MWh", "1000"),
    ("1", "千焦", "kJ", "1"),
    ("2", "m3", "m3", "2"),
]


@pytest.mark.parametrize(("quantity", "source", "target", "result"), CONVERSIONS)
def test_a_conversion_is_exact_in_decimal(
    quantity: str, source: str, target: str, result: str
) -> None:
    converted = convert(Decimal(quantity), source, target)
    assert isinstance(converted, Decimal)
    assert converted == Decimal(result)


def test_normal_cubic_metres_never_convert_to_plain_cubic_metres() -> None:
    with pytest.raises(IncompatibleUnit, match="cannot convert 'm3' \\(geometric volume\\)"):
        convert(Decimal(1), "m3", "Nm3")


def test_energy_does_not_convert_to_mass() -> None:
    with pytest.raises(IncompatibleUnit, match="'MWh' \\(energy\\) to 't' \\(mass\\)"):
        conversion_factor("MWh", "t")


@pytest.mark.parametrize("text", ["barrel", "mWh", "mwh", "", "立方米"])
def test_an_unknown_unit_is_refused_listing_the_known_ones(text: str) -> None:
    with pytest.raises(UnknownUnit, match=f"unknown unit '{text}'; known units: kWh, "):
        canonical_unit(text)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [("万立方米", "10^4 Nm3"), (" 10^4  Nm3 ", "10^4 Nm3"), ("吨", "t"), ("MWh", "MWh")],
)
def test_spellings_map_to_their_canonical_unit(text: str, canonical: str) -> None:
    assert canonical_unit(text) == canonical


def test_unit_kinds_say_what_a_unit_measures() -> None:
    assert unit_kind("万立方米") == units.NORMAL_GAS_VOLUME
    assert unit_kind("m3") == units.VOLUME
    assert unit_kind("tCO2e") == units.CO2E_MASS


def test_a_factor_is_computed_once_then_looked_up(monkeypatch: pytest.MonkeyPatch) -> None:
    assert conversion_factor("GWh", "GJ") == Decimal(3600)

    def fail(source: str, target: str) -> Decimal:
        raise AssertionError("pint consulted again")

    monkeypatch.setattr(units, "_compute_factor", fail)
    assert convert(Decimal(2), "GWh", "GJ") == Decimal(7200)


def test_the_stored_factors_are_exactly_what_pint_computes() -> None:
    # Same digits and the same exponent ("1E+3", not "1000"): a product keeps its factor's.
    assert units.pint_factors() == FACTORS


def test_converting_does_not_import_pint() -> None:
    program = (
        "import sys\n"
        "from decimal import Decimal\n"
        "from emissions.accounting.units import convert\n"
        "print(convert(Decimal('850000'), '标方', '万立方米'), 'pint' in sys.modules)\n"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and program
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["85.0000", "False"]


def test_electricity_takes_electricity_units_only() -> None:
    factors = load_default_factor_set()
    for carrier in ("grid_electricity", "onsite_renewable_electricity"):
        assert allowed_units_for_carrier(carrier, factors) == ("kWh", "10^4 kWh", "MWh", "GWh")
        assert unit_fits_carrier(carrier, "万千瓦时", factors)
        assert not unit_fits_carrier(carrier, "GJ", factors)


def test_heat_takes_joules_and_watt_hours_and_steam_takes_mass() -> None:
    factors = load_default_factor_set()
    assert allowed_units_for_carrier("purchased_heat", factors) == (
        "GJ",
        "MJ",
        "TJ",
        "kWh",
        "MWh",
        "GWh",
    )
    assert unit_fits_carrier("purchased_heat", "MWh", factors)
    assert allowed_units_for_carrier("purchased_steam", factors) == ("t", "kg")
    assert not unit_fits_carrier("purchased_steam", "GJ", factors)


def test_a_fuel_takes_the_units_convertible_to_its_factor_unit() -> None:
    factors = load_default_factor_set()
    assert allowed_units_for_carrier("natural_gas", factors) == ("Nm3", "10^4 Nm3")
    assert allowed_units_for_carrier("diesel", factors) == ("kg", "t", "10^4 t")
    assert unit_fits_carrier("natural_gas", "万立方米", factors)
    assert not unit_fits_carrier("natural_gas", "m3", factors)
    assert not unit_fits_carrier("natural_gas", "bogus", factors)


def test_an_unknown_carrier_has_no_units() -> None:
    with pytest.raises(UnknownCarrier, match="unknown energy carrier 'biogas'"):
        allowed_units_for_carrier("biogas", load_default_factor_set())


def test_gases_take_mass_units() -> None:
    assert allowed_units_for_gas() == ("t", "kg")
    assert unit_fits_gas("公斤")
    assert not unit_fits_gas("MWh")
    assert not unit_fits_gas("pound")
