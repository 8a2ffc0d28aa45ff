"""The kernel's `InventoryInput` from a normalised dossier document."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from emissions.accounting.inputs import (
    Baseline,
    CarbonCredit,
    EnergyLine,
    FactoryIdentity,
    GasLine,
    GreenInstrument,
    InventoryInput,
    Production,
    ReductionMeasure,
    Scope3Line,
)
from emissions.dossier.errors import pointer

Entry = Mapping[str, Any]
T = TypeVar("T")


def _lines(document: Entry, section: str, build: Callable[[Entry, str], T]) -> tuple[T, ...]:
    entries = document.get(section, [])
    return tuple(build(entry, pointer(section, index)) for index, entry in enumerate(entries))


def _energy(entry: Entry, path: str) -> EnergyLine:
    return EnergyLine(
        carrier=entry["carrier"],
        quantity=entry["quantity"],
        unit=entry["unit"],
        path=path,
        enthalpy_kj_per_kg=entry.get("enthalpy_kj_per_kg"),
    )


def _gas(entry: Entry, path: str) -> GasLine:
    return GasLine(
        gas=entry["gas"],
        quantity=entry["quantity"],
        unit=entry["unit"],
        path=path,
        source=entry.get("source", ""),
    )


def _scope3(entry: Entry, path: str) -> Scope3Line:
    return Scope3Line(
        category=entry["category"],
        source=entry["source"],
        path=path,
        tco2e=entry.get("tco2e"),
        quantity=entry.get("quantity"),
        unit=entry.get("unit"),
        factor_tco2e_per_unit=entry.get("factor_tco2e_per_unit"),
        factor_source=entry.get("factor_source"),
    )


def _measure(entry: Entry, path: str) -> ReductionMeasure:
    return ReductionMeasure(
        name=entry["name"],
        implemented_in=entry["implemented_in"],
        reduction_tco2e=entry["reduction_tco2e"],
        verified=entry.get("verified", False),
        path=path,
    )


def _green(entry: Entry, path: str) -> GreenInstrument:
    return GreenInstrument(
        instrument=entry["instrument"],
        registry=entry.get("registry", ""),
        quantity_mwh=entry["quantity_mwh"],
        vintage=entry.get("vintage"),
        path=path,
        serial_from=entry.get("serial_from"),
        serial_to=entry.get("serial_to"),
        contract_ref=entry.get("contract_ref"),
        evidence_ref=entry.get("evidence_ref"),
    )


def _credit(entry: Entry, path: str) -> CarbonCredit:
    return CarbonCredit(
        instrument=entry["instrument"],
        registry=entry.get("registry", ""),
        quantity_tco2e=entry["quantity_tco2e"],
        vintage=entry.get("vintage"),
        kind=entry["kind"],
        path=path,
        serial_from=entry["serial_from"],
        serial_to=entry["serial_to"],
        retired_on=entry.get("retired_on"),
        beneficiary=entry.get("beneficiary"),
        evidence_ref=entry.get("evidence_ref"),
    )


def _factory(entry: Entry) -> FactoryIdentity:
    return FactoryIdentity(
        name=entry["name"],
        credit_code=entry["credit_code"],
        province=entry["province"],
        name_en=entry.get("name_en", ""),
    )


def _production(document: Entry) -> Production | None:
    entry = document.get("production")
    return None if entry is None else Production(entry["output"], entry.get("unit", ""))


def _baseline(document: Entry) -> Baseline | None:
    entry = document.get("baseline")
    if entry is None:
        return None
    return Baseline(entry["year"], entry["emissions_tco2e"], entry["output"])


def build_inventory(document: Entry) -> InventoryInput:
    """The inventory of a normalised document (see `normalise.normalise_document`)."""
    return InventoryInput(
        factory=_factory(document["factory"]),
        year=document["year"],
        boundary=document["boundary"],
        gwp_set=document["gwp_set"],
        grid_factor_scope=document["grid_factor_scope"],
        energy=_lines(document, "energy", _energy),
        process_emissions=_lines(document, "process_emissions", _gas),
        refrigerants=_lines(document, "refrigerants", _gas),
        scope3=_lines(document, "scope3", _scope3),
        production=_production(document),
        baseline=_baseline(document),
        reduction_measures=_lines(document, "reduction_measures", _measure),
        green_electricity=_lines(document, "green_electricity", _green),
        credits=_lines(document, "credits", _credit),
    )
