"""Plain, frozen inputs of the accounting kernel: one factory, one year.

Everything is already validated and converted to `Decimal` at the edge (the dossier reader or
the selectors that read the database); the kernel trusts the shapes but not the semantics of
instruments, whose validity it decides itself (see `instruments.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class EnergyLine:
    """One energy carrier consumed in the year.

    `carrier` is `grid_electricity`, `onsite_renewable_electricity`, `purchased_heat`,
    `purchased_steam` or a fuel code of the factor set; `unit` is the unit as the user gave it
    (`kWh`, `MWh`, `10^4 Nm3`, `t`, `GJ`, ...). `path` locates the line for explanations
    (`/energy/2`).
    """

    carrier: str
    quantity: Decimal
    unit: str
    path: str = ""
    enthalpy_kj_per_kg: Decimal | None = None


@dataclass(frozen=True)
class GasLine:
    """A process emission or a refrigerant refill (leak = refill), in a mass unit."""

    gas: str
    quantity: Decimal
    unit: str
    path: str = ""
    source: str = ""


@dataclass(frozen=True)
class Scope3Line:
    """An ISO 14064-1 category 3 or 4 entry: `tco2e` directly, or quantity x factor."""

    category: int
    source: str
    path: str = ""
    tco2e: Decimal | None = None
    quantity: Decimal | None = None
    unit: str | None = None
    factor_tco2e_per_unit: Decimal | None = None
    factor_source: str | None = None


@dataclass(frozen=True)
class GreenInstrument:
    """A green-electricity claim: `GEC`, `GREEN_POWER` (contract) or `I-REC`, in MWh."""

    instrument: str
    registry: str
    quantity_mwh: Decimal
    vintage: int | None
    path: str = ""
    serial_from: str | None = None
    serial_to: str | None = None
    contract_ref: str | None = None
    evidence_ref: str | None = None


@dataclass(frozen=True)
class CarbonCredit:
    """A carbon credit claim (`CCER`, `CER`, `VCU`, `GS-VER`, `CN-FOREST`), in tCO2e."""

    instrument: str
    registry: str
    quantity_tco2e: Decimal
    vintage: int | None
    kind: str  # "avoidance" or "removal"
    path: str = ""
    serial_from: str | None = None
    serial_to: str | None = None
    retired_on: date | None = None
    beneficiary: str | None = None
    evidence_ref: str | None = None


@dataclass(frozen=True)
class ReductionMeasure:
    name: str
    implemented_in: int
    reduction_tco2e: Decimal
    verified: bool
    path: str = ""


@dataclass(frozen=True)
class Production:
    output: Decimal
    unit: str = ""


@dataclass(frozen=True)
class Baseline:
    year: int
    emissions_tco2e: Decimal
    output: Decimal


@dataclass(frozen=True)
class FactoryIdentity:
    """What a credit's beneficiary may name: the legal name, the English name, the code."""

    name: str
    credit_code: str
    province: str  # canonical short Chinese name, e.g. "江苏"
    name_en: str = ""


@dataclass(frozen=True)
class InventoryInput:
    """One factory's inventory for one calendar year."""

    factory: FactoryIdentity
    year: int
    boundary: str  # "I" or "II"
    gwp_set: str = "AR6"
    grid_factor_scope: str = "national"  # "national", "regional" or "provincial"
    energy: tuple[EnergyLine, ...] = ()
    process_emissions: tuple[GasLine, ...] = ()
    refrigerants: tuple[GasLine, ...] = ()
    scope3: tuple[Scope3Line, ...] = ()
    production: Production | None = None
    baseline: Baseline | None = None
    reduction_measures: tuple[ReductionMeasure, ...] = ()
    green_electricity: tuple[GreenInstrument, ...] = ()
    credits: tuple[CarbonCredit, ...] = field(default=())
