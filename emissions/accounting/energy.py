"""Energy lines: fuel combustion (category 1) and imported energy (category 2).

Formulas of emission-factors.md section 1:
- fuel: tCO2 = AD x NCV x CC x OF x 44/12, AD in the fuel's unit of the factor set;
- grid electricity: MWh x grid factor (location) and MWh x residual factor (market, before
  the deduction of green electricity, which `engine` adds as a line of its own);
- purchased heat: GJ x heat factor; purchased steam: GJ = t x (enthalpy - 83.74) / 1000,
  then as heat (also for electrification);
- on-site renewable electricity self-consumed: 0.
Every line records the numbers it used, so a certification body can recompute it by hand.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from .carriers import (
    GRID_ELECTRICITY,
    ONSITE_RENEWABLE_ELECTRICITY,
    PURCHASED_HEAT,
    PURCHASED_STEAM,
)
from .errors import InvalidInventory, UnknownCarrier
from .factors import FactorSet
from .formatting import amount, num, tonnes
from .grid import GridChoice, describe, grid_factor_key
from .inputs import EnergyLine
from .results import CalculationLine
from .translation import gettext as _
from .translation import gettext_noop
from .units import convert

ZERO = Decimal(0)
# Molar masses of CO2 and C, g/mol: the spec's 44/12 (emission-factors.md section 1).
CO2_MOLAR_MASS, C_MOLAR_MASS = Decimal(44), Decimal(12)
# Enthalpy of the 20 degC feed water the spec subtracts (4.1868 kJ/(kg K) x 20 K), section 1.
STEAM_REFERENCE_ENTHALPY_KJ_PER_KG = Decimal("83.74")
HEAT_FACTOR_KEY = "heat:tco2_per_gj"
STEAM_REFERENCE_KEY = "steam:reference_enthalpy_kj_per_kg"
# The description of a heat line, by carrier (translated when the line is made).
HEAT_DESCRIPTIONS = {
    PURCHASED_HEAT: gettext_noop("purchased heat"),
    PURCHASED_STEAM: gettext_noop("purchased steam"),
}


@dataclass
class EnergyTotals:
    """Running totals of the energy lines of one inventory."""

    lines: list[CalculationLine] = field(default_factory=list)
    values: dict[str, Decimal] = field(default_factory=dict)
    fuel_tco2: Decimal = ZERO
    fuel_gj: Decimal = ZERO  # sum of AD x NCV, for electrification
    grid_mwh: Decimal = ZERO
    onsite_mwh: Decimal = ZERO
    heat_gj: Decimal = ZERO  # purchased heat and steam
    category_2_location: Decimal = ZERO
    category_2_market: Decimal = ZERO  # before the green-electricity deduction


def _in_unit(line: EnergyLine, quantity: Decimal, unit: str) -> str:
    """`12500 MWh`, or `12500000 kWh = 12500 MWh` when the line was converted."""
    if line.unit == unit:
        return f"{num(line.quantity)} {unit}"
    return f"{num(line.quantity)} {line.unit} = {amount(quantity)} {unit}"


def _add(totals: EnergyTotals, line: CalculationLine, market: Decimal) -> None:
    totals.lines.append(line)
    totals.category_2_location += line.tco2e
    totals.category_2_market += market


def _grid(line: EnergyLine, grid: GridChoice, totals: EnergyTotals) -> None:
    mwh = convert(line.quantity, line.unit, "MWh")
    factor = grid.location.value_tco2_per_mwh
    location, market = mwh * factor, mwh * grid.residual_value
    residual = "national residual" if grid.residual else "location factor as residual"
    formula = (
        f"location: {_in_unit(line, mwh, 'MWh')} x {num(factor)} tCO2/MWh "
        f"({describe(grid.location)}) = {tonnes(location)} tCO2; market: {amount(mwh)} MWh x "
        f"{num(grid.residual_value)} tCO2/MWh ({residual} {grid.residual_year}) = "
        f"{tonnes(market)} tCO2"
    )
    totals.grid_mwh += mwh
    description = _("purchased grid electricity")
    item = CalculationLine("2", line.path, description, formula, location, market)
    _add(totals, item, market)


def _onsite(line: EnergyLine, totals: EnergyTotals) -> None:
    mwh = convert(line.quantity, line.unit, "MWh")
    totals.onsite_mwh += mwh
    formula = f"{_in_unit(line, mwh, 'MWh')} x 0 tCO2/MWh = 0 tCO2"
    description = _("on-site renewable electricity, self-consumed")
    _add(totals, CalculationLine("2", line.path, description, formula, ZERO, ZERO), ZERO)


def _add_heat(
    line: EnergyLine, gj: Decimal, quantity: str, factors: FactorSet, totals: EnergyTotals
) -> None:
    """A heat line (steam already in GJ): `quantity` shows how the GJ were obtained."""
    factor = factors.heat_factor_tco2_per_gj
    tco2 = gj * factor
    formula = f"{quantity} x {num(factor)} tCO2/GJ = {tonnes(tco2)} tCO2"
    description = _(HEAT_DESCRIPTIONS[line.carrier])
    totals.heat_gj += gj
    totals.values[HEAT_FACTOR_KEY] = factor
    _add(totals, CalculationLine("2", line.path, description, formula, tco2, tco2), tco2)


def _heat(line: EnergyLine, factors: FactorSet, totals: EnergyTotals) -> None:
    gj = convert(line.quantity, line.unit, "GJ")
    _add_heat(line, gj, _in_unit(line, gj, "GJ"), factors, totals)


def _steam(line: EnergyLine, factors: FactorSet, totals: EnergyTotals) -> None:
    enthalpy = line.enthalpy_kj_per_kg
    if enthalpy is None or enthalpy <= STEAM_REFERENCE_ENTHALPY_KJ_PER_KG:
        message = _("{path}: purchased steam needs enthalpy_kj_per_kg above {minimum}, got {given}")
        raise InvalidInventory(
            message.format(
                path=line.path, minimum=STEAM_REFERENCE_ENTHALPY_KJ_PER_KG, given=enthalpy
            )
        )
    kg = convert(line.quantity, line.unit, "kg")
    gj = convert(kg * (enthalpy - STEAM_REFERENCE_ENTHALPY_KJ_PER_KG), "kJ", "GJ")
    tonnes_of_steam = convert(line.quantity, line.unit, "t")
    quantity = (
        f"{_in_unit(line, tonnes_of_steam, 't')} x ({num(enthalpy)} - "
        f"{num(STEAM_REFERENCE_ENTHALPY_KJ_PER_KG)}) kJ/kg / 1000 = {amount(gj)} GJ; "
        f"{amount(gj)} GJ"
    )
    totals.values[STEAM_REFERENCE_KEY] = STEAM_REFERENCE_ENTHALPY_KJ_PER_KG
    _add_heat(line, gj, quantity, factors, totals)


def _fuel(line: EnergyLine, factors: FactorSet, totals: EnergyTotals) -> None:
    fuel = factors.fuels.get(line.carrier)
    if fuel is None:
        message = _("{path}: unknown energy carrier {carrier!r}")
        raise UnknownCarrier(message.format(path=line.path, carrier=line.carrier))
    ad = convert(line.quantity, line.unit, fuel.unit)
    ncv, cc, of = fuel.ncv_gj_per_unit, fuel.carbon_content_tc_per_gj, fuel.oxidation_fraction
    gj = ad * ncv
    tco2 = gj * cc * of * CO2_MOLAR_MASS / C_MOLAR_MASS
    formula = (
        f"{_in_unit(line, ad, fuel.unit)} x {num(ncv)} GJ/{fuel.unit} x {num(cc)} tC/GJ x "
        f"{num(of)} x 44/12 = {tonnes(tco2)} tCO2"
    )
    description = _("combustion of {fuel}").format(fuel=fuel.name)
    totals.lines.append(CalculationLine("1", line.path, description, formula, tco2))
    totals.fuel_tco2 += tco2
    totals.fuel_gj += gj
    prefix = f"fuel:{fuel.code}:"
    totals.values[prefix + "ncv_gj_per_unit"] = ncv
    totals.values[prefix + "carbon_content_tc_per_gj"] = cc
    totals.values[prefix + "oxidation_fraction"] = of


def account_energy(
    lines: Iterable[EnergyLine], factors: FactorSet, grid: GridChoice
) -> EnergyTotals:
    """Category 1 fuel and category 2 energy lines, with totals for the metrics."""
    totals = EnergyTotals()
    totals.values[grid_factor_key(grid.location)] = grid.location.value_tco2_per_mwh
    if grid.residual is not None:
        totals.values[grid_factor_key(grid.residual)] = grid.residual.value_tco2_per_mwh
    for line in lines:
        if line.carrier == GRID_ELECTRICITY:
            _grid(line, grid, totals)
        elif line.carrier == ONSITE_RENEWABLE_ELECTRICITY:
            _onsite(line, totals)
        elif line.carrier == PURCHASED_HEAT:
            _heat(line, factors, totals)
        elif line.carrier == PURCHASED_STEAM:
            _steam(line, factors, totals)
        else:
            _fuel(line, factors, totals)
    return totals
