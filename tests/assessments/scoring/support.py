"""Builders shared by the scoring kernel tests: `Metrics` made by hand (the accounting engine is
tested on its own), answers for the worked examples and for a perfect factory, and rubric
documents to mutate."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from assessments.scoring.answers import parse_answers, parse_gates
from assessments.scoring.engine import ScoringInput, score
from assessments.scoring.results import ScoreResult
from assessments.scoring.rubric import DEFAULT_RUBRIC_PATH, Rubric, load_default_rubric
from emissions.accounting.results import Metrics

ROOT = Path(__file__).resolve().parents[3]
# Copies of ../shared/examples (tests/test_fixtures.py keeps them identical to the spec).
EXAMPLES = ROOT / "tests" / "fixtures" / "examples"
EXAMPLE_NAMES = ("demo-dossier", "demo-rated-dossier")
D = Decimal
ZERO = Decimal(0)
THOUSAND = Decimal(1000)


def metrics(
    *,
    emissions: Decimal = THOUSAND,
    ec: Decimal = THOUSAND,
    re_mwh: Decimal = THOUSAND,
    gpo: Decimal = ZERO,
    co: Decimal = THOUSAND,
    rc: Decimal = THOUSAND,
    **overrides: Any,
) -> Metrics:
    """Metrics consistent with the spec's definitions; by default a perfect type I/II factory.

    E is `emissions`, EC `ec`, RE_MWH `re_mwh`, GPO `gpo`, CO `co` and RC `rc`; the ratios
    follow (NR = N / E, 1 when E = 0; RR = RC / (E - GPO), 1 when E - GPO <= 0). Any field can
    still be overridden, e.g. `intensity_reduction=None`.
    """
    n = gpo + co
    residual = emissions - gpo
    built = Metrics(
        electricity_consumption_mwh=ec,
        grid_electricity_mwh=ec,
        onsite_renewable_mwh=D(0),
        green_electricity_mwh=re_mwh,
        renewable_electricity_mwh=re_mwh,
        renewable_electricity_share=re_mwh / ec if ec else None,
        green_power_offset_tco2e=gpo,
        credit_offset_tco2e=co,
        removal_tco2e=rc,
        neutralisation_tco2e=n,
        neutralisation_ratio=n / emissions if emissions else D(1),
        removal_ratio=rc / residual if residual > 0 else D(1),
        electrification_share=D(1),
        intensity_reduction=D("0.3"),
        reduction_measures_tco2e=D(250),
        reduction_ratio=D("0.2"),
        offset_quality_ratio=D(1),
        has_category_3=True,
        has_category_4=True,
    )
    return replace(built, **overrides)


def example_metrics(name: str) -> tuple[Decimal, Metrics]:
    """E and the metrics of a worked example, from the expected values' definitions."""
    e, gpo = D("8922.74"), D("4244.8")
    co = D("1468") if name == "demo-dossier" else D("4700")
    built = metrics(
        emissions=e,
        ec=D(14600),
        re_mwh=D(10100),
        gpo=gpo,
        co=co,
        rc=D(0),
        electrification_share=D(52560) / D("89380.2348"),
        intensity_reduction=1 - (e / D(120000)) / (D(9800) / D(100000)),
        reduction_measures_tco2e=D(320),
        reduction_ratio=D(320) / (e + D(320)),
    )
    return e, built


def load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"), parse_float=Decimal)


def example(name: str) -> Any:
    return load_json(EXAMPLES / f"{name}.json")


def expected(name: str) -> Any:
    return load_json(EXAMPLES / f"{name}.expected.json")


def score_example(name: str) -> ScoreResult:
    rubric = load_default_rubric()
    dossier = example(name)
    e, built = example_metrics(name)
    inputs = ScoringInput(
        boundary=dossier["boundary"],
        emissions_tco2e=e,
        metrics=built,
        answers=parse_answers(rubric, dossier["answers"]),
        declared_gates=parse_gates(rubric, dossier["gates"]),
    )
    return score(rubric, inputs)


FULL_ANSWERS: Mapping[str, object] = {
    "INF-1": 3,
    "INF-2": "1",
    "INF-3": "1",
    "obsolete_equipment_present": False,
    "INF-4": 3,
    "ICT-1": 3,
    "ICT-2": True,
    "ICT-3": 2,
    "ICT-4": True,
    "ERU-2": "benchmark",
    "ERU-3": True,
    "ERU-5": "1",
    "ERU-6": "1",
    "PRD-1": True,
    "PRD-2": {"share": "1", "third_party_verified": True},
    "PRD-3": True,
    "RED-1": True,
    "RED-2": 2,
    "RED-5": True,
    "OFS-4": True,
}
BOTH_DECLARED: Mapping[str, object] = {"G1": True, "G2": True}


def run(
    *,
    boundary: str = "I",
    answers: Mapping[str, object] | None = None,
    gates: Mapping[str, object] | None = None,
    rubric: Rubric | None = None,
    emissions: Decimal = THOUSAND,
    **metric_args: Any,
) -> ScoreResult:
    """Score a perfect factory unless told otherwise; answers and gates are raw dossier values."""
    rubric = rubric or load_default_rubric()
    inputs = ScoringInput(
        boundary=boundary,
        emissions_tco2e=emissions,
        metrics=metrics(emissions=emissions, **metric_args),
        answers=parse_answers(rubric, FULL_ANSWERS if answers is None else answers),
        declared_gates=parse_gates(rubric, BOTH_DECLARED if gates is None else gates),
    )
    return score(rubric, inputs)


def with_answers(**changes: object) -> dict[str, object]:
    """The full answers with some changed; a value of None removes the answer."""
    changed = {**FULL_ANSWERS, **changes}
    return {key: value for key, value in changed.items() if value is not None}


def default_rubric_document() -> dict[str, Any]:
    """A fresh copy of the shipped rubric file, to mutate."""
    return copy.deepcopy(_DEFAULT_DOCUMENT)


_DEFAULT_DOCUMENT: dict[str, Any] = yaml.safe_load(DEFAULT_RUBRIC_PATH.read_text(encoding="utf-8"))


def small_rubric_document() -> dict[str, Any]:
    """Two indicators; B's items may both be "na". No gates: levels follow the score alone."""

    def text(en: str) -> dict[str, str]:
        return {"zh": en, "en": en}

    def item(item_id: str, indicator: str, kind: str, points: int, **extra: Any) -> dict[str, Any]:
        return {
            "id": item_id,
            "indicator": indicator,
            "name": text(item_id),
            "kind": kind,
            "points": points,
            "provenance": "platform",
            "rule": text(f"rule of {item_id}"),
            **extra,
        }

    option = {"value": "yes", "fraction": 1, "name": text("yes")}
    levels = [
        {
            "level": 3,
            "requirements": [{"metric": "total_score", "minimum": 60, "provenance": "platform"}],
        }
    ]
    return {
        "code": "TEST-1",
        "edition": "t.1",
        "status": "draft",
        "name": text("Test rubric"),
        "indicators": [
            {"id": "A", "name": text("A"), "max_points": 60, "provenance": "platform"},
            {"id": "B", "name": text("B"), "max_points": 40, "provenance": "platform"},
        ],
        "items": [
            item("A-1", "A", "bool", 30),
            item("A-2", "A", "ratio", 30, lo=0, hi=1),
            item("B-1", "B", "enum", 20, na_allowed=True, options=[option]),
            item("B-2", "B", "bool", 20, na_allowed=True),
        ],
        "gates": [],
        "levels": {"I": copy.deepcopy(levels), "II": copy.deepcopy(levels)},
    }
