"""Gas lines (category 1 process emissions and refrigerants) and categories 3 and 4.

Formulas of emission-factors.md section 1: process emissions t of gas x GWP; refrigerant
leaks (= refills) kg x GWP / 1000; categories 3 and 4 either tCO2e given directly or
quantity x a factor the user supplies with its source.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from .errors import InvalidInventory
from .factors import FactorSet
from .formatting import amount, num, tonnes
from .gases import GasGwp, gwp_of
from .inputs import GasLine, Scope3Line
from .results import CalculationLine
from .translation import gettext as _
from .units import convert

ZERO = Decimal(0)


@dataclass
class LineTotals:
    """Running totals of the process-emission and refrigerant lines."""

    lines: list[CalculationLine] = field(default_factory=list)
    values: dict[str, Decimal] = field(default_factory=dict)
    tco2e: Decimal = ZERO


def _gwp_text(gas: GasGwp, values: dict[str, Decimal]) -> str:
    """`GWP 771 (AR6)` or, for a blend, `GWP 2255.5 (AR6: 0.50 x HFC-32 771 + ...)`."""
    if not gas.parts:
        values[f"gwp:{gas.gwp_set}:{gas.gas}"] = gas.gwp
        return f"GWP {num(gas.gwp)} ({gas.gwp_set})"
    for part in gas.parts:
        values[f"gwp:{gas.gwp_set}:{part.gas}"] = part.gwp
        values[f"blend:{gas.gas}:{part.gas}"] = part.mass_fraction
    terms = " + ".join(f"{num(p.mass_fraction)} x {p.gas} {num(p.gwp)}" for p in gas.parts)
    return f"GWP {amount(gas.gwp)} ({gas.gwp_set}: {terms})"


def _mass(line: GasLine, quantity: Decimal, unit: str) -> str:
    """`25 kg`, or `0.025 t = 25 kg` when the line was converted."""
    if line.unit == unit:
        return f"{num(line.quantity)} {unit}"
    return f"{num(line.quantity)} {line.unit} = {amount(quantity)} {unit}"


def _process(line: GasLine, factors: FactorSet, gwp_set: str, totals: LineTotals) -> None:
    gas = gwp_of(line.gas, factors, gwp_set)
    t = convert(line.quantity, line.unit, "t")
    tco2e = t * gas.gwp
    quantity = _mass(line, t, "t")
    formula = f"{quantity} {gas.gas} x {_gwp_text(gas, totals.values)} = {tonnes(tco2e)} tCO2e"
    if line.source:
        description = _("process emission of {gas} ({source})").format(
            gas=gas.gas, source=line.source
        )
    else:
        description = _("process emission of {gas}").format(gas=gas.gas)
    totals.lines.append(CalculationLine("1", line.path, description, formula, tco2e))
    totals.tco2e += tco2e


def _refrigerant(line: GasLine, factors: FactorSet, gwp_set: str, totals: LineTotals) -> None:
    gas = gwp_of(line.gas, factors, gwp_set)
    kg = convert(line.quantity, line.unit, "kg")
    tco2e = convert(kg * gas.gwp, "kgCO2e", "tCO2e")
    quantity = _mass(line, kg, "kg")
    formula = (
        f"{quantity} {gas.gas} x {_gwp_text(gas, totals.values)} / 1000 = {tonnes(tco2e)} tCO2e"
    )
    description = _("refrigerant refill (leak) of {gas}").format(gas=gas.gas)
    totals.lines.append(CalculationLine("1", line.path, description, formula, tco2e))
    totals.tco2e += tco2e


def account_gases(
    process: Iterable[GasLine], refrigerants: Iterable[GasLine], factors: FactorSet, gwp_set: str
) -> LineTotals:
    """Category 1 process-emission and refrigerant lines."""
    totals = LineTotals()
    for line in process:
        _process(line, factors, gwp_set, totals)
    for line in refrigerants:
        _refrigerant(line, factors, gwp_set, totals)
    return totals


@dataclass
class Scope3Totals:
    """Category 3 and 4 lines in input order and their totals."""

    lines: list[CalculationLine] = field(default_factory=list)
    category_3: Decimal = ZERO
    category_4: Decimal = ZERO


def _scope3_tco2e(line: Scope3Line) -> tuple[Decimal, str]:
    if line.tco2e is not None:
        return line.tco2e, f"{num(line.tco2e)} tCO2e given"
    if line.quantity is None or line.factor_tco2e_per_unit is None:
        message = _(
            "{path}: a category {category} entry needs tco2e, or quantity and factor_tco2e_per_unit"
        )
        raise InvalidInventory(message.format(path=line.path, category=line.category))
    unit = line.unit or "unit"
    tco2e = line.quantity * line.factor_tco2e_per_unit
    source = f" ({line.factor_source})" if line.factor_source else ""
    formula = (
        f"{num(line.quantity)} {unit} x {num(line.factor_tco2e_per_unit)} tCO2e/{unit}{source}"
        f" = {tonnes(tco2e)} tCO2e"
    )
    return tco2e, formula


def account_scope3(lines: Iterable[Scope3Line]) -> Scope3Totals:
    """Category 3 and 4 lines in input order; always computed, added to E only for type II."""
    totals = Scope3Totals()
    for line in lines:
        if line.category not in (3, 4):
            message = _("{path}: category must be 3 or 4, got {category}")
            raise InvalidInventory(message.format(path=line.path, category=line.category))
        tco2e, formula = _scope3_tco2e(line)
        totals.lines.append(
            CalculationLine(str(line.category), line.path, line.source, formula, tco2e)
        )
        if line.category == 3:
            totals.category_3 += tco2e
        else:
            totals.category_4 += tco2e
    return totals
