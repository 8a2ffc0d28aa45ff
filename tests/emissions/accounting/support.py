"""Builders shared by the accounting kernel tests: inventories from the worked examples (built
by hand, independent of the dossier reader) and small inventories for single formulas."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

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

ROOT = Path(__file__).resolve().parents[3]
# Copies of ../shared/examples (tests/test_fixtures.py keeps them identical to the spec).
EXAMPLES = ROOT / "tests" / "fixtures" / "examples"
EXAMPLE_NAMES = ("demo-dossier", "demo-rated-dossier")
AS_OF = date(2025, 6, 30)  # the examples' evaluation date
FACTORY = FactoryIdentity(
    name="示例精密制造（苏州）有限公司",
    credit_code="91320594MA1EXAMPL2",
    province="江苏",
    name_en="Example Precision Manufacturing (Suzhou) Co., Ltd.",
)


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)


def _d(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _energy(i: int, e: dict[str, Any]) -> EnergyLine:
    enthalpy = _d(e.get("enthalpy_kj_per_kg"))
    return EnergyLine(e["carrier"], Decimal(e["quantity"]), e["unit"], f"/energy/{i}", enthalpy)


def _gas(section: str, i: int, g: dict[str, Any]) -> GasLine:
    quantity = Decimal(g["quantity"])
    return GasLine(g["gas"], quantity, g["unit"], f"/{section}/{i}", g.get("source", ""))


def _scope3(i: int, s: dict[str, Any]) -> Scope3Line:
    return Scope3Line(
        category=s["category"],
        source=s["source"],
        path=f"/scope3/{i}",
        tco2e=_d(s.get("tco2e")),
        quantity=_d(s.get("quantity")),
        unit=s.get("unit"),
        factor_tco2e_per_unit=_d(s.get("factor_tco2e_per_unit")),
        factor_source=s.get("factor_source"),
    )


def _green(i: int, g: dict[str, Any]) -> GreenInstrument:
    return GreenInstrument(
        instrument=g["instrument"],
        registry=g["registry"],
        quantity_mwh=Decimal(g["quantity_mwh"]),
        vintage=g.get("vintage"),
        path=f"/green_electricity/{i}",
        serial_from=g.get("serial_from"),
        serial_to=g.get("serial_to"),
        contract_ref=g.get("contract_ref"),
        evidence_ref=g.get("evidence_ref"),
    )


def _credit(i: int, c: dict[str, Any]) -> CarbonCredit:
    retired_on = c.get("retired_on")
    return CarbonCredit(
        instrument=c["instrument"],
        registry=c["registry"],
        quantity_tco2e=Decimal(c["quantity_tco2e"]),
        vintage=c.get("vintage"),
        kind=c["kind"],
        path=f"/credits/{i}",
        serial_from=c.get("serial_from"),
        serial_to=c.get("serial_to"),
        retired_on=date.fromisoformat(retired_on) if retired_on else None,
        beneficiary=c.get("beneficiary"),
        evidence_ref=c.get("evidence_ref"),
    )


def _optional(doc: dict[str, Any]) -> dict[str, Any]:
    production, baseline = doc.get("production"), doc.get("baseline")
    return {
        "production": Production(Decimal(production["output"]), production.get("unit", ""))
        if production
        else None,
        "baseline": Baseline(
            baseline["year"], Decimal(baseline["emissions_tco2e"]), Decimal(baseline["output"])
        )
        if baseline
        else None,
        "reduction_measures": tuple(
            ReductionMeasure(
                m["name"], m["implemented_in"], Decimal(m["reduction_tco2e"]), m["verified"]
            )
            for m in doc.get("reduction_measures", [])
        ),
    }


def inventory_from_dossier(doc: dict[str, Any]) -> InventoryInput:
    """The kernel input of a `zerocarbon.dossier/1` document (no validation: test data)."""
    factory = doc["factory"]
    return InventoryInput(
        factory=FactoryIdentity(
            factory["name"], factory["credit_code"], factory["province"], factory.get("name_en", "")
        ),
        year=doc["year"],
        boundary=doc["boundary"],
        gwp_set=doc.get("gwp_set", "AR6"),
        grid_factor_scope=doc.get("grid_factor_scope", "national"),
        energy=tuple(_energy(i, e) for i, e in enumerate(doc["energy"])),
        process_emissions=tuple(
            _gas("process_emissions", i, g) for i, g in enumerate(doc.get("process_emissions", []))
        ),
        refrigerants=tuple(
            _gas("refrigerants", i, g) for i, g in enumerate(doc.get("refrigerants", []))
        ),
        scope3=tuple(_scope3(i, s) for i, s in enumerate(doc.get("scope3", []))),
        green_electricity=tuple(
            _green(i, g) for i, g in enumerate(doc.get("green_electricity", []))
        ),
        credits=tuple(_credit(i, c) for i, c in enumerate(doc.get("credits", []))),
        **_optional(doc),
    )


def example_inventory(name: str) -> InventoryInput:
    return inventory_from_dossier(load_json(EXAMPLES / f"{name}.json"))


def expected(name: str) -> dict[str, Any]:
    result: dict[str, Any] = load_json(EXAMPLES / f"{name}.expected.json")
    return result


def inventory(**changes: Any) -> InventoryInput:
    """A small type I inventory of 江苏 for 2023 (national scope, AR6), with `changes`."""
    base = InventoryInput(factory=FACTORY, year=2023, boundary="I")
    return replace(base, **changes)


def energy(carrier: str, quantity: str, unit: str, **extra: Any) -> EnergyLine:
    return EnergyLine(carrier, Decimal(quantity), unit, extra.pop("path", "/energy/0"), **extra)


def grid_mwh(quantity: str) -> EnergyLine:
    return energy("grid_electricity", quantity, "MWh")


def gec(quantity: str, **changes: Any) -> GreenInstrument:
    base = GreenInstrument(
        instrument="GEC",
        registry="中国绿证",
        quantity_mwh=Decimal(quantity),
        vintage=2023,
        path="/green_electricity/0",
        serial_from="GEC2023000000001",
        serial_to=f"GEC2023{int(Decimal(quantity)):09d}",
        evidence_ref="绿证.pdf",
    )
    return replace(base, **changes)


def ccer(quantity: str, **changes: Any) -> CarbonCredit:
    base = CarbonCredit(
        instrument="CCER",
        registry="全国温室气体自愿减排注册登记系统",
        quantity_tco2e=Decimal(quantity),
        vintage=2023,
        kind="avoidance",
        path="/credits/0",
        serial_from="CCER-0001-2023-000001",
        serial_to="CCER-0001-2023-000100",
        retired_on=date(2024, 3, 15),
        beneficiary=FACTORY.name,
        evidence_ref="注销证明.pdf",
    )
    return replace(base, **changes)
