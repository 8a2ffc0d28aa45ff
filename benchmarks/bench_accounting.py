"""Evaluations per second of the accounting kernel on one core, for each worked example.

Target: at least 1,000 whole-inventory evaluations per second (`account` with the default
factor set, as the CLI and the Celery task call it). Run from the project root:

    .venv/bin/python benchmarks/bench_accounting.py [seconds per example]

The inventory is built from the example JSON by a small local builder, so the figure is the
kernel's alone (the dossier reader is measured separately).
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from emissions.accounting import inputs as i  # noqa: E402
from emissions.accounting.engine import account  # noqa: E402
from emissions.accounting.library import load_default_factor_set  # noqa: E402
from emissions.accounting.present import present  # noqa: E402

EXAMPLES = ROOT.parent / "shared" / "examples"
AS_OF = date(2025, 6, 30)


def _credit(n: int, c: dict[str, Any]) -> i.CarbonCredit:
    return i.CarbonCredit(
        c["instrument"], c["registry"], Decimal(c["quantity_tco2e"]), c["vintage"], c["kind"],
        f"/credits/{n}", c.get("serial_from"), c.get("serial_to"),
        date.fromisoformat(c["retired_on"]), c.get("beneficiary"), c.get("evidence_ref"),
    )  # fmt: skip


def _green(n: int, g: dict[str, Any]) -> i.GreenInstrument:
    return i.GreenInstrument(
        g["instrument"], g["registry"], Decimal(g["quantity_mwh"]), g["vintage"],
        f"/green_electricity/{n}", g.get("serial_from"), g.get("serial_to"),
        g.get("contract_ref"), g.get("evidence_ref"),
    )  # fmt: skip


def _scope3(n: int, s: dict[str, Any]) -> i.Scope3Line:
    def d(key: str) -> Decimal | None:
        return Decimal(s[key]) if key in s else None

    return i.Scope3Line(
        s["category"], s["source"], f"/scope3/{n}", d("tco2e"), d("quantity"), s.get("unit"),
        d("factor_tco2e_per_unit"), s.get("factor_source"),
    )  # fmt: skip


def build(doc: dict[str, Any]) -> i.InventoryInput:
    """The kernel input of a worked example (no validation: trusted example data)."""
    f, p, b = doc["factory"], doc["production"], doc["baseline"]
    return i.InventoryInput(
        factory=i.FactoryIdentity(f["name"], f["credit_code"], f["province"], f["name_en"]),
        year=doc["year"],
        boundary=doc["boundary"],
        gwp_set=doc["gwp_set"],
        grid_factor_scope=doc["grid_factor_scope"],
        energy=tuple(
            i.EnergyLine(e["carrier"], Decimal(e["quantity"]), e["unit"], f"/energy/{n}")
            for n, e in enumerate(doc["energy"])
        ),
        process_emissions=tuple(
            i.GasLine(g["gas"], Decimal(g["quantity"]), g["unit"], f"/process_emissions/{n}")
            for n, g in enumerate(doc["process_emissions"])
        ),
        refrigerants=tuple(
            i.GasLine(g["gas"], Decimal(g["quantity"]), g["unit"], f"/refrigerants/{n}")
            for n, g in enumerate(doc["refrigerants"])
        ),
        scope3=tuple(_scope3(n, s) for n, s in enumerate(doc["scope3"])),
        production=i.Production(Decimal(p["output"]), p["unit"]),
        baseline=i.Baseline(b["year"], Decimal(b["emissions_tco2e"]), Decimal(b["output"])),
        reduction_measures=tuple(
            i.ReductionMeasure(m["name"], m["implemented_in"], Decimal(m["reduction_tco2e"]), True)
            for m in doc["reduction_measures"]
        ),
        green_electricity=tuple(_green(n, g) for n, g in enumerate(doc["green_electricity"])),
        credits=tuple(_credit(n, c) for n, c in enumerate(doc["credits"])),
    )


def rate(inventory: i.InventoryInput, seconds: float, *, with_present: bool) -> float:
    """Evaluations per second, best of three runs of about `seconds` / 3 each."""
    factors = load_default_factor_set()
    account(inventory, factors, AS_OF)  # warm the unit cache and the factor set
    best = 0.0
    for _ in range(3):
        count, start = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - start) < seconds / 3:
            result = account(inventory, factors, AS_OF)
            if with_present:
                present(result)
            count += 1
        best = max(best, count / elapsed)
    return best


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    for path in sorted(EXAMPLES.glob("*-dossier.json")):
        inventory = build(json.loads(path.read_text(encoding="utf-8")))
        kernel = rate(inventory, seconds, with_present=False)
        presented = rate(inventory, seconds, with_present=True)
        print(
            f"{path.stem}: {kernel:,.0f} evaluations/s (account), "
            f"{presented:,.0f} evaluations/s (account + present)"
        )


if __name__ == "__main__":
    main()
