"""Evaluating a stored assessment: load it, compute, save the Evaluation row — p50 and p99.

Target (issue 4): p50 < 50 ms on the 2-core machine. Runs against DATABASE_URL (CI and
`make bench` use PostgreSQL) inside one transaction that is rolled back at the end, so the
database is left as it was. Each round moves the evaluation date by one day, so every round
really computes and stores a new row (identical inputs would reuse the stored one).

    DATABASE_URL=postgres://… .venv/bin/python benchmarks/bench_evaluation.py [rounds]
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zerocarbon.settings.test")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from assessments.demo import load_demo  # noqa: E402
from assessments.models import Assessment  # noqa: E402
from assessments.services.evaluation import evaluate_assessment  # noqa: E402

START = date(2025, 6, 30)


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    call_command("migrate", verbosity=0)
    with transaction.atomic():
        load_demo()
        ids = list(Assessment.objects.values_list("pk", flat=True))
        Assessment.objects.filter(pk__in=ids).update(status="submitted", as_of=START)
        evaluate_assessment(ids[0])  # warm caches: factor set, rubric, units
        samples: list[float] = []
        for number in range(rounds):
            assessment_id = ids[number % len(ids)]
            Assessment.objects.filter(pk=assessment_id).update(
                as_of=START + timedelta(days=number + 1)
            )
            start = time.perf_counter()
            evaluation = evaluate_assessment(assessment_id)
            samples.append((time.perf_counter() - start) * 1000)
            if evaluation is None:
                raise SystemExit(f"assessment {assessment_id} was not evaluated")
        stored = sum(a.evaluations.count() for a in Assessment.objects.filter(pk__in=ids))
        transaction.set_rollback(True)
    print(f"database: {connection.vendor}; rounds: {rounds}; evaluations stored: {stored}")
    print(f"load + compute + save: p50 {statistics.median(samples):.1f} ms, "
          f"p99 {percentile(samples, 0.99):.1f} ms, max {max(samples):.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
