"""The table of a list section of the inventory editor: its columns, with the selects fed
from the inventory's factor set, the accounting kernel's units and the registry directory
(nothing hard-coded that the platform's data decides), and each cell's name, id (the anchor
of its document path: `/energy/2/unit` is `f-energy-2-unit`), value and errors."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from assessments.forms.editor import MONTHS, Errors, Row, row_keys
from emissions.accounting.carriers import CARRIER_NAMES, carrier_name
from emissions.accounting.factors import FactorSet as KernelFactorSet
from emissions.accounting.instruments import CREDIT_INSTRUMENTS, GREEN_INSTRUMENTS
from emissions.accounting.units import allowed_units_for_carrier, allowed_units_for_gas
from emissions.dossier.layout import DATE_KEYS, DECIMAL_KEYS, INTEGER_KEYS
from emissions.dossier.registries import RegistryDirectory
from zerocarbon.templatetags import anchor


@dataclass(frozen=True)
class Column:
    key: str
    label: StrOrPromise
    kind: str = "text"  # text, decimal, integer, select, check, date
    options: tuple[tuple[str, Any], ...] = ()  # (value, label) of a select
    suggestions: str = ""  # the id of a <datalist> for a text input


@dataclass(frozen=True)
class Options:
    """The choices of an inventory's selects: carriers and gases of its factor set and GWP
    set, units of the accounting kernel, registries that admins maintain."""

    carriers: tuple[tuple[str, Any], ...]
    energy_units: tuple[str, ...]
    gases: tuple[str, ...]
    gas_units: tuple[str, ...]
    registries: tuple[str, ...]

    @classmethod
    def of(cls, factors: KernelFactorSet, gwp_set: str, directory: RegistryDirectory) -> Options:
        fuels = tuple(
            (code, capfirst(carrier_name(code, fuel.name_zh)))
            for code, fuel in factors.fuels.items()
        )
        fixed = tuple((code, capfirst(carrier_name(code))) for code in CARRIER_NAMES)
        units = [u for c in (*CARRIER_NAMES, *factors.fuels) for u in _units(c, factors)]
        gases = (*sorted(factors.gwp.get(gwp_set, {})), *factors.blends, *factors.gas_aliases)
        names = sorted({registry.name for registry in directory.by_alias.values()})
        return cls(
            carriers=(*fixed, *fuels),
            energy_units=tuple(dict.fromkeys(units)),
            gases=tuple(dict.fromkeys(gases)),
            gas_units=allowed_units_for_gas(),
            registries=tuple(names),
        )


REGISTRY_LIST = "registries"


def _units(carrier: str, factors: KernelFactorSet) -> tuple[str, ...]:
    return allowed_units_for_carrier(carrier, factors)


def _same(values: Sequence[str]) -> tuple[tuple[str, str], ...]:
    return tuple((value, value) for value in values)


def columns(section: str, options: Options) -> list[Column]:
    """The columns of a list section, in the dossier's key order (monthly values aside)."""
    special = _special_columns(options)
    return [special.get((section, key)) or _plain_column(key) for key in row_keys(section)]


def _special_columns(options: Options) -> dict[tuple[str, str], Column]:
    gas = Column("gas", _("Gas"), "select", _same(options.gases))
    gas_unit = Column("unit", _("Unit"), "select", _same(options.gas_units))
    registry = Column("registry", _("Registry"), suggestions=REGISTRY_LIST)
    return {
        ("energy", "carrier"): Column("carrier", _("Carrier"), "select", options.carriers),
        ("energy", "unit"): Column("unit", _("Unit"), "select", _same(options.energy_units)),
        ("process_emissions", "gas"): gas,
        ("process_emissions", "unit"): gas_unit,
        ("refrigerants", "gas"): gas,
        ("refrigerants", "unit"): gas_unit,
        ("scope3", "category"): Column("category", _("Category"), "select", SCOPE3_CATEGORIES),
        ("green_electricity", "instrument"): Column(
            "instrument", _("Instrument"), "select", _same(GREEN_INSTRUMENTS)
        ),
        ("green_electricity", "registry"): registry,
        ("credits", "instrument"): Column(
            "instrument", _("Instrument"), "select", _same(CREDIT_INSTRUMENTS)
        ),
        ("credits", "registry"): registry,
        ("credits", "kind"): Column("kind", _("Kind"), "select", CREDIT_KINDS),
    }


SCOPE3_CATEGORIES = (("3", _("3 · transport")), ("4", _("4 · products used")))
CREDIT_KINDS = (("avoidance", _("Avoidance")), ("removal", _("Removal")))
_LABELS: dict[str, StrOrPromise] = {
    "quantity": _("Quantity"),
    "unit": _("Unit"),
    "enthalpy_kj_per_kg": _("Enthalpy (kJ/kg, steam)"),
    "note": _("Note"),
    "source": _("Source"),
    "tco2e": _("tCO2e"),
    "factor_tco2e_per_unit": _("Factor (tCO2e per unit)"),
    "factor_source": _("Factor source"),
    "method": _("Method"),
    "name": _("Measure"),
    "implemented_in": _("Implemented in (year)"),
    "reduction_tco2e": _("Reduction (tCO2e)"),
    "verified": _("Verified"),
    "serial_from": _("First serial"),
    "serial_to": _("Last serial"),
    "contract_ref": _("Contract reference"),
    "quantity_mwh": _("MWh"),
    "quantity_tco2e": _("tCO2e"),
    "vintage": _("Vintage"),
    "retired_on": _("Retired on"),
    "beneficiary": _("Beneficiary"),
    "evidence_ref": _("Evidence reference"),
    "project": _("Project"),
}


def _plain_column(key: str) -> Column:
    if key == "verified":
        kind = "check"
    elif key in DATE_KEYS:
        kind = "date"
    elif key in INTEGER_KEYS:
        kind = "integer"
    elif key in DECIMAL_KEYS:
        kind = "decimal"
    else:
        kind = "text"
    return Column(key, _LABELS[key], kind)


def table(
    section: str, rows: Sequence[Row], columns: Sequence[Column], errors: Errors
) -> list[dict[str, Any]]:
    """What the template shows per row: each cell with its name, id (the anchor of its
    document path), value, options and errors; the monthly cells of an energy row."""
    return [_row(section, index, row, columns, errors) for index, row in enumerate(rows)]


def _row(
    section: str, index: int, row: Row, columns: Sequence[Column], errors: Errors
) -> dict[str, Any]:
    path = f"/{section}/{index}"
    cells = [
        _cell(f"{path}/{c.key}", f"r-{index}-{c.key}", row.values.get(c.key, ""), c, errors)
        for c in columns
    ]
    monthly = [
        _cell(f"{path}/monthly/{m}", f"r-{index}-monthly-{m}", row.monthly[m], MONTH, errors)
        for m in range(MONTHS)
    ]
    return {
        "index": index,
        "anchor": anchor(path),
        "cells": cells,
        "monthly": monthly if section == "energy" else [],
        "monthly_anchor": anchor(f"{path}/monthly"),
        "monthly_errors": errors.get(f"{path}/monthly", []),
        "monthly_invalid": any(cell["errors"] for cell in monthly),
        "monthly_open": any(row.monthly) or any(p.startswith(f"{path}/monthly") for p in errors),
        "errors": errors.get(path, []),
        "has_errors": any(p == path or p.startswith(path + "/") for p in errors),
    }


MONTH = Column("monthly", _("Month"), "decimal")


def _cell(path: str, name: str, value: str, column: Column, errors: Errors) -> dict[str, Any]:
    options = column.options
    if column.kind == "select" and value and value not in {str(v) for v, _label in options}:
        options = (*options, (value, value))  # what was typed or stored stays visible
    return {
        "column": column,
        "name": name,
        "id": anchor(path),
        "value": value,
        "options": options,
        "errors": errors.get(path, []),
    }


def shown_paths(section: str, rows: Sequence[Row], columns: Sequence[Column]) -> set[str]:
    """Every document path the table shows an error at."""
    paths = set()
    for index in range(len(rows)):
        path = f"/{section}/{index}"
        paths |= {path, f"{path}/monthly", *(f"{path}/{c.key}" for c in columns)}
        if section == "energy":
            paths |= {f"{path}/monthly/{m}" for m in range(MONTHS)}
    return paths
