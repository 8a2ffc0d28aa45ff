"""The factor library as the kernel sees it: one frozen, versioned factor set.

The database holds factor sets as versioned data (`emissions.models`); selectors turn a
published set into this plain object. `CN-2025.1` ships as `emissions/data/CN-2025.1.json`
(source notes on every value, see `../shared/spec/emission-factors.md`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class FuelFactor:
    """tCO2 per unit = NCV x CC x OF x 44/12, never stored pre-multiplied."""

    code: str  # "natural_gas"
    name_zh: str
    unit: str  # the unit NCV refers to: "10^4 Nm3", "t"
    ncv_gj_per_unit: Decimal
    carbon_content_tc_per_gj: Decimal
    oxidation_fraction: Decimal
    confidence: str
    source: str


@dataclass(frozen=True)
class GridFactor:
    scope: str  # "national", "regional" or "provincial"
    area: str  # "" for national, region code ("east") or province ("江苏")
    year: int
    kind: str  # "location" or "residual"
    value_tco2_per_mwh: Decimal
    confidence: str  # "confirmed", "likely" or "derived"
    source: str


@dataclass(frozen=True)
class FactorSet:
    version: str  # "CN-2025.1"
    fuels: Mapping[str, FuelFactor]
    grid_factors: tuple[GridFactor, ...]
    gwp: Mapping[str, Mapping[str, Decimal]]  # set ("AR6") -> gas ("HFC-32") -> GWP-100
    gas_aliases: Mapping[str, str]  # "R-32" -> "HFC-32", "R-134a" -> "HFC-134a"
    blends: Mapping[str, Mapping[str, Decimal]]  # "R-410A" -> component gas -> mass fraction
    heat_factor_tco2_per_gj: Decimal
    source_notes: str = ""
