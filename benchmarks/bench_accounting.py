"""Evaluations per second on one core, for each worked example (issue: target ≥ 1,000/s).

Three figures per example, each the best of three runs:
- `account`: the accounting kernel alone (categories, metrics, instrument validity);
- `account + score`: accounting and the rubric scoring kernel, as the worker runs them;
- `read + account + score + present`: the whole `evaluate_dossier` pipeline from parsed JSON.

    .venv/bin/python benchmarks/bench_accounting.py [seconds per figure]
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assessments.evaluation.engine import evaluate  # noqa: E402
from assessments.scoring.answers import parse_answers, parse_gates  # noqa: E402
from assessments.scoring.engine import ScoringInput, score  # noqa: E402
from assessments.scoring.rubric import load_default_rubric  # noqa: E402
from emissions.accounting.engine import account  # noqa: E402
from emissions.accounting.library import load_default_factor_set  # noqa: E402
from emissions.dossier import read_dossier  # noqa: E402

sys.path.insert(0, str(ROOT / "benchmarks"))
import harness  # noqa: E402

EXAMPLES = ROOT / "assessments" / "demo_data"
AS_OF = date(2025, 6, 30)


def rate(run: Callable[[], object], seconds: float) -> list[float]:
    """Evaluations/s of five runs of seconds/5 each (warm)."""
    run()  # warm caches (units, factor set, rubric)
    rates = []
    for _ in range(5):
        count, start = 0, time.perf_counter()
        while (elapsed := time.perf_counter() - start) < seconds / 5:
            run()
            count += 1
        rates.append(count / elapsed)
    return rates


def figures(data: object, seconds: float) -> dict[str, list[float]]:
    factors, rubric = load_default_factor_set(), load_default_rubric()
    read = read_dossier(data, factors=factors, as_of=AS_OF)
    answers = parse_answers(rubric, read.answers_raw)
    gates = parse_gates(rubric, read.gates_raw)

    def account_only() -> object:
        return account(read.inventory, factors, AS_OF)

    def account_and_score() -> object:
        result = account(read.inventory, factors, AS_OF)
        inputs = ScoringInput(read.inventory.boundary, result.emissions.boundary_total,
                              result.metrics, answers, gates)  # fmt: skip
        return score(rubric, inputs)

    def whole_pipeline() -> object:
        again = read_dossier(data, factors=factors, as_of=AS_OF)
        return evaluate(
            again,
            factors=factors,
            rubric=rubric,
            answers=parse_answers(rubric, again.answers_raw),
            gates=parse_gates(rubric, again.gates_raw),
            as_of=AS_OF,
            code_version="bench",
        )

    return {
        "account": rate(account_only, seconds),
        "account + score": rate(account_and_score, seconds),
        "read + account + score + present": rate(whole_pipeline, seconds),
    }


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 3.0
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    out = []
    for path in sorted(EXAMPLES.glob("*-dossier.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        for name, runs in figures(data, seconds).items():
            key = f"accounting_{path.stem}_{name}".replace(" + ", "_").replace("-", "_")
            out.append(harness.figure(key, f"{path.stem}: {name}", "evaluations/s", runs,
                                      None, "one core, in memory"))  # fmt: skip
    harness.write(out)


if __name__ == "__main__":
    main()
