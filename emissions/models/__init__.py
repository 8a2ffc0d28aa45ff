"""Emissions data: factories, yearly inventories and their lines, instruments and credits,
serial claims, evidence, meters and their readings, and the versioned factor library."""

from emissions.models.factories import Factory
from emissions.models.factors import (
    FactorSet,
    FactorSetBlendComponent,
    FactorSetFuel,
    FactorSetGasAlias,
    FactorSetGridFactor,
    FactorSetGwp,
)
from emissions.models.imports import ImportJob
from emissions.models.instruments import CarbonCredit, GreenElectricityInstrument, SerialClaim
from emissions.models.inventory import (
    EnergyRecord,
    EvidenceDocument,
    Inventory,
    ProcessEmission,
    ReductionMeasure,
    RefrigerantRecord,
    Scope3Entry,
)
from emissions.models.meters import (
    Meter,
    MeterMonth,
    MeterYearQuality,
    Reading,
    ReadingCorrection,
)
from emissions.models.registries import Registry, RegistryAlias

__all__ = [
    "CarbonCredit",
    "EnergyRecord",
    "EvidenceDocument",
    "FactorSet",
    "FactorSetBlendComponent",
    "FactorSetFuel",
    "FactorSetGasAlias",
    "FactorSetGridFactor",
    "FactorSetGwp",
    "Factory",
    "GreenElectricityInstrument",
    "ImportJob",
    "Inventory",
    "Meter",
    "MeterMonth",
    "MeterYearQuality",
    "ProcessEmission",
    "Reading",
    "ReadingCorrection",
    "ReductionMeasure",
    "RefrigerantRecord",
    "Registry",
    "RegistryAlias",
    "Scope3Entry",
    "SerialClaim",
]
