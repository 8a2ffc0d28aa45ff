"""The basic requirements (基本要求): every gate must pass for any star level.

Declared gates (G1, G2) take the dossier's declaration; the inventory gate (G3) checks that the
boundary's inventory is complete; metric gates (G4: NR >= 1) compare a metric exactly with its
minimum. Messages come from the rubric file, so a new edition words them without a code change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from assessments.scoring.numbers import plain
from assessments.scoring.requirements import UNITS, Standing, format_metric, format_shortfall
from assessments.scoring.results import GateResult, Unmet
from assessments.scoring.rubric import AnyGate, DeclaredGate, InventoryGate, MetricGate, Text


@dataclass(frozen=True)
class GateCheck:
    """A gate's result, and what a failed gate lacks for `next_level` (None when passed)."""

    result: GateResult
    unmet: Unmet | None


def check_gate(
    gate: AnyGate, boundary: str, declared: Mapping[str, bool], standing: Standing
) -> GateCheck:
    match gate:
        case DeclaredGate():
            passed = declared.get(gate.id, False)
            return _check(gate, passed, gate.passed if passed else gate.failed)
        case InventoryGate():
            return _inventory(gate, boundary, standing)
        case _:  # MetricGate
            return _metric(gate, standing)


def _check(
    gate: AnyGate,
    passed: bool,
    message: Text,
    *,
    current: Decimal | bool | None = False,
    required: Decimal | bool = True,
    shortfall: Decimal | None = None,
    unit: str | None = None,
) -> GateCheck:
    """The defaults suit declared and inventory gates: fixed by evidence, no amount short."""
    result = GateResult(
        id=gate.id,
        passed=passed,
        message=message.en,
        message_zh=message.zh,
        provenance=gate.provenance,
    )
    unmet = None
    if not passed:
        unmet = Unmet(
            requirement=f"gate:{gate.id}",
            current=current,
            required=required,
            shortfall=shortfall,
            unit=unit,
            sentence=message.en,
            sentence_zh=message.zh,
        )
    return GateCheck(result=result, unmet=unmet)


def _inventory(gate: InventoryGate, boundary: str, standing: Standing) -> GateCheck:
    """EC > 0; a type II boundary also needs a category 3 and a category 4 entry."""
    metrics = standing.metrics
    failures = []
    if metrics.electricity_consumption_mwh <= 0:
        failures.append(gate.no_electricity)
    if boundary == "II" and not metrics.has_category_3:
        failures.append(gate.no_category_3)
    if boundary == "II" and not metrics.has_category_4:
        failures.append(gate.no_category_4)
    if not failures:
        return _check(gate, True, gate.passed)
    message = Text(
        zh="".join(text.zh for text in failures), en=" ".join(text.en for text in failures)
    )
    return _check(gate, False, message)


def _metric(gate: MetricGate, standing: Standing) -> GateCheck:
    value = standing.value(gate.metric)
    passed = standing.meets(gate.metric, gate.minimum)
    shortfall = None if passed else standing.shortfall(gate.metric, gate.minimum)
    message = (gate.passed if passed else gate.failed).format(
        value=format_metric(gate.metric, value),
        required=plain(gate.minimum),
        shortfall=format_shortfall(gate.metric, shortfall),
    )
    return _check(
        gate,
        passed,
        message,
        current=value,
        required=gate.minimum,
        shortfall=shortfall,
        unit=UNITS[gate.metric],
    )
