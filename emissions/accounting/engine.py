"""`account`: one factory's inventory for one year -> categories, metrics and explanations.

Deterministic and pure: the evaluation date is passed in (it decides which credits are
retired), nothing is read from the clock, the database or the network. All arithmetic runs in
`Decimal` under a local context of 34 significant digits (IEEE 754 decimal128), far beyond the
3 or 4 places of the output, so rounding happens once, in presentation.
"""

from __future__ import annotations

from datetime import date
from decimal import Context, Decimal, DivisionByZero, InvalidOperation, Overflow, localcontext

from .categories import LineTotals, Scope3Totals, account_gases, account_scope3
from .energy import EnergyTotals, account_energy
from .errors import InvalidInventory
from .factors import FactorSet
from .formatting import amount, num, tonnes
from .gases import gwp_values
from .grid import GridChoice, choose_grid_factors
from .inputs import InventoryInput
from .instruments import check_instruments
from .metrics import MetricInputs, compute_metrics
from .results import AccountingResult, CalculationLine, Emissions, FactorsUsed
from .translation import gettext as _

ACCOUNTING_CONTEXT = Context(prec=34, traps=[InvalidOperation, DivisionByZero, Overflow])
BOUNDARIES = ("I", "II")
ZERO = Decimal(0)


def account(inventory: InventoryInput, factors: FactorSet, as_of: date) -> AccountingResult:
    """Account one inventory with one factor set as of the evaluation date `as_of`."""
    with localcontext(ACCOUNTING_CONTEXT):
        return _account(inventory, factors, as_of)


def _green_line(green_mwh: Decimal, valid_mwh: Decimal, grid: GridChoice) -> CalculationLine:
    market = -(green_mwh * grid.residual_value)
    formula = (
        f"market: -{amount(green_mwh)} MWh x {num(grid.residual_value)} tCO2/MWh = "
        f"{tonnes(market)} tCO2 (valid instruments {amount(valid_mwh)} MWh, capped at grid "
        "electricity)"
    )
    description = _("valid green electricity, deducted in the market-based method")
    return CalculationLine("2", "/green_electricity", description, formula, ZERO, market)


def _factors_used(
    inventory: InventoryInput, factors: FactorSet, grid: GridChoice, values: dict[str, Decimal]
) -> FactorsUsed:
    return FactorsUsed(
        set_version=factors.version,
        grid_factor_tco2_per_mwh=grid.location.value_tco2_per_mwh,
        grid_factor_year=grid.location.year,
        grid_factor_scope=grid.location.scope,
        grid_factor_area=grid.location.area,
        residual_factor_tco2_per_mwh=grid.residual_value,
        residual_factor_year=grid.residual_year,
        gwp_set=inventory.gwp_set,
        heat_factor_tco2_per_gj=factors.heat_factor_tco2_per_gj,
        warnings=grid.warnings,
        values=tuple(sorted(values.items())),
    )


def _emissions(
    boundary: str, energy: EnergyTotals, gases: LineTotals, scope3: Scope3Totals, green: Decimal
) -> Emissions:
    """Category totals; `green` is the market-based deduction of green electricity, tCO2."""
    category_1 = energy.fuel_tco2 + gases.tco2e
    boundary_total = category_1 + energy.category_2_location
    if boundary == "II":
        boundary_total += scope3.category_3 + scope3.category_4
    return Emissions(
        category_1=category_1,
        category_2_location=energy.category_2_location,
        category_2_market=energy.category_2_market - green,
        category_3=scope3.category_3,
        category_4=scope3.category_4,
        boundary_total=boundary_total,
    )


def _account(inventory: InventoryInput, factors: FactorSet, as_of: date) -> AccountingResult:
    if inventory.boundary not in BOUNDARIES:
        message = _("boundary must be I or II, got {boundary!r}")
        raise InvalidInventory(message.format(boundary=inventory.boundary))
    gwp_values(factors, inventory.gwp_set)  # an unknown GWP set fails even without gases
    province, year = inventory.factory.province, inventory.year
    grid = choose_grid_factors(factors, inventory.grid_factor_scope, province, year)
    energy = account_energy(inventory.energy, factors, grid)
    gases = account_gases(
        inventory.process_emissions, inventory.refrigerants, factors, inventory.gwp_set
    )
    scope3 = account_scope3(inventory.scope3)
    instruments = check_instruments(
        inventory.green_electricity, inventory.credits, inventory.factory, year, as_of
    )
    valid_mwh = sum((g.quantity_mwh for g in instruments.green), ZERO)
    green_mwh = min(valid_mwh, energy.grid_mwh)
    green_lines = [_green_line(green_mwh, valid_mwh, grid)] if green_mwh else []
    emissions = _emissions(
        inventory.boundary, energy, gases, scope3, green_mwh * grid.residual_value
    )
    location_factor = grid.location.value_tco2_per_mwh
    metrics = compute_metrics(
        MetricInputs(
            inventory, energy, instruments, green_mwh, emissions.boundary_total, location_factor
        )
    )
    return AccountingResult(
        factors=_factors_used(inventory, factors, grid, energy.values | gases.values),
        emissions=emissions,
        metrics=metrics,
        lines=tuple(energy.lines + gases.lines + green_lines + scope3.lines),
        instrument_issues=instruments.issues,
    )
