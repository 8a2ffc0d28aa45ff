"""Frozen results of the accounting kernel. Values are exact `Decimal`s, never rounded here:
rounding belongs to presentation (`present.py`), as the spec rounds in the output only."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class CalculationLine:
    """One line a certification body can recompute by hand.

    `category` is "1", "2", "3", "4" or "biomass"; `formula` shows the numbers used, for
    example "85 10^4 Nm3 x 389.31 GJ/10^4 Nm3 x 0.01532 tC/GJ x 0.99 x 44/12".
    """

    category: str
    path: str
    description: str
    formula: str
    tco2e: Decimal
    tco2e_market: Decimal | None = None  # category 2 lines only


@dataclass(frozen=True)
class FactorsUsed:
    set_version: str
    grid_factor_tco2_per_mwh: Decimal
    grid_factor_year: int
    grid_factor_scope: str  # the scope actually used after fallbacks
    grid_factor_area: str  # "" for national, a region code or a province name
    residual_factor_tco2_per_mwh: Decimal
    residual_factor_year: int
    gwp_set: str
    heat_factor_tco2_per_gj: Decimal
    warnings: tuple[str, ...]
    # every other value used, keyed by a stable name ("fuel:natural_gas:ncv_gj_per_unit",
    # "gwp:AR6:HFC-32", ...), so that a stored result shows exactly what it used.
    values: tuple[tuple[str, Decimal], ...] = ()


@dataclass(frozen=True)
class Emissions:
    """tCO2e by ISO 14064-1 category; boundary_total is E (location-based)."""

    category_1: Decimal
    category_2_location: Decimal
    category_2_market: Decimal
    category_3: Decimal
    category_4: Decimal
    boundary_total: Decimal
    biomass_co2: Decimal = Decimal(0)


@dataclass(frozen=True)
class Metrics:
    """The spec's metrics. A ratio is None where the spec leaves it undefined (EC = 0 for the
    RE share, no energy for electrification, no baseline for intensity)."""

    electricity_consumption_mwh: Decimal  # EC
    grid_electricity_mwh: Decimal
    onsite_renewable_mwh: Decimal
    green_electricity_mwh: Decimal  # GREEN, valid and capped at grid electricity
    renewable_electricity_mwh: Decimal  # RE_MWH
    renewable_electricity_share: Decimal | None
    green_power_offset_tco2e: Decimal  # GPO
    credit_offset_tco2e: Decimal  # CO
    removal_tco2e: Decimal  # RC
    neutralisation_tco2e: Decimal  # N
    neutralisation_ratio: Decimal  # NR
    removal_ratio: Decimal  # RR
    electrification_share: Decimal | None
    intensity_reduction: Decimal | None
    reduction_measures_tco2e: Decimal  # sum of measures implemented in the year
    reduction_ratio: Decimal  # RED-3 value
    offset_quality_ratio: Decimal  # OFS-2 value, Q / N
    has_category_3: bool
    has_category_4: bool


@dataclass(frozen=True)
class InstrumentIssue:
    path: str
    message: str


@dataclass(frozen=True)
class AccountingResult:
    factors: FactorsUsed
    emissions: Emissions
    metrics: Metrics
    lines: tuple[CalculationLine, ...]
    instrument_issues: tuple[InstrumentIssue, ...]
