"""The factor library as the kernel sees it: one frozen, versioned factor set.

The database holds factor sets as versioned data (`emissions.models`); selectors turn a
published set into this plain object. `CN-2025.1` ships as `emissions/data/CN-2025.1.json`
(source notes on every value, see `../shared/spec/emission-factors.md`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from .translation import chinese

# A fuel's English name where its code in words is not it; the factor set names fuels in
# Chinese only (`name_zh`).
ENGLISH_FUEL_NAMES = {"lpg": "LPG"}


def english_fuel_name(code: str) -> str:
    """A fuel's English name: ENGLISH_FUEL_NAMES' (`LPG`), else its code in words (`raw coal`)."""
    return ENGLISH_FUEL_NAMES.get(code, code.replace("_", " "))


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

    @property
    def name_en(self) -> str:
        """The code in words (`raw coal`), or the name of ENGLISH_FUEL_NAMES (`LPG`)."""
        return english_fuel_name(self.code)

    @property
    def name(self) -> str:
        """The fuel as a sentence in the active language names it: the factor set's Chinese
        name in Chinese, `name_en` otherwise (and where a set has no Chinese name)."""
        return self.name_zh if chinese() and self.name_zh else self.name_en


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
